"""How the plan is paid: cash out by year and by way of paying (table cash_flows)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import ZERO_TOLERANCE, apply_style, currency_of, empty_figure, fill_pattern
from fleet_planner.reporting.i18n import Translator

CASH_FLOW_STYLES: dict[str, tuple[str, str]] = {  # cash_flows column -> (colour, pattern); up front first
    # the cost groups' colours where the meaning is the same (capex, financing, lease), others apart
    # from every technology and fuel colour
    "cash_capex_cost": ("#0072B2", "/"),
    "down_payments_cost": ("#004488", "x"),
    "loan_payments_cost": ("#994455", "\\"),
    "esco_fees_cost": ("#117733", "+"),
    "battery_lease_payments_cost": ("#661100", "."),
    "lease_payments_cost": ("#DDCC77", "/"),
    "lease_buy_outs_cost": ("#EE99AA", "|"),
}
"""Columns of cash_flows shown, each with one colour and pattern."""


def plot_cash_flows(cash_flows: pd.DataFrame, t: Translator) -> go.Figure:
    """Stacked bars of the owner's cash out for vehicles, conversions and infrastructure by year:
    paid up front (cash capex net of grants, down payments) and yearly payments (loans, ESCO fees,
    leases). The bar after the last year holds every payment that falls later."""
    title = t("chart.cash_flows")
    currency = currency_of(cash_flows) if not cash_flows.empty else ""
    if cash_flows.empty:
        return empty_figure(title, t("axis.year"), t("axis.cost", currency=currency), t)
    last = int(cash_flows["year"].max())
    labels = [str(int(y)) if int(y) < last else t("axis.later", year=last - 1) for y in cash_flows["year"]]
    fig = go.Figure()
    for column, (color, shape) in CASH_FLOW_STYLES.items():
        values = cash_flows[column].astype(float)
        if values.abs().max() < ZERO_TOLERANCE:
            continue
        name = t(f"column.{column}", currency=currency)
        fig.add_trace(go.Bar(x=labels, y=values, name=name, meta={"kind": "cash_flow", "id": column},
                             marker={"color": color, "pattern": fill_pattern(color, shape), "line": {"width": 0}},
                             hovertemplate=f"{name}: %{{y:,.0f}}<extra></extra>"))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=t("axis.cost", currency=currency), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"), type="category")
    apply_style(fig, title, None, t)
    return fig
