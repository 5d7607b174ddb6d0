"""The first plan from the LP relaxation's neighbourhood (optimisation/primal_start.py)."""

from __future__ import annotations

import highspy
import numpy as np
import pytest

from fleet_planner.optimisation import primal_start
from fleet_planner.optimisation.model import FleetModel
from fleet_planner.optimisation.solve import SolveStatus, solve


def _knapsack() -> FleetModel:
    """Whole vehicles of two kinds cover 7.5 units of demand at least cost: a big one covers 2 for
    10, a small one 1 for 6. The LP buys 3.75 big ones (37.5); its neighbourhood (3 or 4 big ones,
    no small one) holds 4 big ones (40), which is also the optimum (3 big + 2 small cost 42)."""
    model = FleetModel(name="knapsack")
    big = model.add_column("big", integer=True, upper=10)
    small = model.add_column("small", integer=True, upper=10)
    model.add_cost(big, 10.0)
    model.add_cost(small, 6.0)
    model.add_row("demand", (), [(big, 2.0), (small, 1.0)], ">=", 7.5)
    return model


def _feasible(model: FleetModel, values: np.ndarray) -> bool:
    lower, upper = model.row_bounds()
    activity = np.zeros(model.num_rows)
    for row in range(model.num_rows):
        start, end = model.row_start[row], model.row_start[row + 1]
        activity[row] = sum(v * values[c] for c, v in zip(model.row_index[start:end], model.row_value[start:end],
                                                          strict=True))
    whole = all(abs(values[c] - round(values[c])) < 1e-9 for c, i in enumerate(model.col_integer) if i)
    return whole and bool(np.all(activity >= lower - 1e-9) and np.all(activity <= upper + 1e-9))


def test_the_neighbourhood_plan_is_whole_and_keeps_every_row():
    model = _knapsack()
    plan = primal_start.neighbourhood_start(highspy, model.csr(), cpu_budget_s=5, wall_budget_s=5)
    assert plan is not None
    assert _feasible(model, plan)
    assert plan.tolist() == [4.0, 0.0]  # LP: 3.75 big; its neighbourhood keeps small at 0 and rounds big up


def test_no_plan_in_the_neighbourhood_gives_none():
    model = FleetModel(name="odd")
    x = model.add_column("x", integer=True, upper=10)
    model.add_row("odd", (), [(x, 2.0)], "==", 3.0)  # LP x = 1.5; neither 1 nor 2 fits
    assert primal_start.neighbourhood_start(highspy, model.csr(), cpu_budget_s=5, wall_budget_s=5) is None


def _tight_budget() -> FleetModel:
    """Big vehicles (2 units of demand, 10 of capital, running cost 1) and small ones (1 unit, 6 of
    capital, running cost 0) cover 7.5 units within a capital budget of 40. The LP spends the budget
    to the cent: 2.5 big + 2.5 small. No rounding of it fits: 3 big + 2 small need 42, fewer do not
    cover the demand. The only plan is 4 big, no small (40, cost 4)."""
    model = FleetModel(name="tight budget")
    big = model.add_column("big", integer=True, upper=10)
    small = model.add_column("small", integer=True, upper=10)
    model.add_cost(big, 1.0)
    model.add_row("demand", (), [(big, 2.0), (small, 1.0)], ">=", 7.5)
    model.add_row("budget", (), [(big, 10.0), (small, 6.0)], "<=", 40.0)
    return model


def test_a_budget_the_lp_spends_to_the_cent_is_tightened_until_a_rounding_fits():
    """Round 1 rounds to 3 big + 2 small, 2 over the budget; the LP's budget is cut by 2 + 1 % of 40
    to 37.6: 3.7 big + 0.1 small, whose neighbourhood holds 4 big + 0 small within the budget."""
    model = _tight_budget()
    arrays = model.csr()
    integer = arrays["integrality"].astype(bool)
    lower, upper = primal_start._around(arrays, integer, np.array([2.5, 2.5]))
    assert (lower.tolist(), upper.tolist()) == ([2.0, 2.0], [3.0, 3.0])  # no plan in there
    plan = primal_start.neighbourhood_start(highspy, arrays, cpu_budget_s=5, wall_budget_s=5)
    assert plan is not None
    assert _feasible(model, plan)
    assert plan.tolist() == [4.0, 0.0]


def test_only_models_with_many_integer_columns_get_a_start():
    arrays = _knapsack().csr()
    assert not primal_start.worth_a_start(arrays)
    many = {**arrays, "integrality": np.ones(primal_start.MIN_INTEGER_COLUMNS, dtype=np.int32)}
    assert primal_start.worth_a_start(many)


def test_a_solve_with_a_start_reports_it_first_and_reaches_the_same_optimum(monkeypatch):
    monkeypatch.setattr(primal_start, "MIN_INTEGER_COLUMNS", 1)  # the worker is forked: it sees this
    without = solve(_knapsack(), primal_start=False)
    with_start = solve(_knapsack(), primal_start=True)
    assert with_start.status == without.status == SolveStatus.OPTIMAL
    assert with_start.objective == pytest.approx(without.objective)
    assert with_start.trace[0][1] == pytest.approx(40.0)  # the neighbourhood's plan came first
    assert with_start.trace[0][2] == float("-inf")  # found before the branch and bound had a bound
    assert without.trace == () or without.trace[0][2] != float("-inf")


def test_only_the_largest_models_are_solved_without_presolve():
    arrays = _knapsack().csr()
    assert not primal_start.skip_presolve(arrays)
    large = {**arrays, "integrality": np.ones(primal_start.WITHOUT_PRESOLVE_MIN_INTEGER_COLUMNS, dtype=np.int32)}
    assert primal_start.skip_presolve(large)
    assert primal_start.WITHOUT_PRESOLVE_MIN_INTEGER_COLUMNS > primal_start.MIN_INTEGER_COLUMNS
