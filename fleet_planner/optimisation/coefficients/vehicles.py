"""Per-cohort coefficients: fixed O&M, energy per activity unit, usable range, and the values a
cohort is sold or valued at (early sale, retirement at end of life, value left after the horizon).

Letters: s segment, t technology, v vintage (model year), y year; a cohort is (s, t, v).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fleet_planner.loading.rules import present
from fleet_planner.optimisation.coefficients.cohorts import Cohort, CohortIndex, owned
from fleet_planner.optimisation.coefficients.horizon import vehicle_end_share

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.optimisation.coefficients.money import Money

GJ_PER_MJ = 1e-3


@dataclass(frozen=True)
class EndOfHorizon:
    """How what is left after the last year is valued (coefficients/horizon.py)."""

    mode: str
    rate: float


@dataclass(frozen=True)
class VehicleCoefficients:
    fixed_om_cost: dict[tuple[Cohort, int], float]
    """Per vehicle in stock in year y. [currency/a]"""
    variable_om_cost_per_au: dict[tuple[str, str], float]
    energy_gj_per_au: dict[Cohort, float]
    range_effective_au: dict[Cohort, float | None]
    """Usable range: range x (1 - derate); None if not range-limited. [au/day]"""
    resale_value: dict[tuple[Cohort, int], float]
    resale_share: dict[tuple[Cohort, int], float]
    end_value: dict[Cohort, float]
    end_value_share: dict[Cohort, float]
    retirement_value: dict[Cohort, tuple[int, float, float]]
    """Cohorts whose life ends inside the horizon: (retirement year, value share, value per vehicle)."""
    original_price: dict[Cohort, float]
    """What a vehicle of the cohort was bought for (a converted one: its donor's price). [currency]"""
    end_service_premium: dict[Cohort, float]
    """economic end of horizon: value per vehicle in service in the last year above its resale
    value (end_value holds the resale value every vehicle left gets). [currency]"""


def age_factor_function(catalogue: Catalogue) -> Callable[[str, str, int], tuple[float, float]]:
    """(segment, technology, age) -> (insurance factor, maintenance factor) from age_factors.csv:
    the technology's rows, else the segment's '*' rows (linear between ages, constant outside), else 1."""
    table = catalogue.age_factors
    curves = {key: group.sort_values("age_years") for key, group in table.groupby(["segment", "technology"])}

    def factor(s: str, t: str, age: int) -> tuple[float, float]:
        group = curves.get((s, t))
        if group is None:
            group = curves.get((s, "*"))
        if group is None:
            return 1.0, 1.0
        ages = group["age_years"].tolist()
        return tuple(float(np.interp(age, ages, group[column].tolist()))
                     for column in ("insurance_factor", "maintenance_factor"))

    return factor


def vehicle_coefficients(catalogue: Catalogue, index: CohortIndex, money: Money,
                         price_of: dict[tuple[str, str, int], float], energy_of: dict[tuple[str, str, int], float],
                         residual_share: Callable[[str, str, int], float], last_year: int,
                         segments: set[str], horizon: EndOfHorizon) -> VehicleCoefficients:
    """Coefficients of every cohort that can be in stock (see VehicleCoefficients)."""
    cohorts = index.cohorts

    def original_price(key: Cohort) -> float:
        """A converted cohort is worth what its donor vehicle was bought for."""
        source = cohorts[key]["source"]
        return original_price(source) if source is not None else price_of.get(key, 0.0)

    def cohort_energy(key: Cohort) -> float:
        attrs = cohorts[key]
        if attrs["source"] is not None:
            return cohort_energy(attrs["source"]) * attrs["energy_multiplier"]
        return energy_of[key]

    fixed_om, end_value, end_share, retirement, energy, reach, premium = {}, {}, {}, {}, {}, {}, {}
    age_factor = age_factor_function(catalogue)
    for key, years in index.stock_years.items():
        s, t, v = key
        row = catalogue.index.technology[s, t]
        base_om = money(row, "fixed_om_cost_per_year")
        insurance = float(row["insurance_share_per_year"]) if present(row["insurance_share_per_year"]) else 0.0
        maintenance = float(row["maintenance_share_per_year"]) if present(row["maintenance_share_per_year"]) else 0.0
        for y in years:
            by_price = 0.0
            if insurance or maintenance:
                ins_factor, maint_factor = age_factor(s, t, y - v)
                by_price = original_price(key) * (insurance * ins_factor + maintenance * maint_factor)
            fixed_om[key, y] = base_om * (1 + float(row["fixed_om_age_growth_share"]) * (y - v)) + by_price
        energy[key] = cohort_energy(key) * GJ_PER_MJ
        reach[key] = (float(row["range_au"]) * (1 - float(row["range_derate_share"] or 0.0))
                      if present(row["range_au"]) else None)
        if years and years[-1] == last_year:  # still owned after the last year
            if owned(cohorts[key], last_year + 1):
                age = last_year + 1 - v
                end_share[key] = vehicle_end_share(horizon.mode, horizon.rate, cohorts[key]["life_end_year"] - v,
                                                   age, lambda a, s=s, t=t: residual_share(s, t, a))
                # economic: every vehicle is worth at least its resale value; those still in service
                # in the last year are worth the service they have left (end_service_premium)
                floor = residual_share(s, t, age) if horizon.mode == "economic" else end_share[key]
                end_value[key] = floor * original_price(key)
                if end_share[key] > floor:
                    premium[key] = (end_share[key] - floor) * original_price(key)
        elif years and years[-1] == cohorts[key]["life_end_year"] - 1 and owned(cohorts[key], years[-1] + 1):
            # retiring at the end of its life inside the horizon: sold for its residual value, as an
            # owner would; without it, selling a year early would always look better
            year = cohorts[key]["life_end_year"]
            share = residual_share(s, t, year - v)
            retirement[key] = (year, share, share * original_price(key))
    resale_share = {(key, y): residual_share(key[0], key[1], y - key[2]) for key, y in index.sale_index}
    resale = {(key, y): share * original_price(key) for (key, y), share in resale_share.items()}
    variable_om = {(s, t): money(row, "variable_om_cost_per_au")
                   for (s, t), row in catalogue.index.technology.items() if s in segments}
    return VehicleCoefficients(fixed_om, variable_om, energy, reach, resale, resale_share, end_value, end_share,
                               retirement, {key: original_price(key) for key in index.stock_years}, premium)
