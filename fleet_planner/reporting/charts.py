"""Plotly charts of a plan, drawn from the plan tables alone.

Every `plot_*` function takes one tidy result table (the same DataFrame as the CSV file of a
result folder; columns in docs/outputs.md) and returns a `go.Figure`. Nothing here reads the
solver or files. Colours and fill patterns come from the catalogue (technology_types.csv
`color`/`pattern`, fuels.csv `color`) and are passed in, so one technology has one colour and
one pattern in every chart; the patterns (and direct value labels on bars) keep the charts
readable when printed in greyscale. All words come from a `Translator` (fleet_planner.reporting.i18n).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fleet_planner.reporting.i18n import Translator, translator

CHART_NAMES: tuple[str, ...] = (
    "fleet_composition", "emissions", "cost_stack", "cumulative_cost", "cost_per_activity", "energy_by_fuel",
)
"""Names of the charts, in report order (also the image file names)."""

Colors = Mapping[str, Mapping[str, str]]
"""{"technology": {id: "#rrggbb"}, "fuel": {id: "#rrggbb"}} from the catalogue."""
Patterns = Mapping[str, Mapping[str, str]]
"""{"technology": {id: shape}, "fuel": {id: shape}}; shapes as plotly's fill patterns."""

PATTERN_SHAPES: tuple[str, ...] = ("", "/", "\\", "x", "-", "|", "+", ".")
"""Fill pattern shapes plotly can draw ('' = solid)."""
FUEL_PATTERN_CYCLE: tuple[str, ...] = ("", "/", "\\", "x", ".", "+", "-", "|")
"""fuels.csv has no pattern column: fuels get these shapes in catalogue row order."""
FALLBACK_COLORS: tuple[str, ...] = ("#8c8c8c", "#b3b3b3", "#5e5e5e", "#d0d0d0")
"""Greys for ids without a catalogue colour (should not happen with a checked catalogue)."""

PATTERN_FOREGROUND = "rgba(255,255,255,0.8)"
AREA_EDGE_COLOR = "white"
"""Thin white edges between stacked areas (a zero-height band draws no coloured line)."""
LINE_STYLES: dict[str, tuple[str, str]] = {  # series -> (colour, dash)
    "plan": ("#1a1a1a", "solid"),
    "baseline": ("#808080", "dash"),
    "cap": ("#c0392b", "dot"),
}
COST_GROUPS: dict[str, tuple[str, ...]] = {
    "capex_net": ("capex", "subsidy"),
    "conversion": ("conversion",),
    "infrastructure": ("infrastructure",),
    "om": ("fixed_om", "variable_om"),
    "energy": ("energy",),
    "carbon": ("carbon",),
    "resale_residual": ("resale", "residual_value"),
    "unmet_penalty": ("unmet_penalty",),
}
"""How the ledger's cost categories are shown in the cost stack; others go to 'other'."""
COST_GROUP_STYLES: dict[str, tuple[str, str]] = {  # group -> (colour, pattern); Okabe-Ito palette
    "capex_net": ("#0072B2", "/"),
    "conversion": ("#56B4E9", "x"),
    "infrastructure": ("#009E73", "+"),
    "om": ("#CC79A7", "."),
    "energy": ("#E69F00", "\\"),
    "carbon": ("#D55E00", "|"),
    "resale_residual": ("#999999", "-"),
    "unmet_penalty": ("#000000", "x"),
    "other": ("#BBBBBB", ""),
}
MILESTONE_EVERY_YEARS = 5
"""Emission milestones: every year divisible by this, the first and last year, and cap changes."""
FONT_FAMILY = ('"Open Sans", "Noto Sans", Arial, "Liberation Sans", Helvetica, "Noto Sans CJK JP", "IPAexGothic", '
               '"IPAPGothic", "IPAGothic", "VL PGothic", sans-serif')
"""Latin fonts first; Japanese glyphs fall back to the first installed CJK font."""
ZERO_TOLERANCE = 1e-6
"""Values smaller than this (in the table's unit) count as zero when deciding what to draw."""
PANEL_HEIGHT_PX = 300
YEARLY_TICKS_MAX_SPAN = 8
"""Horizons up to this many years get a tick every year; longer ones let plotly choose."""
COLUMNS_MAX = 2


