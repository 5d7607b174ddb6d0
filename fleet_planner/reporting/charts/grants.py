"""Grants by year and subsidy rule (table: subsidies)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import apply_style, currency_of, empty_figure, fill_pattern
from fleet_planner.reporting.i18n import Translator

GRANT_COLORS: tuple[str, ...] = ("#114477", "#77AADD", "#AACCEE", "#0B2545")
"""Blues of capital money (grants reduce capex), apart from every technology and fuel colour and
from the cost groups; one per rule in order."""
GRANT_PATTERNS: tuple[str, ...] = ("", "/", ".", "x")


def plot_grants(subsidies: pd.DataFrame, t: Translator, currency: str = "") -> go.Figure:
    """Grants claimed each year, stacked by subsidy rule and labelled. Table: subsidies
    (year, rule, subsidy_cost, currency)."""
    title = t("chart.grants")
    currency = currency_of(subsidies) or currency
    if subsidies.empty or subsidies["subsidy_cost"].abs().sum() < 1e-6:
        return empty_figure(title, t("axis.year"), t("axis.grant", currency=currency), t)
    years = sorted(int(y) for y in subsidies["year"].unique())
    fig = go.Figure()
    for index, rule in enumerate(dict.fromkeys(subsidies["rule"].astype(str))):
        rows = subsidies[subsidies["rule"].astype(str) == rule].groupby("year")["subsidy_cost"].sum()
        color = GRANT_COLORS[index % len(GRANT_COLORS)]
        values = [float(rows.get(y, 0.0)) for y in years]
        fig.add_trace(go.Bar(x=years, y=values, name=rule, text=[t.number(v) if v else "" for v in values],
                             textposition="auto", meta={"kind": "grant_rule", "id": rule},
                             marker={"color": color, "pattern": fill_pattern(color, GRANT_PATTERNS[index % 4])},
                             hovertemplate=f"{rule} %{{x}}: %{{y:,.0f}} {currency}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=t("axis.grant", currency=currency), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, years, t)
    return fig
