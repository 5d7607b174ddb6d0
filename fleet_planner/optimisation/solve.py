"""Solve a FleetModel with HiGHS (default) or CBC in a worker process with a hard deadline.

Why a worker process: neither solver honours its time limit reliably on large models
(../shared/reference/performance.md §6.3), so the parent enforces the wall clock and kills the
worker if it overruns. HiGHS reports every improving incumbent to the parent as it is found,
so a killed run still returns its best plan with the last known gap.

The outcome is an enum built from the solver's real state: HiGHS's "time limit" is never shown
as optimal, and CBC's LP-relaxation values after a run without an incumbent are never loaded.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fleet_planner.exceptions import SolverError, TerminationRequest
from fleet_planner.optimisation.cbc_worker import cbc_worker
from fleet_planner.optimisation.model import FleetModel, pass_to_highs
from fleet_planner.optimisation.primal_start import LP_SHARE, neighbourhood_start, skip_presolve, worth_a_start
from fleet_planner.optimisation.scaling import as_built, scaled_for_solver
from fleet_planner.optimisation.status import SolveStatus
from fleet_planner.optimisation.worker_process import worker_setup as _worker_setup

GRACE_FACTOR = 1.25  # the hard deadline is time_limit * GRACE_FACTOR + GRACE_S
GRACE_S = 5.0


@dataclass(frozen=True)
class SolveResult:
    """What a solve produced. objective and bound are in model units (currency / money_scale)."""

    status: SolveStatus
    solver: str
    objective: float | None
    bound: float | None
    gap: float | None
    solve_s: float
    handoff_s: float
    message: str
    values: np.ndarray | None
    interrupted: bool = False
    """Stopped by Ctrl-C with a plan in hand: the values are the best plan found so far."""
    cpu_s: float | None = None
    """CPU seconds of the solver's run (HiGHS, in the worker), robust where wall time is noisy."""
    trace: tuple = ()
    """(CPU seconds, objective, bound) of each improving plan HiGHS found, in order."""

    @property
    def has_plan(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and self.values is not None


def solve(model: FleetModel, *, solver: str = "highs", mip_gap: float = 1e-3, time_limit_s: float = 60.0,
          threads: int = 1, mps_path: str | None = None,
          on_incumbent: Callable[[float, float | None, float], None] | None = None,
          on_heartbeat: Callable[[float, float | None, float | None, float | None], None] | None = None,
          cpu_limit_s: float | None = None, start: np.ndarray | None = None,
          primal_start: bool = True, mip_abs_gap: float = 0.0) -> SolveResult:
    """Solve in a worker process (HiGHS: the model scaled by scaling.py); the parent enforces
    time_limit_s * 1.25 + 5 s as a hard limit. on_incumbent(objective, gap, elapsed s) for each
    improving plan (HiGHS); on_heartbeat(elapsed, best objective, bound, gap) every HEARTBEAT_S s
    without one. Ctrl-C (not a TerminationRequest) after a plan stops the solver and returns that
    plan, marked interrupted; without a plan it stops the run. cpu_limit_s (HiGHS) also stops the run
    after that many CPU seconds (benchmarks). start: a plan (one value per column) HiGHS tries first.
    primal_start: else HiGHS may look for a first plan near the LP relaxation (primal_start.py).
    mip_abs_gap: also stop at objective - bound <= this (model units), for a best value near 0."""
    if solver not in ("highs", "cbc"):
        raise SolverError(f"solver {solver!r} is not supported; use highs or cbc.")
    started = time.perf_counter()
    payload, col_scale, start = _handed_over(model, solver, start, mps_path)
    handoff_s = time.perf_counter() - started
    options = {"mip_gap": mip_gap, "mip_abs_gap": mip_abs_gap, "time_limit_s": time_limit_s, "threads": threads,
               "mps_path": mps_path, "parent_pid": os.getpid(), "cpu_limit_s": cpu_limit_s, "start": start,
               "primal_start": primal_start, "col_scale": col_scale}
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe(duplex=False)
    target = _highs_worker if solver == "highs" else cbc_worker
    worker = context.Process(target=target, args=(payload or model, options, child_end), daemon=True)
    worker.start()
    child_end.close()
    deadline = time.perf_counter() + time_limit_s * GRACE_FACTOR + GRACE_S
    incumbent: tuple | None = None
    final: dict | None = None
    latest: tuple[float | None, float | None] = (None, None)  # best objective and bound the worker reported
    last_said = time.perf_counter()
    try:
        while final is None:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            if on_heartbeat is not None and time.perf_counter() - last_said >= HEARTBEAT_S:
                last_said = time.perf_counter()
                on_heartbeat(last_said - started, latest[0], latest[1], _gap(*latest))
            if parent_end.poll(min(remaining, 0.5)):
                try:
                    kind, data = parent_end.recv()
                except EOFError:
                    break
                if kind == "incumbent":
                    data = (data[0], data[1], _unscaled(data[2], col_scale))
                    incumbent, latest, last_said = data, (data[0], data[1]), time.perf_counter()
                    if on_incumbent is not None:
                        on_incumbent(data[0], _gap(data[0], data[1]), time.perf_counter() - started)
                elif kind == "progress":
                    latest = (latest[0] if data[0] is None else data[0], data[1])
                else:
                    final = data
            elif not worker.is_alive() and not parent_end.poll(0):
                break
    except KeyboardInterrupt as stop:
        _kill(worker)
        if incumbent is None or isinstance(stop, TerminationRequest):
            raise
        elapsed = time.perf_counter() - started
        objective, bound, values = incumbent
        bound = latest[1] if latest[1] is not None else bound
        return SolveResult(SolveStatus.FEASIBLE, solver, objective, bound, _gap(objective, bound), elapsed,
                           handoff_s, f"interrupted (Ctrl-C) after {elapsed:.0f} s; best plan found so far",
                           values, interrupted=True)
    _kill(worker)
    elapsed = time.perf_counter() - started
    if final is not None:
        final["values"] = _unscaled(final.get("values"), col_scale)
        return _result_from_final(final, solver, elapsed, handoff_s + final.get("handoff_s", 0.0))
    if incumbent is not None:
        objective, bound, values = incumbent
        return SolveResult(SolveStatus.FEASIBLE, solver, objective, bound, _gap(objective, bound), elapsed, handoff_s,
                           f"stopped by the hard time limit ({elapsed:.0f} s); best plan found so far", values)
    message = (f"no plan found within the hard time limit ({elapsed:.0f} s)" if time.perf_counter() >= deadline
               else f"the {solver} worker ended without a result (exit code {worker.exitcode}); the solver crashed")
    status = SolveStatus.NO_SOLUTION if time.perf_counter() >= deadline else SolveStatus.ERROR
    return SolveResult(status, solver, None, None, None, elapsed, handoff_s, message, None)


HEARTBEAT_S = 5.0
"""A long solve says how it is going (elapsed, best plan, bound, gap) at least this often."""
PROGRESS_S = 1.0
"""How often the HiGHS worker reports its bound."""


def _kill(worker) -> None:
    if worker.is_alive():
        try:
            os.killpg(worker.pid, signal.SIGKILL)  # the worker leads its own group (CBC runs as its child)
        except (ProcessLookupError, PermissionError):
            worker.kill()
    worker.join(timeout=5)


def _handed_over(model: FleetModel, solver: str, start: np.ndarray | None, mps_path: str | None):
    """(HiGHS's arrays, column scales, start in the scaled units): the model as scaled for HiGHS
    (scaling.py); for CBC (None, None, start). An MPS file is of the model as built."""
    if solver != "highs":
        return None, None, start
    if mps_path:
        _write_mps(model, mps_path)
    payload, col_scale = scaled_for_solver(model, model.csr())
    return payload, col_scale, None if start is None else np.asarray(start, dtype=float) / col_scale


def _unscaled(values: np.ndarray | None, col_scale: np.ndarray | None) -> np.ndarray | None:
    """A plan of the scaled model (scaling.py) in the model's own units."""
    return values if values is None or col_scale is None else values * col_scale


def _write_mps(model: FleetModel, path: str) -> None:
    """The model as built (not as scaled for HiGHS) to an MPS file."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    pass_to_highs(h, model.csr())
    h.writeModel(path)


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not np.isfinite(bound):
        return None
    return abs(objective - bound) / max(1e-9, abs(objective))


def _result_from_final(final: dict, solver: str, elapsed: float, handoff_s: float) -> SolveResult:
    status = SolveStatus(final["status"])
    values = final.get("values") if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) else None
    return SolveResult(status, solver, final.get("objective"), final.get("bound"), final.get("gap"),
                       final.get("solve_s", elapsed), handoff_s, final.get("message", ""), values,
                       cpu_s=final.get("cpu_s"), trace=tuple(final.get("trace", ())))


def _highs_worker(arrays: dict, options: dict, conn) -> None:
    _worker_setup(options["parent_pid"])
    try:
        import highspy
    except ImportError:
        conn.send(("final", {"status": SolveStatus.ERROR.value,
                             "message": "highspy is not installed; `pip install highspy` or use --solver cbc"}))
        return
    started = time.perf_counter()
    h = _configured(highspy, arrays, options)
    if options.get("start") is not None:
        _set_start(h, highspy, options["start"])
    handoff_s = time.perf_counter() - started

    trace: list[tuple[float, float, float]] = []
    cpu_started = [time.process_time()]
    cpu_limit = options.get("cpu_limit_s")

    def improving(event) -> None:
        out = event.data_out
        values = np.array(out.mip_solution, dtype=float)
        objective = _objective(arrays, values)  # HiGHS's own figure can be off after a start (_misreported)
        trace.append((time.process_time() - cpu_started[0], objective, float(out.mip_dual_bound)))
        conn.send(("incumbent", (objective, float(out.mip_dual_bound), values)))

    reported = [time.perf_counter()]

    def progress(event) -> None:  # called often by HiGHS: report the bound every PROGRESS_S seconds
        if cpu_limit is not None and time.process_time() - cpu_started[0] > cpu_limit:
            event.interrupt()
        if time.perf_counter() - reported[0] < PROGRESS_S:
            return
        reported[0] = time.perf_counter()
        out = event.data_out
        objective = float(out.objective_function_value)
        conn.send(("progress", (objective if np.isfinite(objective) else None, float(out.mip_dual_bound))))

    def listen(solver) -> None:
        if arrays["integrality"].any():
            solver.cbMipImprovingSolution.subscribe(improving)
            solver.cbMipInterrupt.subscribe(progress)

    listen(h)
    run_started = time.perf_counter()
    cpu_started[0] = time.process_time()  # the first plan's search counts in the solve's time and trace
    start = options.get("start")
    if options.get("primal_start") and start is None and worth_a_start(arrays):
        start = _first_plan(h, highspy, arrays, options, trace, cpu_started[0], conn)
    h.run()
    note, values = "", _plan_of(h)
    if _misreported(h, arrays, values):
        h, note = _without_presolve(highspy, arrays, options, start, time.perf_counter() - run_started), \
            "; solved again without presolve (HiGHS's objective disagreed with its plan)"
        listen(h)
        h.run()
        values = _plan_of(h)
    solve_s = time.perf_counter() - run_started
    cpu_s = time.process_time() - cpu_started[0]
    model_status = h.getModelStatus()
    info = h.getInfo()
    names = highspy.HighsModelStatus
    has_solution = values is not None
    is_mip = bool(arrays["integrality"].any())
    objective = float(info.objective_function_value) if has_solution else None
    bound = float(info.mip_dual_bound) if is_mip else objective
    gap = float(info.mip_gap) if is_mip and has_solution else (0.0 if has_solution else None)
    status, message = _highs_outcome(model_status, names, has_solution)
    if _misreported(h, arrays, values):  # even without presolve: trust the plan, not the figure
        objective = _objective(arrays, values)
        gap = max(0.0, objective - bound) / max(1.0, abs(objective)) if is_mip else 0.0
        if gap > float(options["mip_gap"]) and objective - bound > float(options.get("mip_abs_gap") or 0.0):
            status, note = SolveStatus.FEASIBLE, "; HiGHS's objective disagreed with its plan: gap from the plan"
    conn.send(("final", {"status": status.value, "objective": objective, "bound": bound, "gap": gap,
                         "solve_s": solve_s, "handoff_s": handoff_s, "message": message + note, "values": values,
                         "cpu_s": cpu_s, "trace": trace}))


def _first_plan(h, highspy, arrays: dict, options: dict, trace: list, cpu_started: float,
                conn) -> np.ndarray | None:
    """Offer HiGHS a plan from the LP relaxation's neighbourhood (primal_start.py), reported as the run's
    first incumbent, and return it; the rest of the wall-clock limit stays with HiGHS. The start is
    searched on the model as built (its rounds were tuned there: on the scaled model the 200-vehicle
    tight-budget case took 1.1-1.3 s instead of 0.6-0.7 s) and handed over scaled."""
    started = time.perf_counter()
    budget = options["cpu_limit_s"] if options.get("cpu_limit_s") is not None else options["time_limit_s"]
    col_scale = options["col_scale"]
    first = neighbourhood_start(highspy, as_built(arrays, col_scale), cpu_budget_s=LP_SHARE * budget,
                                wall_budget_s=LP_SHARE * float(options["time_limit_s"]))
    h.setOptionValue("time_limit", max(1.0, float(options["time_limit_s"]) - (time.perf_counter() - started)))
    if first is None:
        return None
    first = first / col_scale
    objective = _objective(arrays, first)
    trace.append((time.process_time() - cpu_started, objective, float("-inf")))
    conn.send(("incumbent", (objective, None, first)))
    _set_start(h, highspy, first)
    if skip_presolve(arrays):
        h.setOptionValue("presolve", "off")
    return first


def _configured(highspy, arrays: dict, options: dict):
    """A Highs instance with the run's options and model."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", float(options["mip_gap"]))
    if options.get("mip_abs_gap"):
        h.setOptionValue("mip_abs_gap", float(options["mip_abs_gap"]))
    h.setOptionValue("time_limit", float(options["time_limit_s"]))
    h.setOptionValue("threads", int(options["threads"]))
    h.setOptionValue("random_seed", 0)
    if options.get("col_scale") is not None and np.any(options["col_scale"] != 1.0):
        h.setOptionValue("mip_feasibility_tolerance", MIP_FEASIBILITY_TOLERANCE)
    pass_to_highs(h, arrays)
    return h


def _objective(arrays: dict, values: np.ndarray) -> float:
    """A plan's objective in the model as built (offset included)."""
    return float(arrays["col_cost"] @ values + arrays["offset"])


def _plan_of(h) -> np.ndarray | None:
    """HiGHS's plan after a run (None without one)."""
    if h.getInfo().primal_solution_status != 2:
        return None
    return np.array(h.getSolution().col_value, dtype=float)


def _misreported(h, arrays: dict, values: np.ndarray | None) -> bool:
    """HiGHS's objective differs from its own plan's. Seen with HiGHS 1.16 and a start plan: presolve
    put the start at a wrong objective (the forklifts with grid electricity at twice its price: 481.35
    for a plan worth 595.11, whose optimum is 539.67) and the run stopped at it as optimal, gap 0."""
    if values is None:
        return False
    reported, actual = float(h.getInfo().objective_function_value), _objective(arrays, values)
    return abs(reported - actual) > MISREPORT_TOLERANCE * max(1.0, abs(actual))


MIP_FEASIBILITY_TOLERANCE = 1e-7
"""HiGHS's MIP feasibility tolerance on a rescaled model (scaling.py), that of its LPs: its default
1e-6 let a plan of the scaled model meet 5,000 km with 4,999.9995 km; 1e-7 with 4,999.99995. Below
its LP tolerance (1e-9) HiGHS declared a 5,000-vehicle baseline infeasible, or stopped at twice its
optimum. A model left as built keeps HiGHS's default (1e-7 made the 200-vehicle benchmark 2-5x slower)."""
MISREPORT_TOLERANCE = 1e-6
"""Relative difference between HiGHS's objective and its plan's above which the run is redone."""


def _without_presolve(highspy, arrays: dict, options: dict, start: np.ndarray | None, spent_s: float):
    """A fresh Highs for the same model, presolve off, the start (if any) offered again, the time left."""
    h = _configured(highspy, arrays, options)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("time_limit", max(1.0, float(options["time_limit_s"]) - spent_s))
    if start is not None:
        _set_start(h, highspy, start)
    return h


def _highs_outcome(model_status, names, has_solution: bool) -> tuple[SolveStatus, str]:
    """The outcome and its message from HiGHS's model status (a time limit is never optimal)."""
    if model_status == names.kOptimal:
        return SolveStatus.OPTIMAL, "optimal within the requested gap"
    if model_status in (names.kInfeasible,):
        return SolveStatus.INFEASIBLE, "the rules cannot all be met"
    if model_status == names.kUnboundedOrInfeasible:
        return SolveStatus.INFEASIBLE, "infeasible or unbounded (HiGHS could not tell which)"
    if model_status == names.kUnbounded:
        return SolveStatus.UNBOUNDED, "the cost can fall without limit: a cost or bound is missing"
    if model_status in (names.kTimeLimit, names.kInterrupt, names.kIterationLimit, names.kSolutionLimit,
                          names.kObjectiveBound, names.kObjectiveTarget, names.kHighsInterrupt):
        status = SolveStatus.FEASIBLE if has_solution else SolveStatus.NO_SOLUTION
        return status, f"stopped early ({model_status.name[1:]})" + ("; best plan found so far" if has_solution else "")
    return SolveStatus.ERROR, f"HiGHS ended with status {model_status.name}"


def _set_start(h, highspy, start) -> None:
    """Offer a known plan as the first incumbent; a plan HiGHS rejects (infeasible now) is ignored."""
    try:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in start]
        solution.value_valid = True
        h.setSolution(solution)
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return
