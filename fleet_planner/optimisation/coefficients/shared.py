"""Coefficients that depend only on the scenario and the catalogue, computed once per plan.

A plan takes three models over the same scenario and catalogue (the headline baseline, the
like-for-like baseline and the plan). A baseline's rules change which cohorts and decisions exist,
never a price, an emission factor or a discount factor, so those are computed once here and shared
(measured on the forklift scenario: most of prepare_inputs' time was these, three times over).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from fleet_planner.optimisation.coefficients.activity import SegmentActivity, segment_activity
from fleet_planner.optimisation.coefficients.energy import emission_factor_table, fuel_prices, supply_limits
from fleet_planner.optimisation.coefficients.infrastructure import InfrastructureOption, infrastructure_options
from fleet_planner.optimisation.coefficients.money import (
    Money,
    discount_factors,
    residual_share_function,
    technology_year_values,
)
from fleet_planner.optimisation.coefficients.wear import component_prices

if TYPE_CHECKING:
    from collections.abc import Callable

    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario


class ScenarioTerms:
    """The scenario-wide coefficients, each computed on first use. Treat the values as read-only:
    every model of the plan reads the same objects."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue) -> None:
        self.scenario, self.catalogue = scenario, catalogue
        self.money = Money(scenario, catalogue)

    def serves(self, scenario: Scenario, catalogue: Catalogue) -> bool:
        """True for the very scenario and catalogue these terms were computed from."""
        return self.scenario is scenario and self.catalogue is catalogue

    @cached_property
    def discount(self) -> tuple[dict[int, float], dict[int, float], float]:
        """discount_factors(): (capital, running, end of horizon)."""
        return discount_factors(self.scenario)

    @cached_property
    def technology_year_values(self) -> tuple[dict[tuple[str, str, int], float], dict[tuple[str, str, int], float]]:
        """(purchase price [currency], energy use [MJ/au]) by (segment, technology, model year)."""
        return technology_year_values(self.scenario, self.catalogue, self.money)

    @cached_property
    def activity(self) -> SegmentActivity:
        return segment_activity(self.scenario, self.catalogue)

    @cached_property
    def residual_share(self) -> Callable[[str, str, int], float]:
        return residual_share_function(self.catalogue)

    @cached_property
    def fuel_prices(self) -> dict[tuple[str, str, int], float]:
        """(segment, fuel, year) -> currency per GJ."""
        return fuel_prices(self.scenario, self.catalogue, self.money)

    @cached_property
    def emission_factors(self) -> dict[tuple[str, str, int], tuple[float, float]]:
        """(fuel, application, year) -> (ttw, wtw) kgCO2e per GJ."""
        return emission_factor_table(self.scenario, self.catalogue)

    @cached_property
    def supply_limits(self) -> dict[tuple[str, int], float]:
        """(fuel, year) -> GJ a year."""
        return supply_limits(self.scenario, self.catalogue)

    @cached_property
    def component_prices(self) -> dict[tuple[str, int], float]:
        """(component, year) -> currency per unit of size."""
        return component_prices(self.scenario, self.catalogue, self.money)

    @cached_property
    def infrastructure(self) -> dict[str, InfrastructureOption]:
        return infrastructure_options(self.scenario, self.catalogue, self.money)
