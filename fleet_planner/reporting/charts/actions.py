"""What to buy when: vehicles bought, converted and sold each year, by technology.

Bars stack by year: purchases and conversions above zero, early sales below it. A technology keeps
its catalogue colour; the kind of action is told apart by the bar's pattern and edge (purchases
as the technology's own pattern, conversions cross-hatched with a dark edge, sales faded below
zero), so the chart reads in greyscale too."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.reporting.charts.style import (
    Colors,
    Patterns,
    apply_style,
    color_of,
    empty_figure,
    fill_pattern,
    in_catalogue_order,
    pattern_of,
)
from fleet_planner.reporting.i18n import Translator

ACTION_KINDS: tuple[tuple[str, str, str, str], ...] = (
    # kind, table, technology column, count column
    ("buy", "purchases", "technology", "purchases_count"),
    ("convert", "conversions", "to_technology", "conversions_count"),
    ("sell", "sales", "technology", "sales_count"),
)
CONVERSION_PATTERN = "x"
SALE_OPACITY = 0.45
EDGE = {"buy": "white", "convert": "#222222", "sell": "#222222"}


def action_counts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table: year, kind (buy / convert / sell), technology, count (all segments)."""
    parts = []
    for kind, name, technology, count in ACTION_KINDS:
        frame = tables.get(name, pd.DataFrame())
        if frame.empty or count not in frame.columns:
            continue
        grouped = frame.groupby(["year", technology], as_index=False)[count].sum()
        parts.append(pd.DataFrame({"year": grouped["year"].astype(int), "kind": kind,
                                   "technology": grouped[technology].astype(str), "count": grouped[count]}))
    columns = ["year", "kind", "technology", "count"]
    if not parts:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame["count"] > 0.5][columns]


def plot_actions(tables: Mapping[str, pd.DataFrame], colors: Colors, patterns: Patterns, t: Translator) -> go.Figure:
    """Bars by year and technology: bought and converted above zero, sold early below it."""
    title = t("chart.actions")
    counts = action_counts(tables)
    if counts.empty:
        return empty_figure(title, t("axis.year"), t("axis.actions"), t)
    first = tables["summary"]["first_year"].iloc[0] if "summary" in tables and not tables["summary"].empty else None
    last = tables["summary"]["last_year"].iloc[0] if "summary" in tables and not tables["summary"].empty else None
    years = list(range(int(first), int(last) + 1)) if first is not None else sorted(counts["year"].unique())
    fig = go.Figure()
    order = colors.get("technology", {})
    for kind, _name, _technology, _count in ACTION_KINDS:
        chosen = counts[counts["kind"] == kind]
        for technology in in_catalogue_order(chosen["technology"], order):
            rows = chosen[chosen["technology"] == technology].groupby("year")["count"].sum()
            values = [(-1 if kind == "sell" else 1) * float(rows.get(y, 0.0)) for y in years]
            color = color_of(colors, "technology", technology)
            shape = CONVERSION_PATTERN if kind == "convert" else pattern_of(patterns, "technology", technology)
            name = t(f"trace.action.{kind}", technology=t.technology(technology))
            fig.add_trace(go.Bar(
                x=years, y=values, name=name, marker={"color": color, "pattern": fill_pattern(color, shape),
                                                      "line": {"color": EDGE[kind], "width": 1},
                                                      "opacity": SALE_OPACITY if kind == "sell" else 1.0},
                text=[t.number(abs(v)) if abs(v) > 0.5 else "" for v in values], textposition="inside",
                meta={"kind": f"action:{kind}", "id": technology}, legendgroup=f"{kind}:{technology}",
                hovertemplate=f"{name} %{{x}}: %{{text}}<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#222222", "width": 1})
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=t("axis.actions"))
    fig.update_xaxes(title_text=t("axis.year"))
    apply_style(fig, title, years, t)
    return fig
