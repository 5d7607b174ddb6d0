"""The accounts' own price book: every coefficient the evaluator needs, computed here from the
validated scenario and catalogue tables, independently of the optimisation's inputs.

Each value is a small function of the catalogue rows so that a reader can check it by hand:
catalogue values are interpolated linearly between listed years and held constant outside
them (numpy.interp); money is brought to the price base year with the CPI of its own currency,
converted with that year's exchange rates, and put in the owner's VAT position; energy is in GJ;
emissions in tCO2e.

Letters: s segment, t technology, v model year, y year, f fuel, k infrastructure option.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fleet_planner.accounts.horizon import infrastructure_end_share, vehicle_end_share
from fleet_planner.accounts.rows import CatalogueRows
from fleet_planner.loading.frames import records

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

GJ_PER_MJ = 1e-3
T_PER_KG = 1e-3


def interpolate(points: pd.DataFrame, x_column: str, y_column: str, x: float) -> float:
    """The catalogue's rule: linear between listed points, constant outside them."""
    xs = points[x_column].to_numpy(dtype=float)
    order = np.argsort(xs, kind="stable")
    return float(np.interp(x, xs[order], points[y_column].to_numpy(dtype=float)[order]))


@dataclass(frozen=True)
class InfrastructureTerms:
    """One infrastructure option as the accounts see it (money in the scenario currency)."""

    basis: str
    serves: frozenset[tuple[str, str]]  # (segment, technology) or (segment, fuel)
    capacity_per_unit: float  # vehicles, or GJ per year
    capex_per_unit: float
    fixed_om_per_unit_year: float
    lifetime_years: int
    existing_units: int
    existing_build_year: int

    def existing_in(self, year: int) -> int:
        """Existing units still in place in `year`: they retire at the end of their lifetime."""
        return self.existing_units if year - self.existing_build_year < self.lifetime_years else 0

    def end_share(self, build_year: int, last_year: int, mode: str, rate: float) -> float:
        """Share of a unit's capex still to be used after the last year (accounts/horizon.py)."""
        return infrastructure_end_share(mode, rate, self.lifetime_years, last_year + 1 - build_year)


SAMPLED_FIELDS: tuple[str, ...] = ("discount_rate", "capex_multipliers", "fuels.price_multipliers")
"""Scenario fields a Monte Carlo sample changes; books of scenarios that differ only in these share
their catalogue lookups (PriceBook.for_sample)."""
SHARED_LOOKUPS: tuple[str, ...] = (
    "real", "_real_terms", "vat_rate", "energy_gj_per_au", "emission_t_per_gj", "residual_share", "infrastructure",
    "conversion", "wear_parts", "component_price", "_component_prices", "price_share_per_year", "fixed_om",
    "supply_limit_gj", "_listed_vehicle_prices", "_listed_fuel_price_per_gj", "_net_fuel_prices", "_emission_rows",
    "_technology_years", "_donor", "needs_supply_infrastructure", "operating_days", "typical_annual_activity_au",
    "daily_activity_au", "lhv_mj_per_unit", "usable_range_au", "lifetime_years", "variable_om_per_au")
"""Methods whose values depend on the catalogue and on scenario fields outside SAMPLED_FIELDS only."""


