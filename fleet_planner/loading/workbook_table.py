"""One sheet of an Excel workbook (.xlsx) as a table of text cells, like a CSV file read as text.

The first row holds the column names; each later row is one record, numbered as the spreadsheet
numbers it. Numbers become plain text ('2018', '4000', '0.25'); a formula gives the value Excel
saved with it. Rows with nothing in them are skipped.
"""

from __future__ import annotations

import warnings
import zipfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pandas as pd

from fleet_planner.loading.files import read_table_bytes
from fleet_planner.text import shortened

ROWS_MAX = 100_000
"""Most rows read from a sheet (a fleet register lists cohorts, not single vehicles)."""
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SPREADSHEETS = {".xls": "Excel 97-2003 workbook", ".ods": "OpenDocument spreadsheet",
                      ".numbers": "Numbers document"}


def read_sheet(path: Path, sheet: str | None, display_name: str,
               problems: list[str]) -> tuple[pd.DataFrame, str] | None:
    """(text cells, sheet name) of the named sheet or, without a name, the first; on failure append
    a message to problems and return None."""
    data = read_table_bytes(path, display_name, problems)
    if data is None:
        return None
    from openpyxl import load_workbook  # openpyxl loads slowly; only a workbook needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        problems.append(f"{display_name}: not a readable Excel workbook (.xlsx) ({shortened(str(exc))}). Save it "
                        "again from Excel as 'Excel Workbook (.xlsx)', or as CSV.")
        return None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            problems.append(f"{display_name}: no sheet named {sheet!r}; the workbook has {book.sheetnames}. Fix the "
                            "name after '#' (sheet names are case-sensitive).")
            return None
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = _rows(worksheet, display_name, problems)
        name = worksheet.title
    finally:
        book.close()
    if rows is None:
        return None
    if not rows:
        problems.append(f"{display_name}: sheet {name!r} is empty; it needs a header row and data rows.")
        return None
    header = [str(c).strip() if c is not None else "" for c in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    records = {number - 2: [_text(c) for c in cells[:len(header)]] + [""] * (len(header) - len(cells))
               for number, cells in rows[1:]}
    frame = pd.DataFrame.from_dict(records, orient="index", columns=header) if records \
        else pd.DataFrame(columns=header)
    return frame, name


def _rows(worksheet, display_name: str, problems: list[str]) -> list[tuple[int, tuple]] | None:
    """(spreadsheet row number, cells) of the rows that hold anything."""
    rows = []
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > ROWS_MAX:
            problems.append(f"{display_name}: more than {ROWS_MAX:,} rows; list one row per cohort (segment, "
                            "technology, model year) with a count.")
            return None
        if any(c is not None and str(c).strip() for c in cells):
            rows.append((number, cells))
    return rows


def _text(value: object) -> str:
    """A cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
