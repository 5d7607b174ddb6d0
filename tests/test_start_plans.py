"""A plan offered to HiGHS as a start must never cut a solve short.

HiGHS 1.16 can put a start plan at a wrong objective in its presolved model and stop at it as
"optimal" with a zero gap: on the shipped forklifts, with grid electricity at twice its price and
the scenario's optimum as the start, it returned that start (595.11 in model units) although the
optimum is 539.67. The solve now checks HiGHS's objective against its plan and solves again
without presolve when they disagree (fleet_planner/optimisation/solve.py, _misreported)."""

from __future__ import annotations

import pytest

from fleet_planner.analysis.runs import least_cost, prepare_run, solve_run, with_overrides
from fleet_planner.loading.scenario import load_scenario
from tests.conftest import REPO


@pytest.fixture(scope="module")
def forklifts():
    scenario = load_scenario(REPO / "scenarios" / "logistics-forklifts.yaml")
    return scenario, least_cost(prepare_run(scenario))


def test_a_start_plan_does_not_stop_the_solve_at_itself(forklifts):
    scenario, optimum = forklifts
    dearer_grid = with_overrides(scenario, {"fuels.price_multipliers.electricity_grid": 2.0})
    run = prepare_run(dearer_grid)
    started = solve_run(run, "from the scenario's optimum", start=optimum.result.values)
    result = started.result
    start_cost = float(run.cost @ optimum.result.values) + run.offset  # the start, priced in this model
    assert result.objective == pytest.approx(float(run.cost @ result.values) + run.offset, rel=1e-9)
    assert (result.objective - result.bound) / abs(result.objective) <= dearer_grid.solver.mip_gap + 1e-9
    assert result.objective < start_cost * (1 - 0.05)  # the optimum moves off grid power: >5 % below the start
