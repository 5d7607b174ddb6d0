"""Read a client's plan (fleet decisions, CSV or Excel) and check it against the scenario.

Every problem names the file, the line (row) and the column, and says how to fix it; all are
collected before the run stops (schemas/client_plan.py describes the format).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.files import (
    FIRST_DATA_LINE,
    MAX_TABLE_BYTES,
    MESSAGES_MAX,
    read_csv_table,
    read_regular_file,
)
from fleet_planner.schemas.client_plan import (
    ANY_COHORT_KINDS,
    FLEET_KINDS,
    IGNORED_KINDS,
    OPERATION_KINDS,
    REQUIRED,
    TEMPLATE_COLUMNS,
)
from fleet_planner.schemas.plan import KINDS, OPTIONAL_KEYS, Decisions
from fleet_planner.schemas.scenario import Scenario
from fleet_planner.text import shortened

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
FLEET_TABLE = {"purchase": ("purchases", ["segment", "technology", "year"]),
               "conversion": ("conversions", ["segment", "technology", "to_technology", "model_year", "year"]),
               "sale": ("sales", ["segment", "technology", "model_year", "year"]),
               "lease_buy_out": ("lease_buy_outs", ["segment", "technology", "model_year", "year"]),
               "infrastructure_build": ("infrastructure_builds", ["infrastructure", "year"])}


@dataclass
class ClientPlan:
    """A client's plan as read: its decisions, the sales and conversions left to any cohort, and
    the line of every row (for messages)."""

    name: str
    rows: pd.DataFrame
    """kind, segment, technology, to_technology, model_year (None: any), year, infrastructure, count, line"""
    operations: dict[str, pd.DataFrame] = field(default_factory=dict)  # Decisions table -> rows given in the file
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)  # grant claims, unmet demand: complete plans only

    @property
    def ignored(self) -> list[str]:
        """Notes on rows a fleet-decisions plan leaves to the tool."""
        if self.complete or not self.extras:
            return []
        return [f"the plan's {', '.join(sorted(self.extras))} rows are left to the tool (grants are claimed as the "
                "rules allow; unmet demand is measured, not declared)"]

    @property
    def complete(self) -> bool:
        """The file carries activity and fuel use: a complete plan, evaluated as it is."""
        return not self.operations.get("activity", pd.DataFrame()).empty \
            and not self.operations.get("fuel_use", pd.DataFrame()).empty

    @property
    def any_cohort(self) -> pd.DataFrame:
        """Sales and conversions without a model year (the tool chooses the cohorts)."""
        rows = self.rows
        return rows[rows["model_year"].isna() & rows["kind"].isin(ANY_COHORT_KINDS)].reset_index(drop=True)

    def decisions(self) -> Decisions:
        """The decisions the file states (cohort sales and conversions only with a model year);
        the same decision on several rows is added up."""
        out = Decisions.empty()
        stated = self.rows[self.rows["model_year"].notna() | ~self.rows["kind"].isin(ANY_COHORT_KINDS)]
        for kind, (table, keys) in FLEET_TABLE.items():
            part = stated[stated["kind"] == kind]
            if part.empty:
                continue
            frame = part[[*keys, "count"]].copy()
            for key in ("year", "model_year"):
                if key in frame:
                    frame[key] = frame[key].astype(int)
            setattr(out, table, frame.groupby(keys, as_index=False, sort=True)["count"].sum())
        for table, frame in [*self.operations.items(), *(self.extras.items() if self.complete else ())]:
            setattr(out, table, frame.drop(columns=["line"]).reset_index(drop=True))
        return out

    def line_of(self, kind: str, **key) -> int | None:
        """First line of a row of this kind matching key (None when not found)."""
        rows = self.rows[self.rows["kind"] == kind]
        for column, value in key.items():
            rows = rows[rows[column] == value]
        return int(rows["line"].iloc[0]) if not rows.empty else None


def read_client_plan(path: Path) -> ClientPlan:
    """Read a plan of fleet decisions (CSV or xlsx); malformed cells are listed by line and column."""
    path = Path(path)
    name = str(path)
    problems: list[str] = []
    frame = _read_table(path, name, problems)
    if frame is None:
        raise ScenarioError(problems, during="in the plan file")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    count_name = "count" if "count" in frame.columns or "value" not in frame.columns else "value"
    frame = frame.rename(columns={count_name: "count"})
    missing = [c for c in ("kind", "year", "count") if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{name}: missing column(s) {missing}; the header needs {TEMPLATE_COLUMNS} "
                            "(`fleet-planner template plan SCENARIO --out FILE` writes one).")
    rows, operations, extras = [], defaultdict(list), defaultdict(list)
    for position, record in enumerate(frame.to_dict(orient="records")):
        line = position + FIRST_DATA_LINE
        if len(problems) >= MESSAGES_MAX:
            problems.append(f"{name}: rows from line {line} on are not checked; fix the problems above first (they are "
                            "often the same mistake).")
            break
        cells = {k: str(v).strip() for k, v in record.items() if v is not None and str(v).strip() not in ("", "nan")}
        if not cells:
            continue
        kind = cells.get("kind", "").lower()
        if kind in FLEET_KINDS:
            row = _fleet_row(kind, cells, f"{name} line {line}", problems, count_name)
            if row is not None:
                rows.append({**row, "line": line})
        elif kind in OPERATION_KINDS:
            row = _operation_row(kind, cells, f"{name} line {line}", problems, count_name)
            if row is not None:
                operations[KINDS[kind][0]].append({**row, "line": line})
        elif kind in IGNORED_KINDS:
            row = _operation_row(kind, cells, f"{name} line {line}", problems, count_name)
            if row is not None:
                extras[KINDS[kind][0]].append({**row, "line": line})
        else:
            problems.append(f"{name} line {line}, column kind: unknown kind {shortened(repr(cells.get('kind', '')))}; "
                            f"use one of {', '.join(FLEET_KINDS)} (or {', '.join(OPERATION_KINDS)}).")
    if problems:
        raise ScenarioError(problems, during="in the plan file")
    columns = ["kind", "segment", "technology", "to_technology", "model_year", "year", "infrastructure", "count",
               "line"]
    table = pd.DataFrame(rows, columns=columns)
    frames = [{t: pd.DataFrame(r, columns=[*KINDS[k][1], KINDS[k][2], "line"])
               for k in kinds for t, r in found.items() if KINDS[k][0] == t}
              for kinds, found in ((OPERATION_KINDS, operations), (IGNORED_KINDS, extras))]
    return ClientPlan(name, table, *frames)


def _read_table(path: Path, name: str, problems: list[str]) -> pd.DataFrame | None:
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return read_csv_table(path, name, problems)
    try:
        data = read_regular_file(path, name, MAX_TABLE_BYTES)
        return pd.read_excel(BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl")
    except ScenarioError as exc:
        problems.extend(exc.problems)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file, named with its reason
        problems.append(f"{name}: not a readable Excel workbook ({shortened(str(exc))}); save it as .xlsx or CSV.")
    return None


def _number(cell: str | None, where: str, column: str, problems: list[str], *, whole: bool) -> float | None:
    what = "a whole number of vehicles or units (0 or more)" if whole else "a number (0 or more)"
    try:
        value = float(cell) if cell is not None else float("nan")
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(f"{where}, column {column}: {shortened(repr(cell)) if cell else 'empty'} is not a number; "
                        f"give {what}.")
        return None
    if value < 0:
        problems.append(f"{where}, column {column}: {value:g} is negative; give {what}.")
        return None
    if whole and abs(value - round(value)) > 1e-9:
        problems.append(f"{where}, column {column}: {value:g} is not a whole number; give {what}.")
        return None
    return value


def _year(cell: str | None, where: str, column: str, problems: list[str]) -> int | None:
    try:
        value = float(cell)
        if value != int(value):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        problems.append(f"{where}, column {column}: {shortened(repr(cell))} is not a year; give a year such as 2030.")
        return None


def _fleet_row(kind: str, cells: dict, where: str, problems: list[str], count_name: str) -> dict | None:
    before = len(problems)
    for column in REQUIRED[kind]:
        if column not in cells:
            problems.append(f"{where}: a {kind} needs column {column}; fill it in.")
    row = {"kind": kind, "segment": cells.get("segment", ""), "technology": cells.get("technology", ""),
           "to_technology": cells.get("to_technology", ""), "infrastructure": cells.get("infrastructure", ""),
           "model_year": None}
    if len(problems) > before:
        return None
    row["year"] = _year(cells["year"], where, "year", problems)
    if "model_year" in cells and kind != "purchase" and kind != "infrastructure_build":
        row["model_year"] = _year(cells["model_year"], where, "model_year", problems)
    row["count"] = _number(cells.get("count"), where, count_name, problems, whole=True)
    return row if len(problems) == before else None


def _operation_row(kind: str, cells: dict, where: str, problems: list[str], count_name: str) -> dict | None:
    before = len(problems)
    _table, keys, value = KINDS[kind]
    row = {}
    for key in keys:
        if key not in cells and key in OPTIONAL_KEYS.get(kind, ()):
            row[key] = ""
        elif key not in cells:
            problems.append(f"{where}: a {kind} row needs column {key}; fill it in or drop the row.")
        elif key in ("year", "model_year"):
            row[key] = _year(cells[key], where, key, problems)
        elif key == "daily_activity_au":
            row[key] = _number(cells[key], where, key, problems, whole=False)
        else:
            row[key] = cells[key]
    row[value] = _number(cells.get("count"), where, count_name, problems, whole=kind == "duty_vehicles")
    return row if len(problems) == before else None


def plan_template(scenario: Scenario, catalogue: Catalogue, filled: ClientPlan | None = None) -> pd.DataFrame:
    """Rows to fill in (TEMPLATE_COLUMNS): with `filled`, its fleet decisions; otherwise a purchase
    row per segment and purchasable technology and a sale row per existing cohort, in the first
    year, each with count 0."""
    if filled is not None:
        rows = filled.rows.sort_values(["year", "kind", "segment", "technology"], kind="mergesort")
        frame = rows[TEMPLATE_COLUMNS].copy()
        frame["model_year"] = frame["model_year"].astype("Int64")
        frame["count"] = frame["count"].round().astype("Int64")
        return frame.reset_index(drop=True)
    first = scenario.horizon_first_year
    records = []
    for s, demand in scenario.demand.items():
        for t in catalogue.index.technologies_of_segment.get(s, []):
            row = catalogue.index.technology[s, t]
            allowed = not demand.technologies or t in demand.technologies
            if str(row.get("purchasable")).lower() in ("true", "1") and allowed:
                records.append({"kind": "purchase", "year": first, "segment": s, "technology": t, "count": 0})
    for c in scenario.fleet if isinstance(scenario.fleet, list) else []:
        records.append({"kind": "sale", "year": first, "segment": c.segment, "technology": c.technology,
                        "model_year": c.model_year, "count": 0})
    frame = pd.DataFrame(records, columns=TEMPLATE_COLUMNS)
    frame["model_year"] = frame["model_year"].astype("Int64")
    return frame