# ---------------------------------------------------------------- styles from the catalogue

def catalogue_colors(catalogue_tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Colours by id from technology_types.csv and fuels.csv (`color` column), in catalogue order."""
    return {
        "technology": _column_by_id(catalogue_tables.get("technology_types"), "technology", "color"),
        "fuel": _column_by_id(catalogue_tables.get("fuels"), "fuel", "color"),
    }


def catalogue_patterns(catalogue_tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Fill patterns by id: technology_types.csv `pattern`; fuels get FUEL_PATTERN_CYCLE in row order."""
    technology = {k: (v if v in PATTERN_SHAPES else "") for k, v in
                  _column_by_id(catalogue_tables.get("technology_types"), "technology", "pattern").items()}
    fuels = catalogue_tables.get("fuels")
    fuel_ids = [] if fuels is None or fuels.empty else [str(f) for f in fuels["fuel"]]
    fuel = {f: FUEL_PATTERN_CYCLE[i % len(FUEL_PATTERN_CYCLE)] for i, f in enumerate(fuel_ids)}
    return {"technology": technology, "fuel": fuel}


def _column_by_id(frame: pd.DataFrame | None, key: str, column: str) -> dict[str, str]:
    if frame is None or frame.empty or column not in frame.columns:
        return {}
    return {str(k): (v if isinstance(v, str) else "") for k, v in zip(frame[key], frame[column], strict=True)}


def _color(colors: Colors, kind: str, identifier: str) -> str:
    known = colors.get(kind, {})
    if known.get(identifier):
        return known[identifier]
    return FALLBACK_COLORS[sum(map(ord, identifier)) % len(FALLBACK_COLORS)]


def _pattern(patterns: Patterns, kind: str, identifier: str) -> str:
    shape = patterns.get(kind, {}).get(identifier, "")
    return shape if shape in PATTERN_SHAPES else ""


def _in_catalogue_order(ids: Iterable[str], order: Mapping[str, str]) -> list[str]:
    """Ids sorted as the catalogue lists them (stacking order is the same in every chart)."""
    position = {identifier: i for i, identifier in enumerate(order)}
    return sorted(set(ids), key=lambda i: (position.get(i, len(position)), i))


# ---------------------------------------------------------------- all charts

def figures(tables: Mapping[str, pd.DataFrame], colors: Colors, patterns: Patterns,
            t: Translator | None = None) -> dict[str, go.Figure]:
    """Every chart of a plan, keyed by CHART_NAMES. A missing table gives an empty chart."""
    t = t or translator("en")
    summary = tables.get("summary")
    scope = str(summary["emission_scope"].iloc[0]) if summary is not None and not summary.empty else "ttw"

    def table(name: str) -> pd.DataFrame:
        return tables.get(name, pd.DataFrame())

    return {
        "fleet_composition": plot_fleet_composition(table("fleet"), colors, patterns, t),
        "emissions": plot_emissions(table("emissions"), t, scope=scope),
        "cost_stack": plot_cost_stack(table("costs"), t),
        "cumulative_cost": plot_cumulative_cost(table("cumulative_cost"), t),
        "cost_per_activity": plot_cost_per_activity(table("cost_per_activity"), colors, patterns, t),
        "energy_by_fuel": plot_energy_by_fuel(table("energy_by_fuel"), colors, patterns, t),
    }


# ---------------------------------------------------------------- fleet composition

def plot_fleet_composition(fleet: pd.DataFrame, colors: Colors, patterns: Patterns, t: Translator) -> go.Figure:
    """Stacked area of vehicles in stock by technology over the years: one panel per segment,
    plus a whole-fleet panel when there is more than one segment. Table: fleet (stock_count)."""
    title = t("chart.fleet_composition")
    if fleet.empty:
        return _empty_figure(title, t("axis.year"), t("axis.vehicles"), t)
    panels = [(t.segment(s), fleet[fleet["segment"] == s]) for s in _segments_in_order(fleet)]
    if len(panels) > 1:
        panels.append((t("panel.fleet_total"), fleet))
    fig = _panel_grid([name for name, _ in panels])
    technologies = _in_catalogue_order(fleet["technology"], colors.get("technology", {}))
    years = sorted(fleet["year"].unique())
    shown: set[str] = set()
    for index, (_, frame) in enumerate(panels):
        row, col = _panel_position(index, len(panels))
        stock = frame.pivot_table(index="year", columns="technology", values="stock_count", aggfunc="sum")
        stock = stock.reindex(index=years, fill_value=0.0).fillna(0.0)
        for technology in technologies:
            if technology not in stock.columns or stock[technology].abs().max() < ZERO_TOLERANCE:
                continue
            fig.add_trace(_area_trace(years, stock[technology], t.technology(technology),
                                      _color(colors, "technology", technology),
                                      _pattern(patterns, "technology", technology),
                                      stackgroup=f"panel{index}", kind="technology", identifier=technology,
                                      showlegend=technology not in shown), row=row, col=col)
            shown.add(technology)
        fig.update_yaxes(title_text=t("axis.vehicles"), rangemode="tozero", row=row, col=col)
        fig.update_xaxes(title_text=t("axis.year"), row=row, col=col)
    _style(fig, title, years, t, height=_grid_height(len(panels)))
    fig.update_layout(hovermode="x unified")
    return fig


def _segments_in_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(str(s) for s in frame["segment"]))


