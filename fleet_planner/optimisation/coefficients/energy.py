"""Energy and emissions: which fuels each technology may burn each year, fuel prices per GJ and
emission factors per GJ (tank-to-wheel and well-to-wheel, methane slip included).

Letters: s segment, t technology, f fuel, y year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from fleet_planner.loading.frames import records, row_tuples
from fleet_planner.loading.rules import FuelSlot, fuel_slots, interpolate_years, present, series_value

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.optimisation.coefficients.money import Money
    from fleet_planner.schemas.scenario import Scenario

MJ_PER_GJ = 1e3
T_PER_KG = 1e-3

FuelSlots = dict[str, FuelSlot]
"""slot -> share range, usable fuels and their energy multipliers (loading.rules.FuelSlot)."""


@dataclass(frozen=True)
class EnergyCoefficients:
    fuel_slots: dict[tuple[str, str, int], FuelSlots]
    fuel_price_per_gj: dict[tuple[str, str, int], float]
    """Price of fuel f for segment s in year y (regional, in the owner's tax position, diesel excise
    refund of the segment and price multiplier applied). [currency/GJ]"""
    emission_t_per_gj_ttw: dict[tuple[str, str, str, int], float]
    emission_t_per_gj_wtw: dict[tuple[str, str, str, int], float]
    supply_fuels: frozenset[str]
    """Fuels whose use needs an energy-basis infrastructure option (hydrogen, bulk CNG)."""
    dearest_fuel_price_per_gj: float
    """Highest price of any fuel of the region in any year (sizes the unmet-demand penalty)."""
    supply_limit_gj: dict[tuple[str, int], float]
    """Most of fuel f the fleet can buy in year y (fuels/supply.csv, or the scenario's). [GJ/a]"""


def energy_coefficients(scenario: Scenario, catalogue: Catalogue, technology_years: set[tuple[str, str, int]], *,
                        prices: dict[tuple[str, str, int], float],
                        factors: dict[tuple[str, str, int], tuple[float, float]],
                        limits: dict[tuple[str, int], float]) -> EnergyCoefficients:
    """Fuel options for every (s, t, y) that can be in stock, with prices and emission factors.
    prices: fuel_prices(); factors: emission_factor_table(); limits: supply_limits() (the same for
    every model of a scenario, so computed once: coefficients/shared.py)."""
    slots = {(s, t, y): fuel_slots(scenario, catalogue, s, t, y) for s, t, y in sorted(technology_years)}
    used = sorted({f for options in slots.values() for slot in options.values() for f in slot.fuels})
    ttw, wtw = _emission_factors(catalogue, slots, factors)
    fuels = catalogue.fuels.set_index("fuel")
    return EnergyCoefficients(
        fuel_slots=slots,
        fuel_price_per_gj={(s, f, y): prices[s, f, y] for s in scenario.demand for f in used for y in scenario.years
                           if (s, f, y) in prices},
        emission_t_per_gj_ttw=ttw, emission_t_per_gj_wtw=wtw,
        supply_fuels=frozenset(fuels.index[fuels["supply_infrastructure_required"].astype(bool)]),
        dearest_fuel_price_per_gj=max(prices.values(), default=0.0),
        supply_limit_gj=dict(limits),
    )


def supply_limits(scenario: Scenario, catalogue: Catalogue) -> dict[tuple[str, int], float]:
    """Yearly supply limits: the scenario's fuels.supply_gj_per_year where given, else the region's
    rows of fuels/supply.csv (linear between listed years, constant outside)."""
    limits = {}
    table = catalogue.supply[catalogue.supply["region"] == scenario.region]
    filled = interpolate_years(table, ["fuel"], ["max_gj_per_year"], scenario.years)
    for r in row_tuples(filled):
        limits[r.fuel, r.year] = float(r.max_gj_per_year)
    for f, series in scenario.fuels.supply_gj_per_year.items():
        for y in scenario.years:
            value = series_value(series, y)
            if value is None:
                limits.pop((f, y), None)
            else:
                limits[f, y] = value
    return limits


def fuel_prices(scenario: Scenario, catalogue: Catalogue, money: Money) -> dict[tuple[str, str, int], float]:
    """Regional price per physical unit, in the owner's money and tax position, less the segment's
    refund of the diesel specific tax -> currency per GJ (lower heating value), x price multiplier."""
    lhv = catalogue.fuels.set_index("fuel")["lhv_mj_per_unit"]
    rows = records(catalogue.prices[catalogue.prices["region"] == scenario.region])
    priced = pd.DataFrame({"fuel": [r["fuel"] for r in rows], "year": [r["year"] for r in rows],
                           "price_per_unit": [money(r, "price_per_unit") for r in rows],
                           "excise_per_unit": [money.diesel_excise_per_unit(r) for r in rows]})
    filled = interpolate_years(priced, ["fuel"], ["price_per_unit", "excise_per_unit"], scenario.years)
    prices = {}
    for s in scenario.demand:
        refund = scenario.taxes.refund_share(s)
        for r in row_tuples(filled):
            per_unit = r.price_per_unit - refund * r.excise_per_unit
            prices[s, r.fuel, r.year] = (per_unit / float(lhv[r.fuel]) * MJ_PER_GJ
                                         * scenario.fuels.price_multipliers.get(r.fuel, 1.0))
    return prices


def emission_factor_table(scenario: Scenario, catalogue: Catalogue) -> dict[tuple[str, str, int], tuple[float, float]]:
    """(fuel, application, year) -> (ttw, wtw) kgCO2e per GJ, every horizon year (linear between
    listed years, constant outside)."""
    table = interpolate_years(catalogue.emission_factors, ["fuel", "application"],
                              ["ttw_kgco2e_per_gj", "wtw_kgco2e_per_gj"], scenario.years)
    return {(r.fuel, r.application, r.year): (r.ttw_kgco2e_per_gj, r.wtw_kgco2e_per_gj) for r in row_tuples(table)}


def _emission_factors(catalogue: Catalogue, slots: dict[tuple[str, str, int], FuelSlots],
                      factor: dict[tuple[str, str, int], tuple[float, float]],
                      ) -> tuple[dict[tuple[str, str, str, int], float], dict[tuple[str, str, str, int], float]]:
    """tCO2e per GJ by (s, t, f, y): the fuel's factor for the segment's application (road or
    off-road, else 'all'), well-to-wheel per GJ delivered (/ (1 - delivery losses)), plus methane
    slip x CH4 per GJ x GWP100(CH4) in both scopes."""
    application = {s: str(a) for s, a in zip(catalogue.segments["segment"], catalogue.segments["emission_application"],
                                             strict=True)}
    gwp_ch4 = catalogue.constant("gwp100_ch4")
    ch4 = {f: float(r["methane_kg_per_gj"]) if present(r["methane_kg_per_gj"]) else 0.0
           for f, r in catalogue.index.fuel.items()}
    delivered = {f: 1.0 - (float(r["delivery_losses_share"]) if present(r["delivery_losses_share"]) else 0.0)
                 for f, r in catalogue.index.fuel.items()}
    ttw, wtw = {}, {}
    for (s, t, y), options in slots.items():
        slip = catalogue.index.technology[s, t]["methane_slip_share"]
        slip = float(slip) if present(slip) else 0.0
        for slot in options.values():
            for f in slot.fuels:
                kg_ttw, kg_wtw = factor.get((f, application[s], y)) or factor[f, "all", y]
                slip_kg = slip * ch4[f] * gwp_ch4
                ttw[s, t, f, y] = (kg_ttw + slip_kg) * T_PER_KG
                wtw[s, t, f, y] = (kg_wtw / delivered[f] + slip_kg) * T_PER_KG
    return ttw, wtw
