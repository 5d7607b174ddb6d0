"""Read a plan's decisions.csv written by `plan` or by hand; errors name the line and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.files import read_csv_table
from fleet_planner.schemas.plan import COLUMNS, KINDS, OPTIONAL_KEYS, Decisions


def read_decisions_csv(path: Path) -> Decisions:
    """Read a decisions.csv written by `plan` or by hand; errors name the line and column."""
    problems: list[str] = []
    frame = read_csv_table(Path(path), str(path), problems)
    if frame is None:
        raise ScenarioError(problems, during="in the plan file")
    missing = [c for c in ("kind", "year", "value") if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{path}: missing column(s) {missing}; expected the columns {COLUMNS}.")
    out = {}
    for kind, (table, keys, value) in KINDS.items():
        part = frame[frame["kind"] == kind]
        records = []
        for position, row in part.iterrows():
            line = position + 2
            record = {}
            for key in keys:
                cell = str(row.get(key, "")).strip()
                if not cell:
                    if key in OPTIONAL_KEYS.get(kind, set()):
                        record[key] = ""
                    else:
                        problems.append(f"{path} line {line}: kind {kind} needs column {key}.")
                    continue
                if key in ("year", "model_year"):
                    try:
                        record[key] = int(float(cell))
                    except ValueError:
                        problems.append(f"{path} line {line}, column {key}: {cell!r} is not a year.")
                elif key == "daily_activity_au":
                    try:
                        record[key] = float(cell)
                        if not 0 < record[key] < float("inf"):
                            raise ValueError
                    except ValueError:
                        problems.append(f"{path} line {line}, column {key}: {cell!r} is not a duty band's "
                                        "daily activity (a number > 0).")
                else:
                    record[key] = cell
            try:
                number = float(row["value"])
                if number != number or number in (float("inf"), float("-inf")) or number < 0:
                    raise ValueError
                record[value] = number
            except ValueError:
                problems.append(f"{path} line {line}, column value: {row['value']!r} is not a number >= 0.")
            records.append(record)
        out[table] = pd.DataFrame(records, columns=[*keys, value])
    unknown = sorted(set(frame["kind"]) - set(KINDS))
    if unknown:
        problems.append(f"{path}: unknown kind(s) {unknown}; allowed: {sorted(KINDS)}.")
    if problems:
        raise ScenarioError(problems, during="in the plan file")
    return Decisions(**out)
