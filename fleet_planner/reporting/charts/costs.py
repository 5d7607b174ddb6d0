"""Cost charts: yearly cost stack, cumulative discounted cost, cost per unit of activity."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import (
    LINE_STYLES,
    ZERO_TOLERANCE,
    Colors,
    Patterns,
    apply_style,
    color_of,
    currency_of,
    empty_figure,
    fill_pattern,
    grid_height,
    in_catalogue_order,
    line_trace,
    panel_grid,
    panel_position,
    pattern_of,
    segments_in_order,
)
from fleet_planner.reporting.i18n import Translator

COST_GROUPS: dict[str, tuple[str, ...]] = {
    "capex_net": ("capex", "subsidy"),
    "conversion": ("conversion",),
    "infrastructure": ("infrastructure",),
    "financing": ("financing",),
    "lease": ("lease",),
    "om": ("fixed_om", "variable_om", "wear"),
    "energy": ("energy",),
    "carbon": ("carbon",),
    "resale": ("resale",),
    "residual_value": ("residual_value",),
    "unmet_penalty": ("unmet_penalty",),
}
"""How the ledger's cost categories are shown in the cost stack; others go to 'other'."""


BASELINE_BAR_OPACITY = 0.5
"""A baseline technology the plan no longer uses is drawn faded beside the plan's technologies."""
APART_FROM_YEARLY_COSTS = ("residual_value",)
"""Groups left out of the yearly cost stack: the value of what is left after the last year is one
end-of-horizon credit, not a cost of that year; the report shows it in its own section."""


COST_GROUP_STYLES: dict[str, tuple[str, str]] = {  # group -> (colour, pattern)
    # colours no technology or fuel of the catalogue uses (one colour, one meaning across charts):
    # Okabe-Ito blue and Paul Tol's muted scheme
    "capex_net": ("#0072B2", "/"),
    "conversion": ("#88CCEE", "x"),
    "infrastructure": ("#332288", "+"),
    "financing": ("#994455", "\\"),
    "lease": ("#DDCC77", "/"),
    "om": ("#AA4499", "."),
    "energy": ("#882255", "\\"),
    "carbon": ("#CC6677", "|"),
    "resale": ("#999999", "-"),
    "residual_value": ("#DDDDDD", "."),
    "unmet_penalty": ("#000000", "x"),
    "other": ("#BBBBBB", ""),
}


def plot_cost_stack(costs: pd.DataFrame, t: Translator) -> go.Figure:
    """Yearly real (undiscounted) cost stacked by category group; credits (resale) below zero; a line
    for the net total. The end-of-horizon value is left out (APART_FROM_YEARLY_COSTS).
    Table: costs (year, category, cost, currency)."""
    title = t("chart.cost_stack")
    currency = currency_of(costs)
    if costs.empty:
        return empty_figure(title, t("axis.year"), t("axis.cost", currency=currency), t)
    by_group = cost_by_group(costs, "cost")
    by_group = by_group.drop(columns=[g for g in APART_FROM_YEARLY_COSTS if g in by_group.columns])
    years = by_group.index.tolist()
    fig = go.Figure()
    for group in by_group.columns:
        color, shape = COST_GROUP_STYLES[group]
        fig.add_trace(go.Bar(
            x=years, y=by_group[group], name=t(f"category.{group}"),
            marker={"color": color, "pattern": fill_pattern(color, shape), "line": {"width": 0}},
            meta={"kind": "category", "id": group},
            hovertemplate=f"{t(f'category.{group}')}: %{{y:,.0f}} {currency}<extra></extra>",
        ))
    fig.add_trace(go.Scatter(x=years, y=by_group.sum(axis=1), name=t("trace.net_total"), mode="lines+markers",
                             line={"color": LINE_STYLES["plan"][0], "width": 2}, marker={"size": 6},
                             meta={"kind": "series", "id": "net_total"},
                             hovertemplate=f"{t('trace.net_total')}: %{{y:,.0f}} {currency}<extra></extra>"))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=t("axis.cost", currency=currency), zeroline=True, zerolinecolor="#444")
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, years, t)
    return fig


def cost_group_of(category: str) -> str:
    """The cost-stack group of a ledger category (capex and subsidy -> capex_net, ...)."""
    for group, categories in COST_GROUPS.items():
        if category in categories:
            return group
    return "other"


def cost_by_group(costs: pd.DataFrame, value_column: str) -> pd.DataFrame:
    """Years x category groups (COST_GROUPS order); groups that are zero in every year are left out."""
    frame = costs.assign(group=costs["category"].map(cost_group_of))
    table = frame.pivot_table(index="year", columns="group", values=value_column, aggfunc="sum").fillna(0.0)
    order = [g for g in [*COST_GROUPS, "other"] if g in table.columns]
    table = table[order]
    return table.loc[:, table.abs().max() >= ZERO_TOLERANCE]


