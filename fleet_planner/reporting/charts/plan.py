"""Plotly charts of a plan, drawn from the plan tables alone.

Every `plot_*` function takes one tidy result table (the same DataFrame as the CSV file of a
result folder; columns in docs/outputs.md) and returns a `go.Figure`. Nothing here reads the
solver or files. Colours and fill patterns come from the catalogue (technology_types.csv
`color`/`pattern`, fuels.csv `color`) and are passed in, so one technology has one colour and
one pattern in every chart; the patterns (and direct value labels on bars) keep the charts
readable when printed in greyscale. All words come from a `Translator` (fleet_planner.reporting.i18n).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.actions import plot_actions
from fleet_planner.reporting.charts.costs import (
    plot_cost_per_activity,
    plot_cost_stack,
    plot_cumulative_cost,
    with_baseline_technologies,
)
from fleet_planner.reporting.charts.emissions import plot_emissions
from fleet_planner.reporting.charts.energy import plot_energy_by_fuel
from fleet_planner.reporting.charts.financing import plot_cash_flows
from fleet_planner.reporting.charts.fleet import plot_fleet_composition
from fleet_planner.reporting.charts.grants import plot_grants
from fleet_planner.reporting.charts.style import Colors, Patterns, currency_of
from fleet_planner.reporting.i18n import Translator, translator

CHART_NAMES: tuple[str, ...] = (
    "fleet_composition", "emissions", "cost_stack", "cumulative_cost", "cost_per_activity", "energy_by_fuel",
)
"""Names of the charts of the charts section, in report order (also the image file names)."""
SECTION_CHARTS: tuple[str, ...] = ("actions", "grants", "cash_flows")
"""Charts shown in their own report sections (actions: 'What to buy when', after the summary;
grants: the grants section; cash_flows: 'How the plan is paid')."""


def figures(tables: Mapping[str, pd.DataFrame], colors: Colors, patterns: Patterns,
            t: Translator | None = None) -> dict[str, go.Figure]:
    """Every chart of a plan, keyed by CHART_NAMES. A missing table gives an empty chart."""
    t = t or translator("en")
    summary = tables.get("summary")
    scope = str(summary["emission_scope"].iloc[0]) if summary is not None and not summary.empty else "ttw"

    def table(name: str) -> pd.DataFrame:
        return tables.get(name, pd.DataFrame())

    return {
        "fleet_composition": plot_fleet_composition(table("fleet"), colors, patterns, t),
        "emissions": plot_emissions(table("emissions"), t, scope=scope),
        "cost_stack": plot_cost_stack(table("costs"), t),
        "cumulative_cost": plot_cumulative_cost(table("cumulative_cost"), t),
        "cost_per_activity": plot_cost_per_activity(
            with_baseline_technologies(table("cost_per_activity"), tables.get("baseline_cost_per_activity")),
            colors, patterns, t),
        "energy_by_fuel": plot_energy_by_fuel(table("energy_by_fuel"), colors, patterns, t),
        "actions": plot_actions(tables, colors, patterns, t),
        "grants": plot_grants(table("subsidies"), t, currency_of(table("summary"))),
        "cash_flows": plot_cash_flows(table("cash_flows"), t),
    }


# ---------------------------------------------------------------- fleet composition
