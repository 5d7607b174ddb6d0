"""Values that change by year: a constant, values by year, or a growth series."""

from __future__ import annotations

from pydantic import Field

from fleet_planner.schemas._base import FrozenModel, NonNegative, Year


class GrowthSeries(FrozenModel):
    """A value that grows geometrically from a base year: base x (1 + growth_rate)^(year - base_year)."""

    base: NonNegative
    """Value in base_year (unit of the field that holds this series)."""
    base_year: Year
    """Year of the base value."""
    growth_rate: float = Field(default=0.0, ge=-0.5, le=1.0)
    """Growth per year as a fraction (0.05 = +5 %/yr). [1/a]"""


YearValues = dict[Year, NonNegative]
"""Values by year; between listed years the series interpolates (see each field)."""

Series = YearValues | GrowthSeries | NonNegative
"""A constant, values by year, or a growth series."""


def series_peak(series: Series | None) -> float:
    """The largest value a series states (a growth series: its base; growth is bounded). [unit]"""
    if series is None:
        return 0.0
    if isinstance(series, dict):
        return max(series.values(), default=0.0)
    if isinstance(series, GrowthSeries):
        return series.base
    return float(series)
