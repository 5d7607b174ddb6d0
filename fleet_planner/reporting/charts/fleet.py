"""Fleet composition by technology: stacked areas, one panel per segment and the whole fleet."""

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
    grid_height,
    in_catalogue_order,
    panel_grid,
    panel_position,
    pattern_of,
    segments_in_order,
)
from fleet_planner.reporting.i18n import Translator


def plot_fleet_composition(fleet: pd.DataFrame, colors: Colors, patterns: Patterns, t: Translator) -> go.Figure:
    """Stacked area of vehicles in stock by technology over the years: one panel per segment,
    plus a whole-fleet panel when there is more than one segment. Table: fleet (stock_count)."""
    title = t("chart.fleet_composition")
    if fleet.empty:
        return empty_figure(title, t("axis.year"), t("axis.vehicles"), t)
    panels = [(t.segment(s), fleet[fleet["segment"] == s]) for s in segments_in_order(fleet)]
    if len(panels) > 1:
        panels.append((t("panel.fleet_total"), fleet))
    fig = panel_grid([name for name, _ in panels])
    technologies = in_catalogue_order(fleet["technology"], colors.get("technology", {}))
    years = sorted(fleet["year"].unique())
    shown: set[str] = set()
    for index, (_, frame) in enumerate(panels):
        row, col = panel_position(index, len(panels))
        stock = frame.pivot_table(index="year", columns="technology", values="stock_count", aggfunc="sum")
        stock = stock.reindex(index=years, fill_value=0.0).fillna(0.0)
        for technology in technologies:
            if technology not in stock.columns or stock[technology].abs().max() < ZERO_TOLERANCE:
                continue
            fig.add_trace(area_trace(years, stock[technology], t.technology(technology),
                                      color_of(colors, "technology", technology),
                                      pattern_of(patterns, "technology", technology),
                                      stackgroup=f"panel{index}", kind="technology", identifier=technology,
                                      showlegend=technology not in shown), row=row, col=col)
            shown.add(technology)
        fig.update_yaxes(title_text=t("axis.vehicles"), rangemode="tozero", row=row, col=col)
        fig.update_xaxes(title_text=t("axis.year"), row=row, col=col)
    apply_style(fig, title, years, t, height=grid_height(len(panels)))
    fig.update_layout(hovermode="x unified")
    return fig