class PriceBook:
    """Coefficients of a scenario, computed on demand from its catalogue."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue, *, shared: dict | None = None) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self.first_year, self.last_year = scenario.horizon_first_year, scenario.horizon_last_year
        self._technology = {(r["segment"], r["technology"]): r for r in records(catalogue.technologies)}
        self._segment = {r["segment"]: r for r in records(catalogue.segments)}
        self._fuel = {r["fuel"]: r for r in records(catalogue.fuels)}
        self._shared: dict[str, dict] = {} if shared is None else shared
        self._rows = CatalogueRows(catalogue, self._shared.setdefault("catalogue_rows", {})).rows
        for name in SHARED_LOOKUPS:
            setattr(self, name, _memo(self._shared.setdefault(name, {}), getattr(self, name)))
        self.vehicle_price = cache(self.vehicle_price)
        self.fuel_price_per_gj = cache(self.fuel_price_per_gj)
        self._tax = cache(self._tax)

    def for_sample(self, scenario: Scenario) -> PriceBook:
        """A book for `scenario`, which differs from this book's only in SAMPLED_FIELDS; it shares this
        book's catalogue lookups, so the many books of a Monte Carlo sweep compute each one once."""
        if _static_fields(scenario) != _static_fields(self.scenario):
            msg = f"a sample may change only {', '.join(SAMPLED_FIELDS)}"
            raise ValueError(msg)
        return PriceBook(scenario, self.catalogue, shared=self._shared)

    # ------------------------------------------------------------------ money and time
    def money(self, row: dict, column: str) -> float:
        """row[column] in the scenario's money: deflated to the price base year with the CPI of its
        own currency, converted at that year's exchange rates, in the owner's VAT position."""
        amount = self.real(float(row[column]), row["currency"], int(row["price_year"]))
        recoverable = self.scenario.taxes.vat_recoverable
        vat = self.vat_rate()
        if row["tax_basis"] == "excl_vat":
            return amount if recoverable else amount * (1.0 + vat)
        return amount / (1.0 + vat) if recoverable else amount

    def real(self, amount: float, currency: str, price_year: int) -> float:
        """amount in money of price_year and its currency -> scenario currency, money of the base year."""
        cpi_base, cpi_then, scenario_per_usd, own_per_usd = self._real_terms(currency, price_year)
        deflated = amount * cpi_base / cpi_then
        return deflated * scenario_per_usd / own_per_usd

    def _real_terms(self, currency: str, price_year: int) -> tuple[float, float, float, float]:
        """The currency's CPI in the base year and in price_year; the scenario's and the currency's
        units per US$ in the base year (kept per currency and year; real() is called per amount)."""
        cpi, base = self._rows("cpi", currency=currency), self.scenario.price_base_year

        def per_usd(code: str) -> float:
            return interpolate(self._rows("exchange_rates", currency=code), "year", "units_per_usd", base)

        return (interpolate(cpi, "year", "cpi_index", base), interpolate(cpi, "year", "cpi_index", price_year),
                per_usd(self.scenario.currency), per_usd(currency))

    def _tax(self, tax: str, fuel: str | None = None) -> pd.DataFrame:
        if fuel is None:
            return self._rows("taxes", region=self.scenario.region, tax=tax)
        return self._rows("taxes", region=self.scenario.region, tax=tax, fuel=fuel)

    def vat_rate(self) -> float:
        rows = self._tax("vat_rate")
        return 0.0 if rows.empty else interpolate(rows, "year", "value", self.scenario.price_base_year)

    def diesel_excise_refund(self, row: dict, s: str) -> float:
        """The segment's refunded share of the diesel specific tax in a retail diesel price row, per
        litre, in the scenario's money."""
        share = self.scenario.taxes.refund_share(s)
        rows = self._tax("excise", "diesel")
        if not share or row["fuel"] != "diesel" or row["tax_basis"] != "incl_vat_excise" or rows.empty:
            return 0.0
        year = int(row["price_year"])
        return share * self.real(interpolate(rows, "year", "value", year), str(rows["currency"].iloc[0]), year)

    def discount(self, year: int) -> float:
        """Discount factor of a cash flow at the start of `year`: (1 + r)^-(year - first year);
        year = last + 1 is the value left after the horizon."""
        return (1.0 + self.scenario.discount_rate) ** -(year - self.first_year)

    def running_discount(self, year: int) -> float:
        """Discount factor of running costs of `year` (O&M, energy, carbon): paid at the start, the
        middle (default) or the end of the year, as the scenario's running_cost_timing says."""
        years_into = {"start": 0.0, "mid_year": 0.5, "end_of_year": 1.0}[self.scenario.running_cost_timing]
        return (1.0 + self.scenario.discount_rate) ** -(year - self.first_year + years_into)

    # ------------------------------------------------------------------ vehicles
    def technology(self, s: str, t: str) -> dict:
        return self._technology[s, t]

    def has_technology(self, s: str, t: str) -> bool:
        return (s, t) in self._technology

    def lhv_mj_per_unit(self, f: str) -> float:
        return float(self._fuel[f]["lhv_mj_per_unit"])

    def _technology_years(self, s: str, t: str) -> pd.DataFrame:
        return self._rows("technology_years", segment=s, technology=t)

    def _donor(self, s: str, t: str) -> dict | None:
        """For a technology reached only by conversion (no model-year rows): the conversions.csv row
        it is reached by, whose donor gives an already-converted vehicle its price and energy."""
        if not self._technology_years(s, t).empty:
            return None
        rows = self._rows("conversions", segment=s, to_technology=t)
        return None if rows.empty else rows.iloc[0].to_dict()

    def vehicle_price(self, s: str, t: str, model_year: int) -> float:
        """Purchase price of a vehicle of model year v, x the scenario's capex multiplier of t; a
        vehicle of a technology reached only by conversion was bought as its donor (0 if neither has
        a price). [currency/vehicle]"""
        if self._technology_years(s, t).empty:
            donor = self._donor(s, t)
            return self.vehicle_price(s, donor["from_technology"], model_year) if donor else 0.0
        listed = interpolate(self._listed_vehicle_prices(s, t), "year", "money", model_year)
        return listed * self.scenario.capex_multipliers.get(t, 1.0)

    def _listed_vehicle_prices(self, s: str, t: str) -> pd.DataFrame:
        """(s, t)'s listed purchase prices by year, in the scenario's money."""
        rows = self._technology_years(s, t)
        return rows.assign(money=[self.money(row, "purchase_price") for row in records(rows)])

    def energy_gj_per_au(self, s: str, t: str, model_year: int) -> float:
        """Final energy per activity unit of a vehicle of model year v; a technology reached only by
        conversion uses its donor's x the conversion's energy multiplier. [GJ/au]"""
        donor = self._donor(s, t)
        if donor:
            return self.energy_gj_per_au(s, donor["from_technology"], model_year) * float(donor["energy_multiplier"])
        return interpolate(self._technology_years(s, t), "year", "energy_mj_per_au", model_year) * GJ_PER_MJ

    def residual_share(self, s: str, t: str, age: int) -> float:
        """Share of the purchase price a vehicle is worth at `age` years: the technology's curve, or
        the segment's '*' curve. [-]"""
        rows = self._rows("residual_values", segment=s, technology=t)
        if rows.empty:
            rows = self._rows("residual_values", segment=s, technology="*")
        return interpolate(rows, "age_years", "residual_share", age)

    def end_share(self, s: str, t: str, life_years: int, age: int) -> float:
        """Share of its price a vehicle of `age` counts for after the horizon (end_of_horizon). [-]"""
        return vehicle_end_share(self.scenario.end_of_horizon, self.scenario.discount_rate, life_years, age,
                                 lambda a: self.residual_share(s, t, a))

    def price_share_per_year(self, s: str, t: str, age: int) -> float:
        """Insurance and maintenance charged as a share of the purchase price, at `age`, with the
        age factors of age_factors.csv (the technology's rows, else the segment's '*', else 1). [1/a]"""
        row = self.technology(s, t)
        insurance = float(row["insurance_share_per_year"]) if _present(row["insurance_share_per_year"]) else 0.0
        maintenance = float(row["maintenance_share_per_year"]) if _present(row["maintenance_share_per_year"]) else 0.0
        if not insurance and not maintenance:
            return 0.0
        rows = self._rows("age_factors", segment=s, technology=t)
        if rows.empty:
            rows = self._rows("age_factors", segment=s, technology="*")
        if rows.empty:
            return insurance + maintenance
        return (insurance * interpolate(rows, "age_years", "insurance_factor", age)
                + maintenance * interpolate(rows, "age_years", "maintenance_factor", age))

    def fixed_om(self, s: str, t: str, age: int) -> float:
        """Fixed O&M per vehicle-year at `age`, growing linearly with age. [currency/a]"""
        row = self.technology(s, t)
        base = self.money(row, "fixed_om_cost_per_year")
        return base * (1.0 + float(row["fixed_om_age_growth_share"]) * age)

    def variable_om_per_au(self, s: str, t: str) -> float:
        return self.money(self.technology(s, t), "variable_om_cost_per_au")

    def lifetime_years(self, s: str, t: str) -> int:
        return int(self.technology(s, t)["lifetime_years"])

    def usable_range_au(self, s: str, t: str) -> float | None:
        """Range x (1 - derate), or None for a vehicle that is not range-limited. [au/day]"""
        row = self.technology(s, t)
        if not _present(row["range_au"]):
            return None
        return float(row["range_au"]) * (1.0 - float(row["range_derate_share"] or 0.0))

    def wear_parts(self, s: str, t: str) -> tuple[tuple[str, float, float], ...]:
        """Parts of (s, t) that wear with use: [(part, life in au, replacement units)] with part
        'chassis' (technologies.csv lifetime_au; replaced whole) or a component (components.csv)."""
        parts = []
        life = self.technology(s, t)["lifetime_au"]
        if _present(life):
            parts.append(("chassis", float(life), 1.0))
        for row in records(self._rows("components", segment=s, technology=t)):
            parts.append((row["component"], float(row["life_au"]), float(row["units_per_vehicle"])))
        return tuple(parts)

    def component_price(self, component: str, y: int) -> float:
        """Replacement price per unit of size of a component replaced in year y. [currency/unit]"""
        return interpolate(self._component_prices(component), "year", "money", y)

    def _component_prices(self, component: str) -> pd.DataFrame:
        """A component's listed replacement prices by year, in the scenario's money."""
        rows = self._rows("component_prices", component=component)
        return rows.assign(money=[self.money(row, "price_per_unit") for row in records(rows)])

    def operating_days(self, s: str) -> float:
        """Days a year the segment works (the scenario's, else the catalogue's). [d/a]"""
        demand = self.scenario.demand.get(s)
        override = demand.operating_days_per_year if demand else None
        return float(override if override is not None else self._segment[s]["operating_days_per_year"])

    def daily_activity_au(self, s: str) -> float:
        """The segment's typical day (segments.csv). [au/day]"""
        return float(self._segment[s]["daily_activity_au"])

    def typical_annual_activity_au(self, s: str) -> float:
        """One vehicle on the segment's typical daily duty for a year. [au/a]"""
        return float(self._segment[s]["daily_activity_au"]) * self.operating_days(s)

    def conversion(self, s: str, t_from: str, t_to: str) -> dict | None:
        rows = self._rows("conversions", segment=s, from_technology=t_from, to_technology=t_to)
        return None if rows.empty else rows.iloc[0].to_dict()

    def conversion_cost(self, s: str, t_from: str, t_to: str) -> float:
        """Cost of converting one vehicle, x the scenario's capex multiplier of t_to. [currency/vehicle]"""
        return self.money(self.conversion(s, t_from, t_to), "conversion_cost") * self.scenario.capex_multipliers.get(
            t_to, 1.0)

    # ------------------------------------------------------------------ fuels and emissions
    def fuel_price_per_gj(self, s: str, f: str, y: int) -> float:
        """Regional price per physical unit in the scenario's money, less the segment's diesel excise
        refund, / lower heating value, x the scenario's multiplier. [currency/GJ]"""
        return self._listed_fuel_price_per_gj(s, f, y) * self.scenario.fuels.price_multipliers.get(f, 1.0)

    def _listed_fuel_price_per_gj(self, s: str, f: str, y: int) -> float:
        return interpolate(self._net_fuel_prices(s, f), "year", "money", y) / float(
            self._fuel[f]["lhv_mj_per_unit"]) / GJ_PER_MJ

    def _net_fuel_prices(self, s: str, f: str) -> pd.DataFrame:
        """The region's listed prices of f by year, in the scenario's money, less s's excise refund."""
        rows = records(self._rows("prices", fuel=f, region=self.scenario.region))
        net = [self.money(r, "price_per_unit") - self.diesel_excise_refund(r, s) for r in rows]
        return pd.DataFrame({"year": [r["year"] for r in rows], "money": net})

    def emission_t_per_gj(self, s: str, t: str, f: str, y: int, scope: str) -> float:
        """tCO2e per GJ of fuel f burned by (s, t) in y, scope 'ttw' or 'wtw': the fuel's factor for
        the segment's application (else 'all'; well-to-wheel divided by 1 - the fuel's delivery
        losses) plus methane slip x CH4 per GJ x GWP100(CH4)."""
        kg = interpolate(self._emission_rows(f, str(self._segment[s]["emission_application"])), "year",
                         f"{scope}_kgco2e_per_gj", y)
        losses = self._fuel[f]["delivery_losses_share"]
        if scope == "wtw" and _present(losses):  # per GJ delivered, not generated
            kg /= 1.0 - float(losses)
        slip = self.technology(s, t)["methane_slip_share"]
        ch4 = self._fuel[f]["methane_kg_per_gj"]
        if _present(slip) and _present(ch4):
            kg += float(slip) * float(ch4) * self.catalogue.constant("gwp100_ch4")
        return kg * T_PER_KG

    def _emission_rows(self, f: str, application: str) -> pd.DataFrame:
        """The emission factors of f for the application, else for 'all'."""
        rows = self._rows("emission_factors", fuel=f, application=application)
        return rows if not rows.empty else self._rows("emission_factors", fuel=f, application="all")

    def supply_limit_gj(self, f: str, y: int) -> float | None:
        """Most of fuel f the fleet may buy in y: the scenario's limit if it gives one (null: none),
        else the region's rows of fuels/supply.csv; None where there is no limit. [GJ/a]"""
        from fleet_planner.loading.rules import series_value

        if f in self.scenario.fuels.supply_gj_per_year:
            return series_value(self.scenario.fuels.supply_gj_per_year[f], y)
        rows = self._rows("supply", fuel=f, region=self.scenario.region)
        return None if rows.empty else interpolate(rows, "year", "max_gj_per_year", y)

    def needs_supply_infrastructure(self, f: str) -> bool:
        return bool(self._fuel[f]["supply_infrastructure_required"])

    def carbon_price(self, y: int) -> float:
        from fleet_planner.loading.rules import series_value

        return series_value(self.scenario.carbon_price, y) or 0.0

    # ------------------------------------------------------------------ infrastructure
    def infrastructure(self) -> dict[str, InfrastructureTerms]:
        """The catalogue's options the scenario allows, restricted to its segments."""
        segments = list(self.scenario.demand)
        allowed = self.scenario.infrastructure.options
        options = {}
        for row in records(self.catalogue.infrastructure):
            k = row["infrastructure"]
            if allowed is not None and k not in allowed:
                continue
            listed = segments if row["segments"].strip() == "*" else [p.strip() for p in row["segments"].split(";")]
            serves = frozenset((s, item.strip()) for s in listed if s in segments for item in row["serves"].split(";"))
            capacity = row["capacity_vehicles_per_unit"] if row["basis"] == "vehicles" \
                else row["capacity_gj_per_year_per_unit"]
            options[k] = InfrastructureTerms(
                basis=row["basis"], serves=serves, capacity_per_unit=float(capacity),
                capex_per_unit=self.money(row, "capex_cost_per_unit"),
                fixed_om_per_unit_year=self.money(row, "fixed_om_cost_per_unit_year"),
                lifetime_years=int(row["lifetime_years"]),
                existing_units=self.scenario.infrastructure.existing(k, self.first_year)[0],
                existing_build_year=self.scenario.infrastructure.existing(k, self.first_year)[1])
        return options


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def _memo(store: dict, method):
    """method with its values kept in store (shared between the books of one sweep)."""
    def lookup(*args):
        try:
            return store[args]
        except KeyError:
            value = store[args] = method(*args)
            return value

    return lookup


def _static_fields(scenario: Scenario) -> dict:
    """The scenario's settings less SAMPLED_FIELDS."""
    data = scenario.model_dump(exclude={"discount_rate", "capex_multipliers"})
    data["fuels"].pop("price_multipliers", None)
    return data
