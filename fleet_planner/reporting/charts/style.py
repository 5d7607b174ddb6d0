"""Chart style shared by every chart: colours and fill patterns from the catalogue, line styles,
cost groups, fonts, panel grids and the common layout.

Colours and patterns come from the catalogue (technology_types.csv `color`/`pattern`, fuels.csv
`color`) so one technology has one colour and one pattern in every chart; the patterns keep the
charts readable when printed in greyscale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fleet_planner.reporting.i18n import Translator

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
    "cap": ("rgba(192,57,43,0.75)", "dot"),
}
CAP_LINE_WIDTH = 6
"""The cap is drawn wider than the plan line (2.5), below it: where the plan sits on the cap, the
cap's dots show above and below the plan line."""
CAP_AREA_COLOR = "rgba(39,174,96,0.13)"
"""The allowed area under the cap, shaded."""


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
        "technology": column_by_id(catalogue_tables.get("technology_types"), "technology", "color"),
        "fuel": column_by_id(catalogue_tables.get("fuels"), "fuel", "color"),
    }


def catalogue_patterns(catalogue_tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Fill patterns by id: technology_types.csv `pattern`; fuels get FUEL_PATTERN_CYCLE in row order."""
    technology = {k: (v if v in PATTERN_SHAPES else "") for k, v in
                  column_by_id(catalogue_tables.get("technology_types"), "technology", "pattern").items()}
    fuels = catalogue_tables.get("fuels")
    fuel_ids = [] if fuels is None or fuels.empty else [str(f) for f in fuels["fuel"]]
    fuel = {f: FUEL_PATTERN_CYCLE[i % len(FUEL_PATTERN_CYCLE)] for i, f in enumerate(fuel_ids)}
    return {"technology": technology, "fuel": fuel}


def column_by_id(frame: pd.DataFrame | None, key: str, column: str) -> dict[str, str]:
    if frame is None or frame.empty or column not in frame.columns:
        return {}
    return {str(k): (v if isinstance(v, str) else "") for k, v in zip(frame[key], frame[column], strict=True)}


def color_of(colors: Colors, kind: str, identifier: str) -> str:
    known = colors.get(kind, {})
    if known.get(identifier):
        return known[identifier]
    return FALLBACK_COLORS[sum(map(ord, identifier)) % len(FALLBACK_COLORS)]


def pattern_of(patterns: Patterns, kind: str, identifier: str) -> str:
    shape = patterns.get(kind, {}).get(identifier, "")
    return shape if shape in PATTERN_SHAPES else ""


def in_catalogue_order(ids: Iterable[str], order: Mapping[str, str]) -> list[str]:
    """Ids sorted as the catalogue lists them (stacking order is the same in every chart)."""
    position = {identifier: i for i, identifier in enumerate(order)}
    return sorted(set(ids), key=lambda i: (position.get(i, len(position)), i))


# ---------------------------------------------------------------- all charts


def segments_in_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(str(s) for s in frame["segment"]))


def area_trace(years: list, values: Iterable[float], name: str, color: str, pattern: str, *, stackgroup: str,
                kind: str, identifier: str, showlegend: bool) -> go.Scatter:
    return go.Scatter(
        x=years, y=list(values), name=name, legendgroup=f"{kind}:{identifier}", showlegend=showlegend,
        mode="lines", stackgroup=stackgroup, line={"color": AREA_EDGE_COLOR, "width": 0.5},
        fillcolor=color, fillpattern=fill_pattern(color, pattern),
        meta={"kind": kind, "id": identifier}, hovertemplate=f"{name}: %{{y:,.4~g}}<extra></extra>",
    )


def fill_pattern(color: str, shape: str) -> dict:
    return {"shape": shape, "bgcolor": color, "fgcolor": PATTERN_FOREGROUND, "size": 8, "solidity": 0.25}


# ---------------------------------------------------------------- emissions


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


def line_trace(years: list, values: Iterable[float], name: str, series: str, *, shape: str = "linear",
               width: float = 2.5) -> go.Scatter:
    color, dash = LINE_STYLES[series]
    return go.Scatter(x=years, y=list(values), name=name, mode="lines", line={"color": color, "dash": dash,
                      "width": width, "shape": shape}, meta={"kind": "series", "id": series},
                      hovertemplate=f"{name}: %{{y:,.4~g}}<extra></extra>")


def decimals_for(values: pd.Series) -> int:
    """Decimals for labels: none for large numbers, one below 100, two below 1."""
    peak = values.abs().max() if not values.empty else 0
    return 0 if peak >= 100 or peak < ZERO_TOLERANCE else 1 if peak >= 1 else 2


# ---------------------------------------------------------------- costs


def currency_of(frame: pd.DataFrame) -> str:
    """The table's currency (its `currency` column), or '' when the table is empty."""
    if "currency" in frame.columns and frame["currency"].notna().any():
        return str(frame["currency"].dropna().iloc[0])
    return ""


def panel_grid(titles: list[str]) -> go.Figure:
    columns = min(COLUMNS_MAX, len(titles))
    rows = -(-len(titles) // columns)
    return make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.12,
                         vertical_spacing=0.35 / rows)


def panel_position(index: int, count: int) -> tuple[int, int]:
    columns = min(COLUMNS_MAX, count)
    return index // columns + 1, index % columns + 1


def grid_height(panels: int) -> int:
    rows = -(-panels // min(COLUMNS_MAX, panels))
    return max(450, PANEL_HEIGHT_PX * rows + 150)


def apply_style(fig: go.Figure, title: str, years: list | None, t: Translator, *, height: int = 450) -> None:
    """Common look: white background, title, legend on the right, integer year ticks, the
    language's decimal and thousands separators."""
    fig.update_layout(template="plotly_white", title={"text": title, "x": 0.01, "xanchor": "left"},
                      separators=t.plotly_separators,
                      font={"family": FONT_FAMILY, "size": 13}, height=height,
                      margin={"l": 70, "r": 30, "t": 80, "b": 60}, legend={"traceorder": "normal"})
    if t.lang != "en":  # no SI suffixes: "1B" reads as a billón (10^12) in Spanish; Japanese counts in 万/億
        fig.update_yaxes(exponentformat="none", separatethousands=True)
    if years:
        fig.update_xaxes(tickformat="d", dtick=1 if max(years) - min(years) <= YEARLY_TICKS_MAX_SPAN else None)


def empty_figure(title: str, x_title: str, y_title: str, t: Translator) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=t("chart.no_data"), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font={"size": 16})
    fig.update_xaxes(title_text=x_title, showticklabels=False)
    fig.update_yaxes(title_text=y_title, showticklabels=False)
    apply_style(fig, title, None, t)
    return fig
