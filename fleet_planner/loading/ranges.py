"""The range of an uncertain input by the reliability grade of its source: vehicles/uncertainty_ranges.csv
(a catalogue of your own may hold its own; otherwise the shipped one applies). Rationale: docs/model.md,
"Analyses"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import CatalogueError
from fleet_planner.loading.files import read_csv_table
from fleet_planner.loading.shipped import shipped_catalogue

RANGES_FILE = "uncertainty_ranges.csv"
GRADES = ("A", "B", "C", "D")
COLUMNS = ("grade", "low_multiplier", "high_multiplier", "source_id", "notes")


@dataclass(frozen=True)
class GradeRange:
    grade: str
    low: float
    """Multiplier of the catalogue value at the low end. [-]"""
    high: float
    source_id: str
    file: str


def ranges_file(vehicles_dir: Path | None) -> Path:
    """The catalogue's own ranges file, or the shipped one."""
    own = Path(vehicles_dir) / RANGES_FILE if vehicles_dir is not None else None
    return own if own is not None and own.is_file() else shipped_catalogue("vehicles") / RANGES_FILE


def load_grade_ranges(vehicles_dir: Path | None = None) -> dict[str, GradeRange]:
    """{grade: GradeRange} for grades A-D; every problem named by file, line and column."""
    path = ranges_file(vehicles_dir)
    problems: list[str] = []
    table = read_csv_table(path, str(path), problems)
    if table is None or problems:
        raise CatalogueError(problems or [f"{path}: unreadable"], during="reading the uncertainty ranges")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise CatalogueError(f"{path}: columns {missing} missing; the header is {', '.join(COLUMNS)}.")
    ranges: dict[str, GradeRange] = {}
    for position, row in enumerate(table.to_dict("records")):
        where = f"{path} line {position + 2}"
        grade = str(row["grade"]).strip()
        low, high = pd.to_numeric(pd.Series([row["low_multiplier"], row["high_multiplier"]]), errors="coerce")
        if grade not in GRADES:
            problems.append(f"{where}, column grade: {grade!r} is not one of {', '.join(GRADES)}.")
        elif pd.isna(low) or pd.isna(high) or low < 0:
            problems.append(f"{where}, columns low_multiplier/high_multiplier: give two numbers >= 0, e.g. 0.8 "
                            "and 1.2.")
        elif low > high:
            problems.append(f"{where}: low_multiplier {low:g} is above high_multiplier {high:g}; swap them.")
        elif low == high:
            problems.append(f"{where}: the range is empty (low_multiplier = high_multiplier = {low:g}); give a low "
                            "below the high, e.g. 0.8 and 1.2.")
        elif not low <= 1.0 <= high:
            problems.append(f"{where}: the range {low:g}-{high:g} must include 1 (the catalogue value).")
        else:
            ranges[grade] = GradeRange(grade, float(low), float(high), str(row["source_id"]), str(path))
    problems += [f"{path}: no row for grade {g}; add one." for g in GRADES if g not in ranges and not problems]
    if problems:
        raise CatalogueError(problems, during="reading the uncertainty ranges")
    return ranges
