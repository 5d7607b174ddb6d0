"""The scenario's rules as the catalogue reads them: values of a series in a year, and what
may be bought or burned when.

Shared by the checks, the model's coefficients and the independent accounts, because these are
the meaning of the input files (the catalogue's interpolation rule, purchase windows, gas end,
fuel availability), not coefficients; every coefficient (prices, factors, residual values,
discounting) is computed separately by the optimisation and by the accounts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fleet_planner.loading.frames import column_tuples

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario, Series


def interpolate_years(
    table: pd.DataFrame, keys: list[str], value_columns: list[str], years: Iterable[int]
) -> pd.DataFrame:
    """Values for every requested year: linear between listed years, constant outside them.

    This is the catalogue's extrapolation rule: a table listing 2025 and 2030 gives the 2025
    value for 2020 and the 2030 value for 2050.
    """
    years = list(years)
    if table.empty:
        return pd.DataFrame(columns=[*keys, "year", *value_columns])
    ordered = table.dropna(subset=keys).sort_values([*keys, "year"], kind="stable")  # groups in key order
    wanted = np.asarray(years, dtype=float)
    columns: dict[str, list] = {name: [] for name in [*keys, "year", *value_columns]}
    key_of = column_tuples(ordered, keys)
    xs_all = ordered["year"].to_numpy(dtype=float)
    values = {column: ordered[column].to_numpy(dtype=float) for column in value_columns}
    bounds = [i for i in range(1, len(key_of)) if key_of[i] != key_of[i - 1]]
    for start, end in zip([0, *bounds], [*bounds, len(key_of)], strict=True):  # one group: rows start..end
        if start == end:
            continue
        for name, value in zip(keys, key_of[start], strict=True):
            columns[name].extend([value] * len(years))
        columns["year"].extend(years)
        for column in value_columns:
            columns[column].extend(_interp(wanted, xs_all[start:end], values[column][start:end]))
    return pd.DataFrame(columns)


def _interp(wanted: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[float]:
    """y0 + (y1 - y0) * (x - x0) / (x1 - x0) on the listed segment holding x; the end values outside.
    (This exact formula, not np.interp's slope form, so the coefficients keep their last bits.)"""
    if len(xs) == 1:
        return [float(ys[0])] * len(wanted)
    right = np.clip(np.searchsorted(xs, wanted, side="left"), 1, len(xs) - 1)
    x0, x1, y0, y1 = xs[right - 1], xs[right], ys[right - 1], ys[right]
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = y0 + (y1 - y0) * (wanted - x0) / (x1 - x0)
    values = np.where(wanted <= xs[0], ys[0], np.where(wanted >= xs[-1], ys[-1], inside))
    return values.tolist()


def series_value(series: Series | None, year: int, how: str = "linear") -> float | None:
    """Value of a scenario series in a year: constants, values by year (linear or step), growth."""
    if series is None:
        return None
    if isinstance(series, int | float):
        return float(series)
    if isinstance(series, dict):
        if not series:
            return None
        points = sorted(series.items())
        if how == "step":
            past = [v for y, v in points if y <= year]
            return float(past[-1]) if past else None
        xs, ys = zip(*points, strict=True)
        if year <= xs[0]:
            return float(ys[0])
        if year >= xs[-1]:
            return float(ys[-1])
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            if x0 <= year <= x1:
                return float(y0 + (y1 - y0) * (year - x0) / (x1 - x0))
    return float(series.base * (1 + series.growth_rate) ** (year - series.base_year))


def milestone_value(points: dict[int, float], year: int, how: str) -> float | None:
    """A target by milestone year; no value before the first milestone."""
    if not points or year < min(points):
        return None
    return series_value(points, year, how)


def technology_allowed_in_year(scenario: Scenario, catalogue: Catalogue, s: str, t: str, y: int) -> bool:
    """Policy and catalogue windows for buying (or converting to) t in segment s in year y."""
    row = technology_row(catalogue, s, t)
    if row is None:
        return False
    allowed = scenario.demand[s].technologies if s in scenario.demand else None
    if allowed is not None and t not in allowed:
        return False
    if is_gas(catalogue, t) and scenario.policy.gas_end_year is not None and y >= scenario.policy.gas_end_year:
        return False
    for window in scenario.policy.purchase_windows:
        if window.technology != t or (window.segments and s not in window.segments):
            continue
        if (window.first_year and y < window.first_year) or (window.last_year and y > window.last_year):
            return False
    return bool(fuel_slots(scenario, catalogue, s, t, y))


def purchasable_technologies(scenario: Scenario, catalogue: Catalogue, s: str, y: int) -> list[str]:
    """Technologies that may be bought new in segment s in year y."""
    out = []
    for t in catalogue.index.technologies_of_segment.get(s, []):
        row = technology_row(catalogue, s, t)
        if row["purchasable"] and not year_outside(row, y) and technology_allowed_in_year(scenario, catalogue, s, t, y):
            out.append(t)
    return out


def year_outside(row: dict, y: int) -> bool:
    first = row.get("first_year")
    last = row.get("last_year")
    return bool((present(first) and y < first) or (present(last) and y > last))


def present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def technology_row(catalogue: Catalogue, s: str, t: str) -> dict | None:
    return catalogue.index.technology.get((s, t))


def is_gas(catalogue: Catalogue, t: str) -> bool:
    row = catalogue.index.technology_type.get(t)
    return bool(row["natural_gas"]) if row else False


def fuel_available(scenario: Scenario, catalogue: Catalogue, f: str, y: int) -> bool:
    """A fuel can be used in y if the catalogue offers it by then, it is priced in the region and allowed."""
    row = catalogue.index.fuel.get(f)
    if row is None or y < int(row["first_year"]):
        return False
    if scenario.fuels.allowed is not None and f not in scenario.fuels.allowed:
        return False
    return f in catalogue.index.priced_fuels.get(scenario.region, set())


@dataclass(frozen=True)
class FuelSlot:
    """A share of a technology's energy need and the fuels that may supply it."""

    share_min: float
    share_max: float
    fuels: tuple[str, ...]
    energy_multiplier: dict[str, float]
    """GJ of fuel per GJ of the need it covers."""

    @property
    def fixed(self) -> bool:
        return abs(self.share_max - self.share_min) < 1e-12


def fuel_slots(scenario: Scenario, catalogue: Catalogue, s: str, t: str, y: int) -> dict[str, FuelSlot]:
    """The fuel slots of technology t in segment s in year y, with only usable fuels: the catalogue's
    fixed share (technology_fuels.csv) unless fuel_shares.csv gives the segment a range or fewer
    fuels. Empty if t cannot run in y (a slot that must supply energy has no usable fuel, or the
    usable slots cannot supply all of it)."""
    options: dict[str, FuelSlot] = {}
    for slot, (share, fuels, multipliers) in catalogue.index.fuel_slots.get(t, {}).items():
        row = catalogue.index.fuel_shares.get((s, t, slot))
        low, high = (float(row["min_share"]), float(row["max_share"])) if row else (share, share)
        listed = [f.strip() for f in str(row["fuels"]).split(";")] if row and present(row["fuels"]) else fuels
        usable = tuple(f for f in fuels if f in listed and fuel_available(scenario, catalogue, f, y))
        if not usable:
            if low > 0:
                return {}
            continue
        options[slot] = FuelSlot(low, high, usable, {f: multipliers[f] for f in usable})
    if sum(slot.share_max for slot in options.values()) < 1 - 1e-9:
        return {}
    return options


def baseline_can_buy(scenario: Scenario, catalogue: Catalogue, s: str, t: str, y: int) -> bool:
    row = technology_row(catalogue, s, t)
    return row is not None and not year_outside(row, y) and bool(fuel_slots(scenario, catalogue, s, t, y))


def operating_days(scenario: Scenario, catalogue: Catalogue, s: str) -> float:
    """Days a year segment s works: the scenario's, else segments.csv. [d/a]"""
    override = scenario.demand[s].operating_days_per_year if s in scenario.demand else None
    return float(override if override is not None else catalogue.index.segment[s]["operating_days_per_year"])


def typical_annual_activity_au(scenario: Scenario, catalogue: Catalogue, s: str) -> float:
    """Yearly activity of one vehicle on the segment's typical duty: daily activity x operating
    days (an existing vehicle's default when the fleet file gives none). [au/a]"""
    daily = float(catalogue.index.segment[s]["daily_activity_au"])
    return daily * operating_days(scenario, catalogue, s)


def serves_duty(usable_range_au: float | None, daily_activity_au: float) -> bool:
    """A vehicle may take a duty only if its usable range covers the day (None: not range-limited)."""
    return usable_range_au is None or usable_range_au >= daily_activity_au - 1e-9


def segment_demand_au(scenario: Scenario, catalogue: Catalogue, s: str, y: int) -> float:
    """Activity segment s must deliver in y: the scenario's series, else the existing fleet's
    activity in the first year (each cohort's own, or the typical year) grown by growth_rate. [au/a]"""
    demand = scenario.demand[s]
    if demand.annual_activity_au is not None:
        return series_value(demand.annual_activity_au, y) or 0.0
    typical = typical_annual_activity_au(scenario, catalogue, s)
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    base = sum(c.count * (c.annual_activity_au if c.annual_activity_au is not None else typical)
               for c in fleet if c.segment == s)
    return base * (1 + demand.growth_rate) ** (y - scenario.horizon_first_year)


def duty_bands(scenario: Scenario, catalogue: Catalogue, s: str, y: int) -> dict[float, float]:
    """{daily activity of a duty band [au/day]: its share of the activity in y}; one band at the
    segment's typical day when the scenario gives none."""
    bands = scenario.demand[s].duty_bands or []
    if not bands:
        return {float(catalogue.index.segment[s]["daily_activity_au"]): 1.0}
    return {b.daily_activity_au: b.share_in(y) for b in bands}
