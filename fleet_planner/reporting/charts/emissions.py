"""Emissions of the plan against its cap and the baseline."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import (
    CAP_AREA_COLOR,
    CAP_LINE_WIDTH,
    LINE_STYLES,
    apply_style,
    decimals_for,
    empty_figure,
    line_trace,
    milestone_years,
)
from fleet_planner.reporting.i18n import Translator


def plot_emissions(emissions: pd.DataFrame, t: Translator, *, scope: str = "ttw") -> go.Figure:
    """Plan emissions (policy scope) vs the cap and the baseline, with milestone years marked.

    Table: emissions (emissions_tco2e, cap_tco2e (may be empty), baseline_tco2e)."""
    scope_name = t(f"scope.{scope}") if scope in ("ttw", "wtw") else scope
    title = t("chart.emissions", scope=scope_name)
    if emissions.empty:
        return empty_figure(title, t("axis.year"), t("axis.emissions"), t)
    frame = emissions.sort_values("year")
    years = frame["year"].tolist()
    fig = go.Figure()
    if "baseline_tco2e" in frame.columns and frame["baseline_tco2e"].notna().any():
        fig.add_trace(line_trace(years, frame["baseline_tco2e"], t("trace.baseline"), "baseline"))
    cap = frame["cap_tco2e"] if "cap_tco2e" in frame.columns else pd.Series(dtype=float)
    if cap.notna().any():
        fig.add_trace(go.Scatter(x=years, y=list(cap), name=t("trace.cap_allowed"), mode="lines", fill="tozeroy",
                                 fillcolor=CAP_AREA_COLOR, line={"width": 0, "shape": "hv"}, hoverinfo="skip",
                                 meta={"kind": "series", "id": "cap_area"}))
        fig.add_trace(line_trace(years, cap, t("trace.cap"), "cap", shape="hv", width=CAP_LINE_WIDTH))
    fig.add_trace(line_trace(years, frame["emissions_tco2e"], t("trace.plan"), "plan"))
    milestones = milestone_years(years, cap.tolist() if not cap.empty else [])
    marked = frame[frame["year"].isin(milestones)]
    fig.add_trace(go.Scatter(
        x=marked["year"], y=marked["emissions_tco2e"], name=t("trace.milestones"), mode="markers+text",
        marker={"color": LINE_STYLES["plan"][0], "size": 9, "symbol": "diamond"},
        text=[t.number(v, decimals_for(frame[["emissions_tco2e", "baseline_tco2e"]].stack()
                                         if "baseline_tco2e" in frame.columns else frame["emissions_tco2e"]))
              for v in marked["emissions_tco2e"]],
        textposition="top center", meta={"kind": "series", "id": "milestones"},
        hovertemplate="%{x}: %{y:,.4~g} tCO2e<extra></extra>",
    ))
    fig.update_yaxes(title_text=t("axis.emissions"), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, years, t)
    return fig
