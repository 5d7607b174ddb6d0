"""A first plan before the branch and bound starts: the LP relaxation, rounded in its neighbourhood.

RENS (relaxation enforced neighbourhood search): solve the LP relaxation; fix every integer column
the LP already sets to a whole number, and limit every other integer column to the two whole
numbers around its LP value; solve that much smaller MILP to a loose gap. Its plan is handed to
HiGHS as the first incumbent (`setSolution`), so a run stopped early still has a plan, and the
branch and bound can prune against it from the root.

Measured (bench/README.md, "First plans"): on the synthetic 200-vehicle case it gives a plan
within 0.7 % of the optimum in 0.2 s CPU where HiGHS alone found its first after 2.2 s; on the
5,000-vehicle case a plan within 0.3 % after the 3 s root LP, where HiGHS alone spent its whole
budget in the root. Where the neighbourhood holds no plan, presolve proves it in a few hundredths
of a second. If the LP fills capacity rows (a yearly budget over purchases) to the cent, no rounding
of it keeps them: rounds of "round with the overshoot allowed at a penalty, then tighten the rows
that overshot in the LP" find a plan (_tightened_start). Otherwise the run goes on without a start;
its cost is then one LP relaxation.
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
    within the budget. arrays: FleetModel.csr(). The budgets bound each of the two solves; where the
    neighbourhood holds no plan and the LP fills capacity rows to the cent, the tightening rounds
    (_tightened_start) share one more such budget."""
    integer = arrays["integrality"].astype(bool)
    lp = _highs(highspy, arrays, np.zeros_like(arrays["integrality"]), cpu_budget_s, wall_budget_s)
    lp.run()
    if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    relaxed = np.asarray(lp.getSolution().col_value, dtype=float)
    lower, upper = _around(arrays, integer, relaxed)
    neighbourhood = _highs(highspy, {**arrays, "col_lower": lower, "col_upper": upper}, arrays["integrality"],
                           cpu_budget_s, wall_budget_s, gap=START_GAP)
    neighbourhood.run()
    if neighbourhood.getInfo().primal_solution_status == 2:
        return np.asarray(neighbourhood.getSolution().col_value, dtype=float)
    rows = _full_capacity_rows(arrays, integer, np.asarray(lp.getSolution().row_value, dtype=float))
    if not rows.size:
        return None
    return _tightened_start(highspy, arrays, integer, lp, rows, cpu_budget_s, wall_budget_s)


