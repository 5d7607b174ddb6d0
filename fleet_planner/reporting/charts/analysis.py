"""Charts of the analyses: the cost-emissions frontier, the tornado, the near-optimal alternatives.
Each is drawn from the analysis's own tables (docs/outputs.md, "Analyses")."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import Colors, apply_style, color_of, empty_figure
from fleet_planner.reporting.i18n import Translator

FRONTIER_COLOR = "#1a1a1a"
TARGET_COLOR = "rgba(192,57,43,0.85)"
LOW_COLOR, HIGH_COLOR = "#2c7fb8", "#d95f0e"


def purchase_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("purchases_") and c.endswith("_count")]


def technology_of(column: str) -> str:
    return column[len("purchases_"):-len("_count")]


def plot_frontier(frontier: pd.DataFrame, target: pd.DataFrame, currency: str, t: Translator) -> go.Figure:
    """NPV against emissions, one marker per point, labelled with the technologies entering there;
    the scenario's own plan (with its yearly caps) and the sum of its caps marked."""
    title = t("frontier.chart_title")
    x_title, y_title = t("frontier.axis_emissions"), t("frontier.axis_cost", currency=currency)
    if frontier.empty:
        return empty_figure(title, x_title, y_title, t)
    labels = [" + ".join(t.technology(x) for x in str(e).split()) if isinstance(e, str) and e else ""
              for e in frontier["entering"]]
    hover = [t("frontier.hover", point=int(p), mac=t.number(m) if pd.notna(m) else "–")
             for p, m in zip(frontier["point"], frontier["marginal_abatement_cost_per_tco2e"], strict=True)]
    fig = go.Figure(go.Scatter(x=frontier["emissions_tco2e"], y=frontier["npv_cost"], mode="lines+markers+text",
                               text=labels, textposition="top right", hovertext=hover,
                               name=t("frontier.trace"), line={"color": FRONTIER_COLOR, "width": 2.5},
                               marker={"size": 9}))
    if not target.empty:
        own = target.iloc[0]
        fig.add_trace(go.Scatter(x=[own["emissions_tco2e"]], y=[own["npv_cost"]], mode="markers",
                                 name=t("frontier.own_plan"), marker={"symbol": "diamond", "size": 13,
                                                                      "color": TARGET_COLOR}))
        if pd.notna(own["target_tco2e"]):
            fig.add_vline(x=float(own["target_tco2e"]), line={"color": TARGET_COLOR, "dash": "dot", "width": 2},
                          annotation_text=t("frontier.target"), annotation_position="top left")
    fig.update_xaxes(title_text=x_title, rangemode="tozero")
    fig.update_yaxes(title_text=y_title)
    apply_style(fig, title, None, t)
    return fig


def plot_tornado(tornado: pd.DataFrame, quantity: str, title: str, axis: str, t: Translator) -> go.Figure:
    """Change of `quantity` from the optimum's value at each input's low and high end, the input with
    the widest swing on top."""
    rows = tornado[tornado["quantity"] == quantity] if not tornado.empty else tornado
    if rows.empty:
        return empty_figure(title, axis, "", t)
    swing = rows.groupby("input")["change"].agg(lambda c: c.abs().max()).sort_values()
    names = {i: input_label(i, t) for i in swing.index}
    fig = go.Figure()
    for end, color in (("low", LOW_COLOR), ("high", HIGH_COLOR)):
        part = rows[rows["end"] == end].set_index("input").reindex(swing.index)
        fig.add_trace(go.Bar(y=[names[i] for i in swing.index], x=part["change"], orientation="h",
                             name=t(f"sensitivity.end_{end}"), marker={"color": color},
                             hovertext=[t.number(v, 3) for v in part["input_value"]]))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=axis, zeroline=True, zerolinewidth=2)
    apply_style(fig, title, None, t, height=max(300, 120 + 40 * len(swing)))
    return fig


def input_label(name: str, t: Translator) -> str:
    """fuel.diesel -> 'Diesel price', capex.bev -> 'Battery electric capex', discount_rate."""
    kind, _, item = name.partition(".")
    if kind == "fuel":
        return t("sensitivity.input_fuel", fuel=t.fuel(item))
    if kind == "capex":
        return t("sensitivity.input_capex", technology=t.technology(item))
    return t("sensitivity.input_discount_rate")


def plot_alternatives(alternatives: pd.DataFrame, colors: Colors, t: Translator) -> go.Figure:
    """Vehicles gained per technology in the optimum and each alternative, side by side."""
    title = t("alternatives.chart_title")
    if alternatives.empty:
        return empty_figure(title, "", t("alternatives.axis_vehicles"), t)
    plans = [plan_label(p, t) for p in alternatives["plan"]]
    fig = go.Figure()
    for column in purchase_columns(alternatives):
        technology = technology_of(column)
        fig.add_trace(go.Bar(x=plans, y=alternatives[column], name=t.technology(technology),
                             marker={"color": color_of(colors, "technology", technology)}))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=t("alternatives.axis_vehicles"))
    apply_style(fig, title, None, t)
    return fig


def plan_label(plan: str, t: Translator) -> str:
    """optimum / most_bev / least_bev / earliest_zero_emission ... in words."""
    for prefix in ("most_", "least_"):
        if plan.startswith(prefix) and plan not in ("most_zero_emission",):
            return t(f"alternatives.plan_{prefix[:-1]}", technology=t.technology(plan[len(prefix):]))
    return t(f"alternatives.plan_{plan}")
