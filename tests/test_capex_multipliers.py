"""capex_multipliers: the same factor in the optimiser's coefficients and in the independent accounts."""

from __future__ import annotations

import pytest

from fleet_planner.accounts import evaluate_plan
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.checked import load_and_check


def test_the_evaluator_agrees_with_the_optimiser_under_capex_multipliers(plan_tiny):
    """optimise() re-accounts the plan and raises when the NPV differs by more than 1e-6: a factor
    applied in one layer only would fail here. A cheap BEV (x0.5) is bought, at half the price."""
    result = plan_tiny("capex_multipliers={bev: 0.5, diesel: 1.3}")
    purchases = result.evaluation.tables["purchases"]
    bev = purchases[purchases["technology"] == "bev"]
    assert not bev.empty
    assert bev.iloc[0]["unit_price"] == pytest.approx(10_000)


def test_a_multiplier_scales_the_price_and_a_shared_book_gives_the_same_accounts(tiny, plan_tiny):
    scenario = tiny()
    catalogue, _ = load_and_check(scenario)
    plain = PriceBook(scenario, catalogue)
    assert plain.vehicle_price("van", "bev", 2025) == pytest.approx(20_000)
    sampled = scenario.model_copy(update={"capex_multipliers": {"bev": 1.5}, "discount_rate": 0.05})
    shared = plain.for_sample(sampled)
    assert shared.vehicle_price("van", "bev", 2025) == pytest.approx(30_000)
    decisions = plan_tiny().decisions
    fresh = evaluate_plan(sampled, catalogue, decisions)
    reused = evaluate_plan(sampled, catalogue, decisions, book=shared)
    assert reused.npv_cost == fresh.npv_cost
    with pytest.raises(ValueError, match="may change only"):
        plain.for_sample(scenario.model_copy(update={"region": "elsewhere"}))


def test_an_unknown_technology_is_named(tiny):
    with pytest.raises(ScenarioError, match="capex_multipliers: unknown technology 'warp'"):
        load_and_check(tiny("capex_multipliers={warp: 2}"))
