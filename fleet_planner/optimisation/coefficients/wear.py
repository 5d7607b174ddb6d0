"""Wear by use: the chassis (technologies.csv lifetime_au) and components such as traction
batteries and fuel-cell stacks (components.csv) last a number of activity units.

A vehicle may use lifetime_au / lifetime_years a year without wearing out before its age life;
use beyond that allowance brings its replacement forward, charged at price / lifetime_au per
activity unit (the share of a new vehicle it consumes). A component likewise: its life_au /
lifetime_years a year comes with the vehicle; beyond that each activity unit costs the
replacement price of the year of use / life_au.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.frames import records, row_tuples
from fleet_planner.loading.rules import interpolate_years, present
from fleet_planner.optimisation.coefficients.cohorts import Cohort

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.optimisation.coefficients.money import Money
    from fleet_planner.schemas.scenario import Scenario

CHASSIS = "chassis"


@dataclass(frozen=True)
class WearCoefficients:
    allowance_au: dict[tuple[Cohort, str], float]
    """(cohort, part) -> activity per vehicle-year before wear is charged. [au/a]"""
    cost_per_au: dict[tuple[Cohort, str, int], float]
    """(cohort, part, y) -> cost per activity unit beyond the allowance. [currency/au]"""


def wear_coefficients(catalogue: Catalogue, component_price: dict[tuple[str, int], float],
                      stock_years: dict[Cohort, list[int]], original_price: dict[Cohort, float]) -> WearCoefficients:
    """Allowance and cost per au of each wearing part of every cohort that can be in stock.
    component_price: component_prices()."""
    parts: dict[tuple[str, str], list[dict]] = {}
    for row in records(catalogue.components):
        parts.setdefault((row["segment"], row["technology"]), []).append(row)
    allowance, cost = {}, {}
    for cohort, years in stock_years.items():
        s, t, _v = cohort
        row = catalogue.index.technology[s, t]
        life_years = float(row["lifetime_years"])
        if present(row["lifetime_au"]):
            allowance[cohort, CHASSIS] = float(row["lifetime_au"]) / life_years
            for y in years:
                cost[cohort, CHASSIS, y] = original_price[cohort] / float(row["lifetime_au"])
        for part in parts.get((s, t), []):
            name = part["component"]
            allowance[cohort, name] = float(part["life_au"]) / life_years
            for y in years:
                cost[cohort, name, y] = float(part["units_per_vehicle"]) * component_price[name, y] / float(part["life_au"])
    return WearCoefficients(allowance, cost)


def component_prices(scenario: Scenario, catalogue: Catalogue, money: Money) -> dict[tuple[str, int], float]:
    """Replacement price per unit of size by component and year (linear between listed years)."""
    table = catalogue.component_prices
    priced = table.assign(price=[money(row, "price_per_unit") for row in records(table)])
    filled = interpolate_years(priced, ["component"], ["price"], scenario.years)
    return {(r.component, r.year): float(r.price) for r in row_tuples(filled)}


def battery_values(catalogue: Catalogue, prices: dict[tuple[str, int], float],
                   purchase_index: list[tuple[str, str, int]]) -> dict[tuple[str, str, int], float]:
    """Value of a new vehicle's traction battery (components.csv 'battery' at the model year's
    replacement price), for the purchases that have one. [currency] prices: component_prices()."""
    table = catalogue.components
    sizes = {(r["segment"], r["technology"]): float(r["units_per_vehicle"])
             for r in records(table[table["component"] == "battery"])}
    return {(s, t, y): sizes[s, t] * prices["battery", y] for s, t, y in purchase_index
            if (s, t) in sizes and ("battery", y) in prices}
