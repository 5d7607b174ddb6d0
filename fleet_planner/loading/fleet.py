"""The existing fleet: cohorts from the fleet file, validated row by row.

The fleet file is a register as users keep one: a CSV file (any dialect Excel writes: ',' or ';'
separators, decimal point or comma, digit grouping, a byte-order mark) or a sheet of an Excel
workbook: `fleet.xlsx` reads the first sheet, `fleet.xlsx#Fleet 2026` the sheet named after '#'.
A row whose first cell starts with '#' is a note and is skipped (the template's description row).
How the file was read is logged (the command line prints it).
"""

from __future__ import annotations

import logging
import typing
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.csv_dialect import CsvDialect, detect_decimal, detect_separator, plain_numbers
from fleet_planner.loading.files import parse_csv, read_csv_text, validate_rows
from fleet_planner.loading.workbook_table import OTHER_SPREADSHEETS, WORKBOOK_SUFFIXES, read_sheet
from fleet_planner.schemas.scenario import FleetCohort

logger = logging.getLogger(__name__)
NOTE_MARK = "#"
"""A row whose first cell starts with this is a note, not a cohort."""
SHEET_MARK = "#"
"""`fleet.xlsx#Sheet name` names a sheet of a workbook."""


def duplicated_cohorts(fleet: list[FleetCohort]) -> list[tuple]:
    seen, duplicated = set(), []
    for cohort in fleet:
        key = (cohort.segment, cohort.technology, cohort.model_year)
        if key in seen:
            duplicated.append(key)
        seen.add(key)
    return duplicated


def numeric_columns(model: type = FleetCohort) -> list[str]:
    """Columns holding numbers (int or float fields), whose cells follow the file's number format."""
    def numeric(annotation) -> bool:
        return annotation in (int, float) or any(numeric(a) for a in typing.get_args(annotation))

    return [name for name, field in model.model_fields.items() if numeric(field.annotation)]


def split_sheet(path: Path) -> tuple[Path, str | None]:
    """'register.xlsx#Fleet 2026' -> (register.xlsx, 'Fleet 2026'); a file whose own name holds '#'
    is taken whole when it exists."""
    text = str(path)
    if SHEET_MARK not in path.name or path.exists():
        return path, None
    file, _, sheet = text.rpartition(SHEET_MARK)
    return Path(file), sheet


def load_fleet_file(path: Path, scenario_file: Path | None = None) -> list[FleetCohort]:
    """Existing fleet cohorts, validated row by row (errors give the line or row number)."""
    problems: list[str] = []
    file, sheet = split_sheet(Path(path))
    display = str(path)
    suffix = file.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        problems.append(f"{display}: an {OTHER_SPREADSHEETS[suffix]} is not read; save it as an Excel Workbook "
                        "(.xlsx) or as CSV.")
        frame = None
    elif suffix in WORKBOOK_SUFFIXES:
        frame = _read_workbook(file, sheet, display, problems)
    elif sheet is not None:
        problems.append(f"{display}: '#{sheet}' names a sheet, but {file.name} is not an Excel workbook (.xlsx); "
                        "remove the '#...' part or give the workbook.")
        frame = None
    else:
        frame = _read_csv(file, display, problems)
    if frame is not None:
        if len(frame.columns):
            frame = frame.loc[~frame.iloc[:, 0].astype(str).str.strip().str.startswith(NOTE_MARK)]
        typed = validate_rows(frame, FleetCohort, display, problems)  # a header alone is an empty fleet
    if problems:
        raise ScenarioError(problems, during=f"in the fleet file of {scenario_file or 'the scenario'}")
    return [FleetCohort.model_validate({k: v for k, v in r.items() if v == v and v is not None})
            for r in typed.to_dict(orient="records")]


load_fleet_csv = load_fleet_file
"""The earlier name (the fleet file was CSV only)."""


def _read_csv(path: Path, display: str, problems: list[str]) -> pd.DataFrame | None:
    text = read_csv_text(path, display, problems)
    if text is None:
        return None
    separator = detect_separator(text)
    frame = parse_csv(text, display, problems, separator)
    if frame is None:
        return None
    numeric = numeric_columns()
    decimal, seen = detect_decimal(frame, numeric, separator, display, problems)
    dialect = CsvDialect(separator, decimal, seen, byte_order_mark=text.startswith("\ufeff"))
    logger.info("Fleet file %s read as CSV: %s.", display, dialect.describe())
    return plain_numbers(frame, numeric, decimal)


def _read_workbook(path: Path, sheet: str | None, display: str, problems: list[str]) -> pd.DataFrame | None:
    read = read_sheet(path, sheet, display, problems)
    if read is None:
        return None
    frame, name = read
    logger.info("Fleet file %s read as an Excel workbook: sheet %r%s.", display, name,
                "" if sheet else " (the first)")
    numeric = numeric_columns()
    decimal, _seen = detect_decimal(frame, numeric, ",", display, problems)  # numbers typed as text
    return plain_numbers(frame, numeric, decimal)
