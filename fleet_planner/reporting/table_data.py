"""Tables of the report as data (header, rows, numeric columns); the template renders them.

Cells are plain text (escaped by the template) or {text, href} for a link.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from fleet_planner.reporting.i18n import Translator


@dataclass(frozen=True)
class TableData:
    header: list[str]
    rows: list[list]
    numeric: list[bool]
    breakable_header: bool = False
    """Let snake_case column names wrap after '_' (catalogue column names)."""
    row_classes: list[str] | None = None


def number_or_none(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def format_value(column: str, value: object, t: Translator) -> str:
    """Numbers by the unit in the column name: counts whole, shares in %, money whole, tCO2e 1 decimal."""
    number = number_or_none(value)
    if column in ("year", "model_year"):
        return "–" if number is None else str(int(number))
    if number is None:
        return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if column.endswith("_share"):
        return t.percent(number, 0)
    if column.endswith("_count"):
        return t.number(number, 0 if abs(number - round(number)) < 1e-6 else 1)
    if column.endswith("_tco2e"):
        return t.number(number, 1)
    return t.number(number, 0)


def frame_table(frame: pd.DataFrame, columns: list[str], headers: list[str], t: Translator) -> TableData | None:
    """Chosen columns of a plan table, formatted by their units; None if the table is empty."""
    if frame.empty:
        return None
    rows = [[format_value(c, v, t) for c, v in zip(columns, values, strict=True)]
            for values in frame[columns].itertuples(index=False)]
    return TableData(headers, rows, [c not in ("year", "segment", "technology") for c in columns])
