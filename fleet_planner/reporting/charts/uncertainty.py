"""Charts of a Monte Carlo sweep: the fan of cumulative discounted cost (P10-P90 band and P50 line,
plan and baseline), how often each technology is chosen, and the sensitivity indices."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import LINE_STYLES, apply_style, empty_figure
from fleet_planner.reporting.i18n import Translator

BAND_COLORS = {"plan": "rgba(26,26,26,0.18)", "baseline": "rgba(128,128,128,0.22)"}


def plot_fan(fan: pd.DataFrame, t: Translator, currency: str) -> go.Figure:
    """Cumulative discounted cost by year: P10-P90 band and P50 line of the plan and the baseline.

    Table: fan (year, series, p10_cost, p50_cost, p90_cost)."""
    title = t("uncertainty.chart_fan")
    y_title = t("uncertainty.axis_cumulative_cost", currency=currency)
    if fan.empty:
        return empty_figure(title, t("axis.year"), y_title, t)
    fig = go.Figure()
    for series in ("baseline", "plan"):
        frame = fan[fan["series"] == series].sort_values("year")
        if frame.empty:
            continue
        years = frame["year"].tolist()
        name = t(f"trace.{series}")
        fig.add_trace(go.Scatter(x=years, y=frame["p10_cost"].tolist(), mode="lines", line={"width": 0},
                                 showlegend=False, hoverinfo="skip", meta={"kind": "band", "id": f"{series}_p10"}))
        fig.add_trace(go.Scatter(x=years, y=frame["p90_cost"].tolist(), mode="lines", line={"width": 0},
                                 fill="tonexty", fillcolor=BAND_COLORS[series],
                                 name=t("uncertainty.trace_band", series=name),
                                 meta={"kind": "band", "id": f"{series}_band"},
                                 hovertemplate="%{x}: P90 %{y:,.0f}<extra></extra>"))
        color, dash = LINE_STYLES[series]
        fig.add_trace(go.Scatter(x=years, y=frame["p50_cost"].tolist(), mode="lines",
                                 line={"color": color, "dash": dash, "width": 2.5},
                                 name=t("uncertainty.trace_median", series=name),
                                 meta={"kind": "series", "id": f"{series}_p50"},
                                 hovertemplate="%{x}: P50 %{y:,.0f}<extra></extra>"))
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, sorted(set(fan["year"])), t)
    return fig


def plot_choices(technologies: pd.DataFrame, t: Translator, colors: dict[str, str]) -> go.Figure:
    """Share of samples whose optimum buys (or converts to) each technology.

    Table: technologies (technology, chosen_share)."""
    title = t("uncertainty.chart_choices")
    if technologies.empty:
        return empty_figure(title, t("uncertainty.axis_technology"), t("uncertainty.axis_share"), t)
    names = [t.technology(x) for x in technologies["technology"]]
    fig = go.Figure(go.Bar(x=names, y=technologies["chosen_share"].tolist(),
                           marker={"color": [colors.get(x, "#8c8c8c") for x in technologies["technology"]]},
                           meta={"kind": "bar", "id": "choices"}, hovertemplate="%{x}: %{y:.0%}<extra></extra>"))
    fig.update_yaxes(title_text=t("uncertainty.axis_share"), tickformat=".0%", range=[0, 1])
    fig.update_xaxes(title_text=t("uncertainty.axis_technology"))
    apply_style(fig, title, None, t, height=380)
    return fig


def plot_sensitivity(sensitivity: pd.DataFrame, t: Translator, output: str) -> go.Figure:
    """First-order Sobol' index of each input on one output, largest on top, with its confidence.

    Table: sensitivity (output, input, s1, s1_conf)."""
    title = t("uncertainty.chart_sensitivity", output=t(f"uncertainty.outcome_{output}"))
    frame = sensitivity[sensitivity["output"] == output].sort_values("s1") if not sensitivity.empty else sensitivity
    if frame.empty:
        return empty_figure(title, t("uncertainty.axis_delta"), "", t)
    fig = go.Figure(go.Bar(x=frame["s1"].tolist(), y=frame["input"].tolist(), orientation="h",
                           error_x={"type": "data", "array": frame["s1_conf"].tolist()},
                           marker={"color": LINE_STYLES["plan"][0]}, meta={"kind": "bar", "id": f"s1_{output}"},
                           hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    fig.update_xaxes(title_text=t("uncertainty.axis_delta"), rangemode="tozero")
    apply_style(fig, title, None, t, height=max(300, 60 + 28 * len(frame)))
    return fig
