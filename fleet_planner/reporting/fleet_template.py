"""An empty fleet register to fill in: the columns of the fleet file format (schemas/fleet.py) with
what each one means, as CSV or as an Excel workbook.

CSV: the header row, then one note row (its first cell starts with '#', so reading skips it) with
each column's meaning. Workbook: a 'fleet' sheet with the header row to fill in, a 'columns' sheet
with each column's meaning, and, when a catalogue is given, a sheet of the segment and technology
ids it knows. Every text cell is written as text, never as a formula.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.fleet import NOTE_MARK
from fleet_planner.reporting.workbook import format_sheet, text_stays_text
from fleet_planner.schemas.fleet import FleetCohort
from fleet_planner.text import spreadsheet_safe

FORMATS = ("csv", "xlsx")
FLEET_SHEET, COLUMNS_SHEET, IDS_SHEET = "fleet", "columns", "segments and technologies"


def fleet_columns() -> pd.DataFrame:
    """column, required, meaning: one row per column of the fleet file, in the format's order."""
    rows = [{"column": name, "required": "yes" if field.is_required() else "no",
             "meaning": " ".join((field.description or "").split())}
            for name, field in FleetCohort.model_fields.items()]
    return pd.DataFrame(rows, columns=["column", "required", "meaning"])


def template_format(out: Path, given: str | None) -> str:
    """csv or xlsx: as given, else from the file's suffix; a mismatch or another suffix is an error."""
    suffix = out.suffix.lower().lstrip(".")
    chosen = given.lower() if given else suffix
    if chosen not in FORMATS:
        raise ScenarioError(f"--format {given or '(from the file name)'}: use csv or xlsx"
                            + ("" if given else f" (or name the file .csv or .xlsx; {out.name} is neither)") + ".")
    if given and suffix in FORMATS and suffix != chosen:
        raise ScenarioError(f"--format {given} but --out {out.name} ends in .{suffix}; make them agree.")
    return chosen


def write_fleet_template(out: Path, fmt: str, catalogue: Catalogue | None = None, *, force: bool = False) -> Path:
    """Write the empty fleet register to `out` (an existing file only with force); return the path."""
    out = Path(out)
    if out.exists() and not force:
        raise ScenarioError(f"{out}: already exists; choose another file or give --force to replace it.")
    columns = fleet_columns()
    if fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns["column"])
            notes = [f"{NOTE_MARK} {m}" if i == 0 else m for i, m in enumerate(columns["meaning"])]
            writer.writerow([spreadsheet_safe(n) for n in notes])
        return out
    sheets = {FLEET_SHEET: pd.DataFrame(columns=list(columns["column"])), COLUMNS_SHEET: columns}
    if catalogue is not None:
        sheets[IDS_SHEET] = _ids(catalogue)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.map(spreadsheet_safe).to_excel(writer, sheet_name=name, index=False)
            text_stays_text(writer.sheets[name])
            format_sheet(writer.sheets[name], frame)
    return out


def _ids(catalogue: Catalogue) -> pd.DataFrame:
    """segment, segment name, activity unit, technology: the ids a fleet row may name."""
    segments = catalogue.segments[["segment", "name", "activity_unit"]].rename(columns={"name": "segment_name"})
    technologies = catalogue.technologies[["segment", "technology"]]
    return technologies.merge(segments, on="segment", how="left")[
        ["segment", "segment_name", "activity_unit", "technology"]].reset_index(drop=True)
