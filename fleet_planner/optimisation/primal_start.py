"""A first plan before the branch and bound starts: the LP relaxation, rounded in its neighbourhood.

RENS (relaxation enforced neighbourhood search): solve the LP relaxation; fix every integer column
the LP already sets to a whole number, and limit every other integer column to the two whole
numbers around its LP value; solve that much smaller MILP to a loose gap. Its plan is handed to
HiGHS as the first incumbent (`setSolution`), so a run stopped early still has a plan, and the
branch and bound can prune against it from the root.

Measured (bench/README.md, "First plans"): on the synthetic 200-vehicle case it gives a plan
within 0.7 % of the optimum in 0.2 s CPU where HiGHS alone found its first after 2.2 s; on the
5,000-vehicle case a plan within 0.3 % after the 3 s root LP, where HiGHS alone spent its whole
budget in the root. Where the neighbourhood holds no plan (a tight budget that the LP spends to
the cent, the bus scenario's station builds), presolve proves it in a few hundredths of a second
and the run goes on without a start; its cost is then one LP relaxation.
"""

from __future__ import annotations

import time

import numpy as np

from fleet_planner.optimisation.model import pass_to_highs

MIN_INTEGER_COLUMNS = 2_000
"""Smaller models go straight to HiGHS: on the shipped scenarios (625-1,416 integer columns) its own
root heuristics found a first plan within 1 % in 0.1-0.4 s where the forklifts' solve was found
0.3-0.4 s (about 10 %) slower with a start and the others unchanged."""
WITHOUT_PRESOLVE_MIN_INTEGER_COLUMNS = 10_000
"""With a start in hand, models this large are solved without HiGHS's MIP presolve. Measured (CPU,
one run each, with the start): the synthetic 16-segment x 16-year case (13,319 integer columns)
stayed in the root after the root LP for more than 280 s with presolve, ignoring the interrupt,
and reached 0.1 % in 62-69 s without it (two runs); the 5,000 and 50,000-vehicle cases took 3.1 / 3.0 s and
6.3 / 5.8 s to 1 % (with / without). The 200-vehicle case (4,018) was slower without it (3.3 vs
8.7 s to 0.1 %), so it keeps presolve."""
START_GAP = 0.01
"""The neighbourhood's MILP is solved to this gap: a start, not the answer."""
LP_SHARE = 0.25
"""At most this share of the solve's CPU budget (and wall limit) goes to the LP relaxation, and as
much again to the neighbourhood; past it the run goes on without a start."""


def worth_a_start(arrays: dict) -> bool:
    """The rule: a MILP with at least MIN_INTEGER_COLUMNS integer columns."""
    return _integer_columns(arrays) >= MIN_INTEGER_COLUMNS


def skip_presolve(arrays: dict) -> bool:
    """The rule for the solve after a start: at least WITHOUT_PRESOLVE_MIN_INTEGER_COLUMNS integer columns."""
    return _integer_columns(arrays) >= WITHOUT_PRESOLVE_MIN_INTEGER_COLUMNS


def _integer_columns(arrays: dict) -> int:
    return int(np.count_nonzero(arrays["integrality"]))


def neighbourhood_start(highspy, arrays: dict, *, cpu_budget_s: float, wall_budget_s: float) -> np.ndarray | None:
    """A plan (a value per column) from the LP relaxation's neighbourhood, or None if there is none
    within the budget. arrays: FleetModel.csr(). The budgets bound each of the two solves."""
    integer = arrays["integrality"].astype(bool)
    lp = _highs(highspy, arrays, np.zeros_like(arrays["integrality"]), cpu_budget_s, wall_budget_s)
    lp.run()
    if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    relaxed = np.asarray(lp.getSolution().col_value, dtype=float)
    below, above = np.floor(relaxed + 1e-6), np.ceil(relaxed - 1e-6)
    whole = integer & (above - below < 0.5)
    split = integer & ~whole
    lower, upper = arrays["col_lower"].copy(), arrays["col_upper"].copy()
    lower[whole] = upper[whole] = below[whole]
    lower[split] = np.maximum(lower[split], below[split])
    upper[split] = np.minimum(upper[split], above[split])
    neighbourhood = _highs(highspy, {**arrays, "col_lower": lower, "col_upper": upper}, arrays["integrality"],
                           cpu_budget_s, wall_budget_s, gap=START_GAP)
    neighbourhood.run()
    if neighbourhood.getInfo().primal_solution_status != 2:
        return None
    return np.asarray(neighbourhood.getSolution().col_value, dtype=float)


def _highs(highspy, arrays: dict, integrality, cpu_budget_s: float, wall_budget_s: float, gap: float = 0.0):
    """A quiet single-threaded HiGHS holding the model, stopped after cpu_budget_s of CPU."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", float(wall_budget_s))
    if gap:
        h.setOptionValue("mip_rel_gap", gap)
    pass_to_highs(h, arrays, integrality)
    started = time.process_time()

    def stop(event) -> None:
        if time.process_time() - started > cpu_budget_s:
            event.interrupt()

    if np.asarray(integrality).any():
        h.cbMipInterrupt.subscribe(stop)
    else:
        h.cbSimplexInterrupt.subscribe(stop)
    return h
