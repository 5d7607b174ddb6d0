"""Emissions of a client's plan against the optimum's (and the cap), for `compare --report`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import apply_style, empty_figure, line_trace
from fleet_planner.reporting.i18n import Translator


def plot_client_vs_optimum(emissions: pd.DataFrame, t: Translator) -> go.Figure:
    """Table: year, client_tco2e, optimum_tco2e, cap_tco2e (may be empty)."""
    title = t("compare.chart")
    if emissions.empty:
        return empty_figure(title, t("axis.year"), t("axis.emissions"), t)
    frame = emissions.sort_values("year")
    years = frame["year"].tolist()
    fig = go.Figure()
    fig.add_trace(line_trace(years, frame["optimum_tco2e"], t("compare.optimum"), "baseline"))
    cap = pd.to_numeric(frame["cap_tco2e"], errors="coerce") if "cap_tco2e" in frame else pd.Series(dtype=float)
    if cap.notna().any():
        fig.add_trace(line_trace(years, cap, t("trace.cap"), "cap", shape="hv"))
    fig.add_trace(line_trace(years, frame["client_tco2e"], t("compare.client"), "plan"))
    fig.update_yaxes(title_text=t("axis.emissions"), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, years, t)
    return fig
