"""Money rows and columns in model money units (FleetModel.money_scale): the solver sees budgets,
grant limits and financing limits on the objective's scale, and the plan comes back in currency."""

from __future__ import annotations

import numpy as np
from conftest import SCENARIOS

from fleet_planner.analysis.runs import least_cost, prepare_run
from fleet_planner.loading.scenario import load_scenario
from fleet_planner.optimisation.model import MONEY_ROWS


def test_the_bus_budget_and_grant_rows_are_on_the_objectives_scale():
    """The senior bus has a 700 M CLP yearly budget and a JCM grant: in currency their rows had
    coefficients up to 2.2e9 beside an objective in millions of CLP (HiGHS spent 11 s in its root)."""
    run = prepare_run(load_scenario(SCENARIOS / "senior-bus-santiago.yaml"))
    model = run.model
    assert model.money_scale > 1
    blocks, largest, largest_rhs = set(), 0.0, 0.0
    for row, block in enumerate(model.row_block):
        if block in MONEY_ROWS:
            blocks.add(block)
            values = np.abs(model.row_value[model.row_start[row]:model.row_start[row + 1]])
            largest = max(largest, float(values.max()))
            if np.isfinite(model.row_rhs[row]):
                largest_rhs = max(largest_rhs, abs(model.row_rhs[row]))
    assert {"capex_budget", "subsidy_eligible", "subsidy_cap"} <= blocks
    assert largest < 1e4 and largest_rhs < 1e4


def test_grant_claims_come_back_in_currency():
    """The claims read from the solution are in CLP (the evaluator, which reads them, matched the
    model's NPV inside least_cost), within the JCM rule's cap of 600 M CLP."""
    scenario = load_scenario(SCENARIOS / "senior-bus-santiago.yaml")
    run = prepare_run(scenario)
    plan = least_cost(run)
    claims = plan.decisions.subsidy_claims
    assert not claims.empty
    assert 1e6 < claims["amount_cost"].sum() <= 600e6 + 1  # CLP, not millions of CLP


def test_a_budget_shortfall_is_diagnosed_in_currency(shortfall_of):
    """10 vans needed, only BEVs (20,000 USD each) allowed, a 150,000 USD budget: the diagnosis names
    the budget short by 50,000 USD (its slack is solved in model money units and read back)."""
    import pytest

    row = shortfall_of("capex_budget", "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev]",
                       "policy.capex_budget=150000")
    assert (row["year"], row["unit"]) == (2025, "USD")
    assert row["shortfall"] == pytest.approx(50_000, rel=1e-6)