def _area_trace(years: list, values: Iterable[float], name: str, color: str, pattern: str, *, stackgroup: str,
                kind: str, identifier: str, showlegend: bool) -> go.Scatter:
    return go.Scatter(
        x=years, y=list(values), name=name, legendgroup=f"{kind}:{identifier}", showlegend=showlegend,
        mode="lines", stackgroup=stackgroup, line={"color": AREA_EDGE_COLOR, "width": 0.5},
        fillcolor=color, fillpattern=_fill_pattern(color, pattern),
        meta={"kind": kind, "id": identifier}, hovertemplate=f"{name}: %{{y:,.4~g}}<extra></extra>",
    )


def _fill_pattern(color: str, shape: str) -> dict:
    return {"shape": shape, "bgcolor": color, "fgcolor": PATTERN_FOREGROUND, "size": 8, "solidity": 0.25}


# ---------------------------------------------------------------- emissions

def plot_emissions(emissions: pd.DataFrame, t: Translator, *, scope: str = "ttw") -> go.Figure:
    """Plan emissions (policy scope) vs the cap and the baseline, with milestone years marked.

    Table: emissions (emissions_tco2e, cap_tco2e (may be empty), baseline_tco2e)."""
    scope_name = t(f"scope.{scope}") if scope in ("ttw", "wtw") else scope
    title = t("chart.emissions", scope=scope_name)
    if emissions.empty:
        return _empty_figure(title, t("axis.year"), t("axis.emissions"), t)
    frame = emissions.sort_values("year")
    years = frame["year"].tolist()
    fig = go.Figure()
    if "baseline_tco2e" in frame.columns and frame["baseline_tco2e"].notna().any():
        fig.add_trace(_line_trace(years, frame["baseline_tco2e"], t("trace.baseline"), "baseline"))
    cap = frame["cap_tco2e"] if "cap_tco2e" in frame.columns else pd.Series(dtype=float)
    if cap.notna().any():
        fig.add_trace(_line_trace(years, cap, t("trace.cap"), "cap", shape="hv"))
    fig.add_trace(_line_trace(years, frame["emissions_tco2e"], t("trace.plan"), "plan"))
    milestones = milestone_years(years, cap.tolist() if not cap.empty else [])
    marked = frame[frame["year"].isin(milestones)]
    fig.add_trace(go.Scatter(
        x=marked["year"], y=marked["emissions_tco2e"], name=t("trace.milestones"), mode="markers+text",
        marker={"color": LINE_STYLES["plan"][0], "size": 9, "symbol": "diamond"},
        text=[t.number(v, _decimals_for(frame[["emissions_tco2e", "baseline_tco2e"]].stack()
                                         if "baseline_tco2e" in frame.columns else frame["emissions_tco2e"]))
              for v in marked["emissions_tco2e"]],
        textposition="top center", meta={"kind": "series", "id": "milestones"},
        hovertemplate="%{x}: %{y:,.4~g} tCO2e<extra></extra>",
    ))
    fig.update_yaxes(title_text=t("axis.emissions"), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    _style(fig, title, years, t)
    return fig


def milestone_years(years: list[int], cap_tco2e: list[float | None]) -> list[int]:
    """First and last year, every MILESTONE_EVERY_YEARS-th year, and years where the cap changes."""
    marked = {years[0], years[-1], *(y for y in years if y % MILESTONE_EVERY_YEARS == 0)} if years else set()
    previous = None
    for year, cap in zip(years, cap_tco2e, strict=False):
        value = None if cap is None or pd.isna(cap) else round(float(cap), 9)
        if value is not None and value != previous:
            marked.add(year)
        previous = value
    return sorted(marked)


def _line_trace(years: list, values: Iterable[float], name: str, series: str, *, shape: str = "linear",
                ) -> go.Scatter:
    color, dash = LINE_STYLES[series]
    return go.Scatter(x=years, y=list(values), name=name, mode="lines", line={"color": color, "dash": dash,
                      "width": 2.5, "shape": shape}, meta={"kind": "series", "id": series},
                      hovertemplate=f"{name}: %{{y:,.4~g}}<extra></extra>")


def _decimals_for(values: pd.Series) -> int:
    """Decimals for labels: none for large numbers, one below 100, two below 1."""
    peak = values.abs().max() if not values.empty else 0
    return 0 if peak >= 100 or peak < ZERO_TOLERANCE else 1 if peak >= 1 else 2


# ---------------------------------------------------------------- costs

def plot_cost_stack(costs: pd.DataFrame, t: Translator) -> go.Figure:
    """Yearly real (undiscounted) cost stacked by category group; credits (resale, residual value)
    below zero; a line for the net total. Table: costs (year, category, cost, currency)."""
    title = t("chart.cost_stack")
    currency = currency_of(costs)
    if costs.empty:
        return _empty_figure(title, t("axis.year"), t("axis.cost", currency=currency), t)
    by_group = cost_by_group(costs, "cost")
    years = by_group.index.tolist()
    fig = go.Figure()
    for group in by_group.columns:
        color, shape = COST_GROUP_STYLES[group]
        fig.add_trace(go.Bar(
            x=years, y=by_group[group], name=t(f"category.{group}"),
            marker={"color": color, "pattern": _fill_pattern(color, shape), "line": {"width": 0}},
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
    _style(fig, title, years, t)
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
        return _empty_figure(title, t("axis.year"), y_title, t)
    frame = cumulative_cost.sort_values("year")
    years = frame["year"].tolist()
    fig = go.Figure()
    series = [("baseline", "cumulative_discounted_cost_baseline", t("trace.baseline")),
              ("plan", "cumulative_discounted_cost", t("trace.plan"))]
    present = [(key, column, name) for key, column, name in series if column in frame.columns]
    last_values = {key: float(frame[column].iloc[-1]) for key, column, _ in present}
    for key, column, name in present:
        fig.add_trace(_line_trace(years, frame[column], name, key))
        higher = last_values[key] >= max(last_values.values())
        fig.add_annotation(x=years[-1], y=last_values[key], text=f"{name}: {t.number(last_values[key])}",
                           showarrow=False, xanchor="left", xshift=8, yshift=9 if higher else -9,
                           font={"color": LINE_STYLES[key][0]})
    fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(title_text=t("axis.year"), range=[years[0] - 0.2, years[-1] + 0.2])
    _style(fig, title, years, t)
    fig.update_layout(margin={"r": 180}, showlegend=False)  # the lines are labelled directly
    return fig


def plot_cost_per_activity(cost_per_activity: pd.DataFrame, colors: Colors, patterns: Patterns,
                           t: Translator) -> go.Figure:
    """Discounted cost per km (or per operating hour) by technology: one bar panel per segment,
    each bar labelled with its value. Table: cost_per_activity (cost_per_au, activity_unit)."""
    title = t("chart.cost_per_activity")
    currency = currency_of(cost_per_activity)
    if cost_per_activity.empty:
        return _empty_figure(title, t("axis.technology"), t("axis.cost_per_km", currency=currency), t)
    segments = _segments_in_order(cost_per_activity)
    fig = _panel_grid([t.segment(s) for s in segments])
    order = colors.get("technology", {})
    shown: set[str] = set()
    for index, segment in enumerate(segments):
        row, col = _panel_position(index, len(segments))
        frame = cost_per_activity[cost_per_activity["segment"] == segment].set_index("technology")
        unit = str(frame["activity_unit"].iloc[0])
        for technology in _in_catalogue_order(frame.index, order):
            value = float(frame.loc[technology, "cost_per_au"])
            color = _color(colors, "technology", technology)
            fig.add_trace(go.Bar(
                x=[t.technology(technology)], y=[value], name=t.technology(technology),
                legendgroup=f"technology:{technology}", showlegend=technology not in shown,
                marker={"color": color, "pattern": _fill_pattern(color, _pattern(patterns, "technology",
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
    _style(fig, title, None, t, height=_grid_height(len(segments)))
    return fig


def activity_cost_axis_title(unit: str, currency: str, t: Translator) -> str:
    """'Cost per km [USD/km]', 'Cost per operating hour [USD/h]', or generic for other units."""
    if unit in ("km", "h"):
        return t(f"axis.cost_per_{unit}", currency=currency)
    return t("axis.cost_per_au", unit=unit, currency=currency)


# ---------------------------------------------------------------- energy

def plot_energy_by_fuel(energy_by_fuel: pd.DataFrame, colors: Colors, patterns: Patterns,
                        t: Translator) -> go.Figure:
    """Stacked area of final energy by fuel over the years [GJ]. Table: energy_by_fuel (energy_gj)."""
    title = t("chart.energy_by_fuel")
    if energy_by_fuel.empty:
        return _empty_figure(title, t("axis.year"), t("axis.energy"), t)
    energy = energy_by_fuel.pivot_table(index="year", columns="fuel", values="energy_gj", aggfunc="sum").fillna(0.0)
    years = energy.index.tolist()
    fig = go.Figure()
    for fuel in _in_catalogue_order(energy.columns, colors.get("fuel", {})):
        if energy[fuel].abs().max() < ZERO_TOLERANCE:
            continue
        fig.add_trace(_area_trace(years, energy[fuel], t.fuel(fuel), _color(colors, "fuel", fuel),
                                  _pattern(patterns, "fuel", fuel), stackgroup="energy", kind="fuel",
                                  identifier=fuel, showlegend=True))
    fig.update_yaxes(title_text=t("axis.energy"), rangemode="tozero")
    fig.update_xaxes(title_text=t("axis.year"))
    _style(fig, title, years, t)
    fig.update_layout(hovermode="x unified")
    return fig


# ---------------------------------------------------------------- layout helpers

def currency_of(frame: pd.DataFrame) -> str:
    """The table's currency (its `currency` column), or '' when the table is empty."""
    if "currency" in frame.columns and frame["currency"].notna().any():
        return str(frame["currency"].dropna().iloc[0])
    return ""


def _panel_grid(titles: list[str]) -> go.Figure:
    columns = min(COLUMNS_MAX, len(titles))
    rows = -(-len(titles) // columns)
    return make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.12,
                         vertical_spacing=0.35 / rows)


def _panel_position(index: int, count: int) -> tuple[int, int]:
    columns = min(COLUMNS_MAX, count)
    return index // columns + 1, index % columns + 1


def _grid_height(panels: int) -> int:
    rows = -(-panels // min(COLUMNS_MAX, panels))
    return max(450, PANEL_HEIGHT_PX * rows + 150)


def _style(fig: go.Figure, title: str, years: list | None, t: Translator, *, height: int = 450) -> None:
    """Common look: white background, title, legend on the right, integer year ticks, the
    language's decimal and thousands separators."""
    fig.update_layout(template="plotly_white", title={"text": title, "x": 0.01, "xanchor": "left"},
                      separators=t.plotly_separators,
                      font={"family": FONT_FAMILY, "size": 13}, height=height,
                      margin={"l": 70, "r": 30, "t": 80, "b": 60}, legend={"traceorder": "normal"})
    if years:
        fig.update_xaxes(tickformat="d", dtick=1 if max(years) - min(years) <= YEARLY_TICKS_MAX_SPAN else None)


def _empty_figure(title: str, x_title: str, y_title: str, t: Translator) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=t("chart.no_data"), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font={"size": 16})
    fig.update_xaxes(title_text=x_title, showticklabels=False)
    fig.update_yaxes(title_text=y_title, showticklabels=False)
    _style(fig, title, None, t)
    return fig