def _around(arrays: dict, integer: np.ndarray, relaxed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds of the LP point's neighbourhood: whole integer columns fixed, the others
    between the two whole numbers around their value."""
    below, above = np.floor(relaxed + 1e-6), np.ceil(relaxed - 1e-6)
    whole = integer & (above - below < 0.5)
    split = integer & ~whole
    lower, upper = arrays["col_lower"].copy(), arrays["col_upper"].copy()
    lower[whole] = upper[whole] = below[whole]
    lower[split] = np.maximum(lower[split], below[split])
    upper[split] = np.minimum(upper[split], above[split])
    return lower, upper


TIGHTEN_ROUNDS = 15
"""At most this many LP + neighbourhood rounds in _tightened_start."""
ROUND_CPU_S = 1.0
"""A safety cap on each round's neighbourhood MILP, not a tuning knob: measured rounds end at their
1 % gap well inside it (a cap of 0.1 s made the plans depend on the machine's load: seed 6 1.6 %
instead of 0.3 %; node limits of 1 to 500 gave identical plans)."""
OVERSHOOT_PENALTY = 10.0
"""A capacity row's slack costs this many times the dearest objective cost per unit of the row."""
TIGHTEN_MARGIN = 0.01
"""Each round takes the overshoot plus this share of the row's bound off a row that overshot."""


def _full_capacity_rows(arrays: dict, integer: np.ndarray, activity: np.ndarray) -> np.ndarray:
    """Rows sum(a_j x_j) <= b over integer columns only, every a_j > 0 (a yearly capital budget), that
    the LP relaxation fills to the bound."""
    rows = []
    for row, (start, end) in enumerate(zip(arrays["a_start"], _row_ends(arrays), strict=True)):
        bound = arrays["row_upper"][row]
        if end - start < 2 or not np.isfinite(bound) or np.isfinite(arrays["row_lower"][row]):
            continue
        if np.all(arrays["a_value"][start:end] > 0) and np.all(integer[arrays["a_index"][start:end]]) \
                and activity[row] >= bound - 1e-6 * max(1.0, abs(bound)):
            rows.append(row)
    return np.asarray(rows, dtype=np.int32)


def _row_ends(arrays: dict) -> np.ndarray:
    """Where each row's entries end in the CSR arrays (a_start gives where they begin)."""
    return np.append(arrays["a_start"][1:], len(arrays["a_index"]))


def _tightened_start(highspy, arrays: dict, integer: np.ndarray, lp, rows: np.ndarray, cpu_budget_s: float,
                     wall_budget_s: float) -> np.ndarray | None:
    """A plan for a model whose LP relaxation fills capacity rows (a tight yearly budget) to the cent,
    so that no rounding of it keeps them. Each round rounds the LP point in its neighbourhood with the
    rows' overshoot allowed at a penalty; a round without overshoot is a plan of the model. Otherwise
    each row that overshot is tightened in the LP by its overshoot (and a margin) and the LP re-solved
    from its basis, so the next LP point leaves room for whole vehicles where the last rounding lacked
    it. Measured (CPU, threads=1, bench/README.md) on the synthetic 200-vehicle case with
    budget_rule="even", where the plain neighbourhood holds no plan: seeds 0, 1, 3, 4, 5, 6 got a plan
    0.30-0.57 % above the LP bound in 0.56-1.50 s (median 0.74 s); HiGHS alone found its first plan
    after 3.6-4.5 s (seed 1: within 1 % only at 5.0 s). Seed 2 has no plan (its LP is infeasible)."""
    started, wall_started = time.process_time(), time.perf_counter()
    ends = _row_ends(arrays)
    penalty = np.array([OVERSHOOT_PENALTY * np.max(np.abs(arrays["col_cost"][arrays["a_index"][s:e]])
                                                   / arrays["a_value"][s:e])
                        for s, e in zip(arrays["a_start"][rows], ends[rows], strict=True)])
    bound = arrays["row_upper"][rows].copy()
    taken = np.zeros(len(rows))
    for _ in range(TIGHTEN_ROUNDS):
        cpu_left = cpu_budget_s - (time.process_time() - started)
        wall_left = wall_budget_s - (time.perf_counter() - wall_started)
        if cpu_left <= 0 or wall_left <= 0:
            return None
        lp.changeRowsBounds(len(rows), rows, arrays["row_lower"][rows], bound - taken)
        lp.run()
        if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        lower, upper = _around(arrays, integer, np.asarray(lp.getSolution().col_value, dtype=float))
        elastic = _highs(highspy, {**arrays, "col_lower": lower, "col_upper": upper}, arrays["integrality"],
                         min(ROUND_CPU_S, cpu_left), wall_left, gap=START_GAP)
        elastic.addCols(len(rows), penalty, np.zeros(len(rows)), np.full(len(rows), highspy.kHighsInf), len(rows),
                        np.arange(len(rows), dtype=np.int32), rows, np.full(len(rows), -1.0))
        elastic.run()
        if elastic.getInfo().primal_solution_status != 2:
            return None
        values = np.asarray(elastic.getSolution().col_value, dtype=float)
        plan, overshoot = values[: len(integer)], values[len(integer):]
        over = overshoot > 1e-9 * np.maximum(1.0, np.abs(bound))
        if not over.any():
            return plan
        taken += np.where(over, overshoot + TIGHTEN_MARGIN * np.abs(bound), 0.0)
    return None


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
