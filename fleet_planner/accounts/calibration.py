"""The catalogue against the world: each published figure of vehicles/calibration.csv beside the
value the catalogue implies for it, in the scenario's money.

Catalogue values are computed with the accounts' own price book, for a new vehicle of the price
base year: energy use per activity unit (MJ/au converted to the published unit), energy cost per
au (the technology's first-listed fuel in each slot, at the price base year), maintenance cost
per au (variable O&M), purchase price, and a simple cost of ownership per au (capital recovery of
the purchase price over the lifetime at the scenario's discount rate, plus fixed O&M, spread over
the segment's typical yearly activity, plus variable O&M and energy). Published money figures are
brought to the scenario's money with the CPI of their currency and the base year's exchange
rates (treated as excluding VAT). A figure counts as met if the catalogue's value lies within
[low, high] widened by CALIBRATION_TOLERANCE.
"""

from __future__ import annotations

import re

import pandas as pd

from fleet_planner.accounts.prices import PriceBook
from fleet_planner.loading.rules import fuel_slots

CALIBRATION_TOLERANCE = 0.02
"""Relative widening of a published range before it counts as missed (rounding of sources)."""
ENERGY_UNITS: dict[str, tuple[str | None, float]] = {
    # published unit: (fuel whose lower heating value converts MJ into it, or None; factor)
    "L/100 km": ("diesel", 100.0), "kWh/km": (None, 1 / 3.6), "kg H2/100 km": ("hydrogen_grey", 100.0),
    "L/h": ("diesel", 1.0), "kg/h": ("lpg_kg", 1.0), "kWh/h": (None, 1 / 3.6),
}


def catalogue_value(book: PriceBook, s: str, t: str, metric: str, unit: str) -> float | None:
    """The catalogue's value of a metric for (segment, technology) in the published unit."""
    base = book.scenario.price_base_year
    if metric.endswith("_ratio_vs_diesel"):
        reference = _reference_technology(book, s)
        numerator = catalogue_value(book, s, t, metric.replace("_ratio_vs_diesel", "_per_au"), "")
        denominator = catalogue_value(book, s, reference, metric.replace("_ratio_vs_diesel", "_per_au"), "")
        return None if not numerator or not denominator else numerator / denominator
    if metric == "energy_use_per_au":
        mj = book.energy_gj_per_au(s, t, base) * 1e3
        if not unit:
            return mj
        fuel, factor = ENERGY_UNITS[unit]
        if fuel == "lpg_kg":  # LPG per kg: per litre / density (fuels/constants.csv)
            per_unit = book.lhv_mj_per_unit("lpg") / book.catalogue.constant("lpg_density_kg_per_l")
        else:
            per_unit = book.lhv_mj_per_unit(fuel) if fuel else 1.0
        return mj / per_unit * factor
    if metric == "energy_cost_per_au":
        return _energy_cost_per_au(book, s, t)
    if metric == "maintenance_cost_per_au":
        return book.variable_om_per_au(s, t)
    if metric == "capex_per_au":  # purchase price, for capex_ratio_vs_diesel
        return book.vehicle_price(s, t, base)
    if metric == "tco_per_au":
        return _tco_per_au(book, s, t)
    return None


def _reference_technology(book: PriceBook, s: str) -> str:
    """Diesel, or the segment's baseline technology where it has no diesel."""
    return "diesel" if book.has_technology(s, "diesel") else str(
        book.catalogue.segments.set_index("segment").loc[s, "baseline_technology"])


def _energy_cost_per_au(book: PriceBook, s: str, t: str) -> float:
    """Energy per au x the price of the first-listed fuel of each slot (x its energy multiplier),
    weighted by the slot's share (its maximum where it has a range, e.g. a DDF engine's gas)."""
    base = book.scenario.price_base_year
    slots = fuel_slots(book.scenario, book.catalogue, s, t, base)
    price = sum(slot.share_max * slot.energy_multiplier[slot.fuels[0]] * book.fuel_price_per_gj(s, slot.fuels[0], base)
                for slot in slots.values())
    return book.energy_gj_per_au(s, t, base) * price


def _tco_per_au(book: PriceBook, s: str, t: str) -> float:
    """Capital recovery of the price over the lifetime + fixed O&M, per typical yearly activity,
    + variable O&M + energy, per activity unit."""
    rate, life = book.scenario.discount_rate, book.lifetime_years(s, t)
    recovery = rate / (1 - (1 + rate) ** -life) if rate > 0 else 1 / life
    activity = book.typical_annual_activity_au(s)
    yearly = book.vehicle_price(s, t, book.scenario.price_base_year) * recovery + book.fixed_om(s, t, 0)
    return yearly / activity + book.variable_om_per_au(s, t) + _energy_cost_per_au(book, s, t)


def published_in_scenario_money(book: PriceBook, value: float, unit: str, price_year: int | None) -> float:
    """A published money figure (unit 'CUR/km' or 'CUR/h') in the scenario's money."""
    match = re.match(r"^([A-Z]{3})/", unit)
    if not match or price_year is None:
        return value
    return book.real(value, match.group(1), int(price_year))


def calibration_table(book: PriceBook) -> pd.DataFrame:
    """Every calibration row with the catalogue's value beside it and whether it lies in the range."""
    rows = []
    for r in book.catalogue.tables["calibration"].to_dict("records"):
        s, t, metric = r["segment"], r["technology"], r["metric"]
        if not book.has_technology(s, t):
            continue
        value = catalogue_value(book, s, t, metric, r["unit"])
        low, high = (published_in_scenario_money(book, r[k], r["unit"], r["price_year"]) for k in ("low", "high"))
        inside = value is not None and low * (1 - CALIBRATION_TOLERANCE) <= value <= high * (1 + CALIBRATION_TOLERANCE)
        money = bool(re.match(r"^[A-Z]{3}/", r["unit"]))
        unit = (book.scenario.currency + r["unit"][3:]) if money else r["unit"]
        rows.append({"segment": s, "technology": t, "metric": metric, "published_low": low, "published_high": high,
                     "unit": unit, "catalogue_value": value, "inside": inside, "verdict": r["verdict"],
                     "included": r["included"], "source_id": r["source_id"]})
    return pd.DataFrame(rows, columns=["segment", "technology", "metric", "published_low", "published_high", "unit",
                                       "catalogue_value", "inside", "verdict", "included", "source_id"])


def reference_scenario(catalogue, region: str = "santiago"):
    """The context of the catalogue's own calibration check (vehicles/calibration.csv verdicts):
    a VAT-registered owner in `region`, USD of 2025, 8 % real discount rate, every segment."""
    from fleet_planner.schemas.scenario import Scenario

    return Scenario(name="catalogue calibration", horizon_first_year=2025, horizon_last_year=2025, currency="USD",
                    price_base_year=2025, discount_rate=0.08, region=region,
                    demand={s: {} for s in catalogue.segments["segment"]})