def plot_cumulative_cost(cumulative_cost: pd.DataFrame, t: Translator) -> go.Figure:
    """Cumulative discounted cost of the plan and of the baseline, labelled at the last year.

    Table: cumulative_cost (cumulative_discounted_cost, cumulative_discounted_cost_baseline)."""
    title = t("chart.cumulative_cost")
    currency = currency_of(cumulative_cost)
    y_title = t("axis.cumulative_cost", currency=currency)
    if cumulative_cost.empty:
        return empty_figure(title, t("axis.year"), y_title, t)
    frame = cumulative_cost.sort_values("year")
    years = frame["year"].tolist()
    fig = go.Figure()
    series = [("baseline", "cumulative_discounted_cost_baseline", t("trace.baseline")),
              ("plan", "cumulative_discounted_cost", t("trace.plan"))]
    present = [(key, column, name) for key, column, name in series if column in frame.columns]
    last_values = {key: float(frame[column].iloc[-1]) for key, column, _ in present}
    for key, column, name in present:
        fig.add_trace(line_trace(years, frame[column], name, key))
        higher = last_values[key] >= max(last_values.values())
        fig.add_annotation(x=years[-1], y=last_values[key], text=f"{name}: {t.number(last_values[key])}",
                           showarrow=False, xanchor="left", xshift=8, yshift=9 if higher else -9,
                           font={"color": LINE_STYLES[key][0]})
    fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(title_text=t("axis.year"), range=[years[0] - 0.2, years[-1] + 0.2])
    apply_style(fig, title, years, t)
    fig.update_layout(margin={"r": 180}, showlegend=False)  # the lines are labelled directly
    return fig


def with_baseline_technologies(cost_per_activity: pd.DataFrame, baseline: pd.DataFrame | None) -> pd.DataFrame:
    """The plan's rows plus, per segment, the baseline's technologies the plan does not use (marked
    `from_baseline`), so a chart can compare against what the plan replaces."""
    plan = cost_per_activity.assign(from_baseline=False)
    if baseline is None or baseline.empty or plan.empty:
        return plan
    used = set(zip(plan["segment"], plan["technology"], strict=True))
    extra = baseline[[(s, t) not in used and s in set(plan["segment"]) for s, t in
                      zip(baseline["segment"], baseline["technology"], strict=True)]]
    return pd.concat([plan, extra.assign(from_baseline=True)], ignore_index=True)


def plot_cost_per_activity(cost_per_activity: pd.DataFrame, colors: Colors, patterns: Patterns,
                           t: Translator) -> go.Figure:
    """Discounted cost per km (or per operating hour) by technology: one bar panel per segment,
    each bar labelled with its value; a baseline technology the plan drops (rows with
    `from_baseline`) is drawn faded and named as the baseline's. Table: cost_per_activity
    (cost_per_au, activity_unit), see with_baseline_technologies."""
    title = t("chart.cost_per_activity")
    currency = currency_of(cost_per_activity)
    if cost_per_activity.empty:
        return empty_figure(title, t("axis.technology"), t("axis.cost_per_km", currency=currency), t)
    segments = segments_in_order(cost_per_activity)
    fig = panel_grid([t.segment(s) for s in segments])
    order = colors.get("technology", {})
    shown: set[str] = set()
    for index, segment in enumerate(segments):
        row, col = panel_position(index, len(segments))
        frame = cost_per_activity[cost_per_activity["segment"] == segment].set_index("technology")
        unit = str(frame["activity_unit"].iloc[0])
        for technology in in_catalogue_order(frame.index, order):
            value = float(frame.loc[technology, "cost_per_au"])
            color = color_of(colors, "technology", technology)
            baseline = bool(frame.loc[technology].get("from_baseline", False))
            label = t("trace.baseline_technology", technology=t.technology(technology)) if baseline \
                else t.technology(technology)
            fig.add_trace(go.Bar(
                x=[label], y=[value], name=label, opacity=BASELINE_BAR_OPACITY if baseline else 1.0,
                legendgroup=f"technology:{technology}", showlegend=technology not in shown,
                marker={"color": color, "pattern": fill_pattern(color, pattern_of(patterns, "technology",
                                                                                  technology))},
                text=[t.number(value, 3 if abs(value) < 10 else 1)], textposition="outside",
                meta={"kind": "technology", "id": technology},
                hovertemplate=f"%{{x}}: %{{y:,.4~g}} {currency}/{unit}<extra></extra>",
            ), row=row, col=col)
            shown.add(technology)
        fig.update_yaxes(title_text=activity_cost_axis_title(unit, currency, t), rangemode="tozero",
                         row=row, col=col)
        fig.update_xaxes(title_text=t("axis.technology"), row=row, col=col)
    fig.update_layout(barmode="relative", bargap=0.35)
    apply_style(fig, title, None, t, height=grid_height(len(segments)))
    return fig


def activity_cost_axis_title(unit: str, currency: str, t: Translator) -> str:
    """'Cost per km [USD/km]', 'Cost per operating hour [USD/h]', or generic for other units."""
    if unit in ("km", "h"):
        return t(f"axis.cost_per_{unit}", currency=currency)
    return t("axis.cost_per_au", unit=unit, currency=currency)


# ---------------------------------------------------------------- energy
