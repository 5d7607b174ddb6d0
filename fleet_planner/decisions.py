"""Decisions: what a plan chooses, as tidy tables; read from a solved model or from a user's CSV.

A plan is fully described by its decisions (purchases, conversions, sales, activity by cohort,
fuel use, infrastructure builds, subsidy claims, unmet demand). Everything else (stock,
energy, emissions, costs) is recomputed from them by the evaluator.

decisions.csv holds all of them in one long table with a `kind` column:

kind,segment,technology,to_technology,model_year,year,fuel,infrastructure,rule,value
purchase,bus_12m,bev,,,2027,,,,3
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError

ROUND_COUNTS = 0  # counts are integers
ROUND_CONTINUOUS = 6  # activity, GJ and money: 6 decimals (documented rounding, byte-stable CSVs)
ZERO = 1e-7  # solver noise below this is zero

COLUMNS = ["kind", "segment", "technology", "to_technology", "model_year", "year", "fuel", "infrastructure",
           "rule", "value"]
KINDS = {
    "purchase": ("purchases", ["segment", "technology", "year"], "count"),
    "conversion": ("conversions", ["segment", "technology", "to_technology", "model_year", "year"], "count"),
    "sale": ("sales", ["segment", "technology", "model_year", "year"], "count"),
    "activity": ("activity", ["segment", "technology", "model_year", "year"], "activity_au"),
    "fuel": ("fuel_use", ["segment", "technology", "year", "fuel"], "energy_gj"),
    "infrastructure_build": ("infrastructure_builds", ["infrastructure", "year"], "count"),
    "subsidy_claim": ("subsidy_claims", ["rule", "segment", "technology", "to_technology", "infrastructure", "year"],
                      "amount_cost"),
    "unmet_activity": ("unmet_activity", ["segment", "year"], "activity_au"),
    "unmet_vehicles": ("unmet_vehicles", ["segment", "year"], "count"),
}


@dataclass
class Decisions:
    purchases: pd.DataFrame
    conversions: pd.DataFrame
    sales: pd.DataFrame
    activity: pd.DataFrame
    fuel_use: pd.DataFrame
    infrastructure_builds: pd.DataFrame
    subsidy_claims: pd.DataFrame
    unmet_activity: pd.DataFrame
    unmet_vehicles: pd.DataFrame

    @classmethod
    def empty(cls) -> Decisions:
        return cls(**{table: pd.DataFrame(columns=[*keys, value]) for table, keys, value in KINDS.values()})

    def to_long(self) -> pd.DataFrame:
        """All decisions in one table (decisions.csv), sorted for byte-stable output."""
        frames = []
        for kind, (table, _keys, value) in KINDS.items():
            frame = getattr(self, table)
            if frame.empty:
                continue
            long = frame.rename(columns={value: "value"}).assign(kind=kind)
            frames.append(long)
        if not frames:
            return pd.DataFrame(columns=COLUMNS)
        out = pd.concat(frames, ignore_index=True).reindex(columns=COLUMNS)
        for column in ("model_year", "year"):
            out[column] = out[column].astype("Int64")
        return out.sort_values(COLUMNS[:-1], na_position="first", kind="mergesort").reset_index(drop=True)


def from_solution(model, values) -> Decisions:
    """Read the decision columns of a solved FleetModel (counts rounded to integers)."""

    def rows(index: dict, names: list[str], value_name: str, integer: bool) -> pd.DataFrame:
        records = []
        for key, column in index.items():
            value = float(values[column])
            if abs(value) <= ZERO:
                continue
            records.append((*_flatten(key), round(value) if integer else round(value, ROUND_CONTINUOUS)))
        return pd.DataFrame(records, columns=[*names, value_name])

    purchases = rows(model.purchase, ["segment", "technology", "year"], "count", True)
    conversions = rows(model.conversion, ["segment", "technology", "to_technology", "model_year", "year"], "count", True)
    sales = rows(model.sale, ["segment", "technology", "model_year", "year"], "count", True)
    activity = rows(model.activity, ["segment", "technology", "model_year", "year"], "activity_au", False)
    fuel_use = rows(model.fuel, ["segment", "technology", "year", "fuel"], "energy_gj", False)
    builds = rows(model.build, ["infrastructure", "year"], "count", True)
    claims_index = {(rule, *claim_fields(key)): column for (rule, key), column in model.subsidy.items()}
    claims = rows(claims_index, KINDS["subsidy_claim"][1], "amount_cost", False)  # claim columns are in currency
    unmet_a = rows(model.unmet_activity, ["segment", "year"], "activity_au", False)
    unmet_v = rows(model.unmet_vehicles, ["segment", "year"], "count", False)
    purchases, conversions, sales, builds = (frame[frame["count"] != 0].reset_index(drop=True)
                                             for frame in (purchases, conversions, sales, builds))
    return Decisions(purchases, conversions, sales, activity, fuel_use, builds, claims, unmet_a, unmet_v)


def claim_fields(key: tuple) -> tuple:
    """(segment, technology, to_technology, infrastructure, year) of an eligible-decision key."""
    kind, *rest = key
    if kind == "purchase":
        s, t, y = rest
        return (s, t, "", "", y)
    if kind == "conversion":
        s, t_from, t_to, y = rest
        return (s, t_from, t_to, "", y)
    k, y = rest
    return ("", "", "", k, y)


OPTIONAL_KEYS = {"subsidy_claim": {"segment", "technology", "to_technology", "infrastructure"}}


def _flatten(key) -> tuple:
    out = []
    for part in key:
        if isinstance(part, tuple):
            out.extend(part)
        else:
            out.append(part)
    return tuple(out)


def with_rule_names(decisions: Decisions, rule_names: list[str]) -> Decisions:
    """Subsidy claims are indexed by rule position in the model; name them."""
    claims = decisions.subsidy_claims.copy()
    if not claims.empty:
        claims["rule"] = [rule_names[int(i)] for i in claims["rule"]]
    decisions.subsidy_claims = claims
    return decisions


def read_decisions_csv(path: Path) -> Decisions:
    """Read a decisions.csv written by `plan` or by hand; errors name the line and column."""
    from fleet_planner.loading.files import read_csv_table

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


def decision_tables() -> list[str]:
    return [f.name for f in fields(Decisions)]
