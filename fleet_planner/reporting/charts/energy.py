"""Energy use by fuel."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import (
    ZERO_TOLERANCE,
    Colors,
    Patterns,
    apply_style,
    area_trace,
    color_of,
    empty_figure,
    in_catalogue_order,
    pattern_of,
)
from fleet_planner.reporting.i18n import Translator


def plot_energy_by_fuel(energy_by_fuel: pd.DataFrame, colors: Colors, patterns: Patterns,
                        t: Translator) -> go.Figure:
    """Stacked area of final energy by fuel over the years [GJ]. Table: energy_by_fuel (energy_gj)."""
    title = t("chart.energy_by_fuel")
    if energy_by_fuel.empty:
        return empty_figure(title, t("axis.year"), t("axis.energy"), t)
    energy = energy_by_fuel.pivot_table(index="year", columns="fuel", values="energy_gj", aggfunc="sum").fillna(0.0)
    years = energy.index.tolist()
    fig = go.Figure()
    for fuel in in_catalogue_order(energy.columns, colors.get("fuel", {})):
        if energy[fuel].abs().max() < ZERO_TOLERANCE:
            continue
        fig.add_trace(area_trace(years, energy[fuel], t.fuel(fuel), color_of(colors, "fuel", fuel),
                                  pattern_of(patterns, "fuel", fuel), stackgroup="energy", kind="fuel",
                                  identifier=fuel, showlegend=True))
    fig.update_yaxes(title_text=t("axis.energy"), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, years, t)
    fig.update_layout(hovermode="x unified")
    return fig


# ---------------------------------------------------------------- layout helpers
