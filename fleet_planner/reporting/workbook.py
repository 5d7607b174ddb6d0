"""The Excel workbook of a result: one sheet per plan table, plus the assumptions with sources.

Each sheet has one header row (the table's column names, which carry the units, e.g.
`stock_count`, `emissions_tco2e`, `cost` + `currency`), so `pandas.read_excel` gives back the
same table as the CSV file. Header rows are frozen, columns sized to their content, and
numbers formatted by unit (money whole, shares in %); the stored values are not rounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fleet_planner.reporting.i18n import MissingTranslationError, Translator

SHEET_ORDER: tuple[str, ...] = (
    "summary", "plan_by_year", "fleet", "purchases", "conversions", "sales", "stock", "activity", "duties",
    "energy_by_fuel", "energy", "emissions", "costs", "cumulative_cost", "cost_per_activity",
)
"""Plan tables that come first, in this order; any other table follows alphabetically."""
ASSUMPTIONS_SHEET = "assumptions"
SHEET_NAME_MAX = 31
"""Excel's limit on sheet-name length."""
COLUMN_WIDTH_MIN, COLUMN_WIDTH_MAX = 8, 60
ROWS_SAMPLED_FOR_WIDTH = 500
HEADER_FILL = PatternFill("solid", start_color="DDDDDD")
NUMBER_FORMATS: tuple[tuple[str, str], ...] = (  # (column-name suffix, Excel format), first match wins
    ("_share", "0.0%"),
    ("_per_au", "#,##0.000"),
    ("_per_tco2e", "#,##0.0"),
    ("_cost", "#,##0"),
    ("cost", "#,##0"),
    ("_price", "#,##0"),
    ("_value", "#,##0"),
    ("_count", "#,##0.##"),
    ("_tco2e", "#,##0.0"),
    ("_gj", "#,##0.0"),
    ("_au", "#,##0"),
)


def write_workbook(tables: Mapping[str, pd.DataFrame], assumptions: pd.DataFrame, path: Path, *,
                   t: Translator | None = None) -> Path:
    """Write one sheet per table (sheet order: SHEET_ORDER, then alphabetical) and an
    'assumptions' sheet; return path. With a translator, sheet names and column headers are in its
    language (number formats still follow the column's unit)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = sheet_names([*ordered_tables(tables), ASSUMPTIONS_SHEET], t)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for table, sheet in names.items():
            frame = assumptions if table == ASSUMPTIONS_SHEET else tables[table]
            shown = frame if t is None else frame.rename(columns={c: label(t, "header", str(c)) for c in frame.columns})
            shown.to_excel(writer, sheet_name=sheet, index=False)
            text_stays_text(writer.sheets[sheet])
            format_sheet(writer.sheets[sheet], frame)
    return path


def text_stays_text(sheet: Worksheet) -> None:
    """Every text cell is stored as text: a name such as '=HYPERLINK(...)' or '@SUM(...)' is shown,
    never run (the workbook holds no formula; OWASP CSV/formula injection)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def ordered_tables(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    first = [name for name in SHEET_ORDER if name in tables]
    return first + sorted(name for name in tables if name not in first and name != ASSUMPTIONS_SHEET)


def label(t: Translator, kind: str, name: str) -> str:
    """The translated sheet name or column header (kind: sheet or header); the name itself when the
    catalogues have no text for it (a table added later)."""
    try:
        return t(f"{kind}.{name}")
    except MissingTranslationError:
        return name


def sheet_names(tables: list[str], t: Translator | None = None) -> dict[str, str]:
    """Table name -> a unique Excel sheet name of at most 31 characters (translated with t)."""
    names: dict[str, str] = {}
    for table in tables:
        name = (table if t is None else label(t, "sheet", table))[:SHEET_NAME_MAX]
        number = 1
        while name in names.values():
            number += 1
            suffix = f"_{number}"
            name = (table if t is None else label(t, "sheet", table))[: SHEET_NAME_MAX - len(suffix)] + suffix
        names[table] = name
    return names


def format_sheet(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Bold frozen header with a filter, widths from the content, number formats by unit."""
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = sheet.dimensions
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column_width(frame[column], str(column))
        number_format = number_format_for(str(column), frame[column])
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format


def column_width(values: pd.Series, header: str) -> float:
    sample = ["" if pd.isna(v) else str(v) for v in values.head(ROWS_SAMPLED_FOR_WIDTH)]
    longest = max([len(header), *(len(v) for v in sample)])
    return float(min(COLUMN_WIDTH_MAX, max(COLUMN_WIDTH_MIN, longest + 2)))


def number_format_for(column: str, values: pd.Series) -> str | None:
    """Excel number format from the unit suffix of a numeric column (None: leave as is)."""
    if not pd.api.types.is_numeric_dtype(values) or column in ("year", "model_year", "first_year", "last_year"):
        return None
    for suffix, number_format in NUMBER_FORMATS:
        if column.endswith(suffix):
            return number_format
    return None
