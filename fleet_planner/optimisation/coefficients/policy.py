"""Policy series by year: emission caps, zero-emission share, budgets and count limits, carbon
price; and the model's own penalty and scaling constants."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.rules import milestone_value, series_value, typical_annual_activity_au

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

GJ_PER_MJ = 1e-3
UNMET_PENALTY_FACTOR = 100.0
"""Unmet demand costs this many times the dearest way to serve one activity unit."""


@dataclass(frozen=True)
class PolicySeries:
    emission_cap_t: dict[int, float]
    """Absolute caps [tCO2e]; caps given as a share of a base year are added by the pipeline."""
    zero_emission_share_min: dict[int, float]
    capex_budget: dict[int, float]
    purchases_max_count: dict[int, float]
    sales_max_count: dict[int, float]
    carbon_price_per_t: dict[int, float]
    zero_emission_share_min_by_segment: dict[tuple[str, int], float]
    zero_emission_purchase_share_min: dict[tuple[str | None, int], float]
    """(segment or None for all segments, y) -> least zero-emission share of the year's purchases."""
    sales_max_share: dict[int, float]
    sales_max_counts_retirements: bool


def policy_series(scenario: Scenario, *, baseline: str | None) -> PolicySeries:
    """The policy's yearly values (the baseline has no targets, budgets or limits)."""
    policy, years = scenario.policy, scenario.years
    cap = policy.emission_cap
    caps = {} if baseline or cap is None or cap.tco2e is None else {
        y: v for y in years if (v := milestone_value(cap.tco2e, y, cap.interpolation)) is not None}
    shares = {} if baseline else {
        y: v for y in years if (v := milestone_value(policy.zero_emission_share_min, y, "step")) is not None}

    def yearly(series, operational: bool = False) -> dict[int, float]:
        """A policy series by year; operational limits (purchase and disposal counts) bind the
        baselines too, targets and budgets do not."""
        if series is None or (baseline and not operational):
            return {}
        return {y: series_value(series, y, "step") for y in years}

    def stepped(points: dict[int, float], operational: bool = False) -> dict[int, float]:
        if baseline and not operational:
            return {}
        return {y: v for y in years if (v := milestone_value(points, y, "step")) is not None}

    by_segment = {(s, y): v for s, points in policy.zero_emission_share_min_by_segment.items()
                  for y, v in stepped(points).items()}
    purchases = {(None, y): v for y, v in stepped(policy.zero_emission_purchase_share_min).items()}
    purchases.update({(s, y): v for s, points in policy.zero_emission_purchase_share_min_by_segment.items()
                      for y, v in stepped(points).items()})
    return PolicySeries(caps, shares, yearly(policy.capex_budget), yearly(policy.purchases_max_count, True),
                        yearly(policy.sales_max_count, True),
                        {y: series_value(scenario.carbon_price, y) or 0.0 for y in years},
                        by_segment, purchases, stepped(policy.sales_max_share, True), policy.sales_max_counts_retirements)


def money_scale(prices: list[float]) -> float:
    """Power of ten that brings vehicle prices to about 100-1,000 for the solver (coefficients
    within about 1e-3..1e4)."""
    largest = max([1.0, *prices])
    return 10.0 ** max(0, math.floor(math.log10(largest)) - 2)


def unmet_penalties(scenario: Scenario, catalogue: Catalogue, price_of: dict[tuple[str, str, int], float],
                    energy_of: dict[tuple[str, str, int], float], dearest_fuel: float) -> dict[str, float]:
    """Cost per unserved activity unit: 100 x the dearest way to serve one (capex spread over a
    typical year's activity + energy), so unmet demand is used only where nothing else can serve."""
    penalty = {}
    for s in scenario.demand:
        typical = max(1.0, typical_annual_activity_au(scenario, catalogue, s))
        per_au = [p / typical for (ss, _t, _y), p in price_of.items() if ss == s]
        energy = [e * GJ_PER_MJ * dearest_fuel for (ss, _t, _y), e in energy_of.items() if ss == s]
        penalty[s] = UNMET_PENALTY_FACTOR * (max(per_au, default=1.0) + max(energy, default=1.0)) + 1.0
    return penalty
