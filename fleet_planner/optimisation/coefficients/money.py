"""Money for the model: one currency, discounting, purchase prices by model year, residual values.

Conversion happens once here, with the exchange rates of the scenario's price base year.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fleet_planner.loading.rules import interpolate_years

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

Money = Callable[[float, str], float]
"""money(amount, currency) -> amount in the scenario currency."""


def currency_converter(scenario: Scenario, catalogue: Catalogue) -> Money:
    """A function converting catalogue money into the scenario currency (rates of the price base
    year; one rate lookup per currency, cached)."""
    rates = interpolate_years(catalogue.exchange_rates, ["currency"], ["units_per_usd"], [scenario.price_base_year])
    per_usd = dict(zip(rates["currency"], rates["units_per_usd"], strict=True))
    target = scenario.currency

    def money(amount: float, currency: str) -> float:
        return amount if currency == target else amount * per_usd[target] / per_usd[currency]

    return money


def discount_factors(scenario: Scenario) -> tuple[dict[int, float], float]:
    """(1 + r)^-(y - first) per year, and the factor of the value left at the start of last + 1."""
    first, last, rate = scenario.horizon_first_year, scenario.horizon_last_year, scenario.discount_rate
    factors = {y: (1 + rate) ** -(y - first) for y in scenario.years}
    return factors, (1 + rate) ** -(last + 1 - first)


def technology_year_values(scenario: Scenario, catalogue: Catalogue, money: Money,
                           ) -> tuple[dict[tuple[str, str, int], float], dict[tuple[str, str, int], float]]:
    """Purchase price [scenario currency] and energy use [MJ/au] by (segment, technology, model year),
    for every model year from the oldest existing cohort to the year after the horizon."""
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    earliest = min([scenario.horizon_first_year, *(c.model_year for c in fleet)])
    years = range(earliest, scenario.horizon_last_year + 2)
    table = catalogue.technology_years
    priced = table.assign(purchase_price=[money(p, c) for p, c in
                                          zip(table["purchase_price"], table["currency"], strict=True)])
    filled = interpolate_years(priced, ["segment", "technology"], ["purchase_price", "energy_mj_per_au"], years)
    price = {(r.segment, r.technology, r.year): r.purchase_price for r in filled.itertuples()}
    energy = {(r.segment, r.technology, r.year): r.energy_mj_per_au for r in filled.itertuples()}
    return price, energy


def residual_share_function(catalogue: Catalogue) -> Callable[[str, int], float]:
    """residual(segment, age) -> share of the purchase price a vehicle is worth at that age
    (linear between listed ages, constant outside them)."""
    curves: dict[str, tuple[list[int], list[float]]] = {}
    for s, group in catalogue.residual_values.groupby("segment"):
        group = group.sort_values("age_years")
        curves[s] = (group["age_years"].tolist(), group["residual_share"].tolist())

    def residual_share(s: str, age: int) -> float:
        ages, shares = curves[s]
        if age <= ages[0]:
            return shares[0]
        if age >= ages[-1]:
            return shares[-1]
        for a0, s0, a1, s1 in zip(ages, shares, ages[1:], shares[1:], strict=False):
            if a0 <= age <= a1:
                return s0 + (s1 - s0) * (age - a0) / (a1 - a0)
        return shares[-1]

    return residual_share
