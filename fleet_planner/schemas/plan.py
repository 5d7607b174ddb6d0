"""The plan file format: decisions as tidy tables (decisions.csv).

A plan is fully described by its decisions (purchases, conversions, sales, lease buy-outs,
activity by cohort
and duty band, vehicles per duty band where each vehicle keeps one duty, fuel use,
infrastructure builds, subsidy claims, unmet demand). Everything else (stock,
energy, emissions, costs) is recomputed from them by the evaluator.

decisions.csv holds all of them in one long table with a `kind` column:

kind,segment,technology,to_technology,model_year,year,daily_activity_au,fuel,infrastructure,rule,value
purchase,bus_12m,bev,,,2027,,,,,3
activity,bus_12m,bev,,2027,2027,180,,,,118800

A duty band is named by its daily activity (au per vehicle per operating day).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

import pandas as pd

Baseline = Literal["same_freedoms", "like_for_like"] | None
"""Which rules a plan is accounted under: None, the scenario's own rules; "same_freedoms", the
headline baseline (only each segment's baseline technology; no conversions, targets, budgets or
grants; vehicles may be sold early as in the plan); "like_for_like", the second reference (the
same, but no early sales: each vehicle is replaced when it retires)."""

ROUND_COUNTS = 0  # counts are integers
ROUND_CONTINUOUS = 6  # activity, GJ and money: 6 decimals (documented rounding, byte-stable CSVs)
ZERO = 1e-7  # solver noise below this is zero
ZERO_MONEY = 0.01  # a grant claim below a hundredth of the currency unit is solver noise (feasibility tolerance x prices)

COLUMNS = ["kind", "segment", "technology", "to_technology", "model_year", "year", "daily_activity_au", "fuel",
           "infrastructure", "rule", "option", "value"]
KINDS = {
    "purchase": ("purchases", ["segment", "technology", "year"], "count"),
    "conversion": ("conversions", ["segment", "technology", "to_technology", "model_year", "year"], "count"),
    "sale": ("sales", ["segment", "technology", "model_year", "year"], "count"),
    "lease_buy_out": ("lease_buy_outs", ["segment", "technology", "model_year", "year"], "count"),
    "activity": ("activity", ["segment", "technology", "model_year", "daily_activity_au", "year"], "activity_au"),
    "duty_vehicles": ("duty_vehicles", ["segment", "technology", "model_year", "daily_activity_au", "year"], "count"),
    "fuel": ("fuel_use", ["segment", "technology", "year", "fuel"], "energy_gj"),
    "infrastructure_build": ("infrastructure_builds", ["infrastructure", "year"], "count"),
    "subsidy_claim": ("subsidy_claims", ["rule", "segment", "technology", "to_technology", "infrastructure", "year"],
                      "amount_cost"),
    "financing": ("financing", ["option", "segment", "technology", "to_technology", "infrastructure", "year"],
                  "amount_cost"),
    "lease": ("leases", ["option", "segment", "technology", "year"], "count"),
    "unmet_activity": ("unmet_activity", ["segment", "daily_activity_au", "year"], "activity_au"),
    "unmet_vehicles": ("unmet_vehicles", ["segment", "year"], "count"),
}


@dataclass
class Decisions:
    purchases: pd.DataFrame
    conversions: pd.DataFrame
    sales: pd.DataFrame
    lease_buy_outs: pd.DataFrame
    activity: pd.DataFrame
    duty_vehicles: pd.DataFrame
    fuel_use: pd.DataFrame
    infrastructure_builds: pd.DataFrame
    subsidy_claims: pd.DataFrame
    financing: pd.DataFrame
    leases: pd.DataFrame
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


OPTIONAL_KEYS = {"subsidy_claim": {"segment", "technology", "to_technology", "infrastructure"},
                 "financing": {"segment", "technology", "to_technology", "infrastructure"}}


def decision_tables() -> list[str]:
    return [f.name for f in fields(Decisions)]
