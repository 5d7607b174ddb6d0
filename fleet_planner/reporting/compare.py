"""Headline figures of several result folders side by side (`fleet-planner compare`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError

HEADLINES = [
    ("status", "status"),
    ("npv_cost", "NPV of total cost"),
    ("baseline_npv_cost", "NPV, baseline"),
    ("npv_saving_cost", "NPV saving vs baseline"),
    ("emissions_tco2e", "emissions over horizon [tCO2e]"),
    ("avoided_tco2e", "avoided vs baseline [tCO2e]"),
    ("abatement_cost_per_tco2e", "abatement cost [per tCO2e]"),
]


def compare_results(folders: list[Path]) -> pd.DataFrame:
    """One column per result folder, one row per headline figure (plus first-purchase years)."""
    columns = {}
    for folder in folders:
        summary_file = Path(folder) / "summary.csv"
        if not summary_file.is_file():
            raise ScenarioError(f"{folder}: no summary.csv; give folders written by `fleet-planner plan`.")
        summary = pd.read_csv(summary_file).iloc[0]
        kind = summary.get("plan_kind")
        values = {"plan": kind if isinstance(kind, str) else "optimised"}
        values.update({label: summary.get(key) for key, label in HEADLINES})
        values["rules broken"] = summary.get("rules_broken") if isinstance(kind, str) else 0  # verified optimum
        values["currency"] = summary.get("currency")
        emissions = pd.read_csv(Path(folder) / "emissions.csv")
        for year in [y for y in emissions["year"] if y % 5 == 0 or y == emissions["year"].max()]:
            values[f"emissions {year} [tCO2e]"] = emissions.loc[emissions["year"] == year, "emissions_tco2e"].iloc[0]
        fleet = pd.read_csv(Path(folder) / "fleet.csv")
        last = fleet[fleet["year"] == fleet["year"].max()].groupby("technology")["stock_count"].sum()
        values["fleet in last year"] = ", ".join(f"{t} {n:g}" for t, n in last.items() if n > 0)
        name = f"{summary.get('scenario')} ({Path(folder).name})"
        columns[name] = values
    return pd.DataFrame(columns)


def format_comparison(table: pd.DataFrame) -> str:
    def cell(value) -> str:
        if isinstance(value, float):
            return "" if value != value else f"{value:,.0f}"
        return str(value)

    return table.map(cell).to_string()
