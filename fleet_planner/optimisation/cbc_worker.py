"""The CBC worker process (through PuLP): solves a FleetModel and sends its outcome to the parent;
CBC's LP-relaxation values after a run without an incumbent are never loaded."""

from __future__ import annotations

import time

import numpy as np

from fleet_planner.optimisation.model import FleetModel
from fleet_planner.optimisation.status import SolveStatus
from fleet_planner.optimisation.worker_process import die_with_parent, worker_setup


def cbc_worker(model: FleetModel, options: dict, conn) -> None:
    worker_setup(options["parent_pid"])
    import subprocess

    import pulp

    class _SolverProcess(subprocess.Popen):
        """The CBC process PuLP starts dies with this worker (which dies with the run)."""

        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("preexec_fn", die_with_parent)
            super().__init__(*args, **kwargs)

    subprocess.Popen = _SolverProcess  # this worker process only
    started = time.perf_counter()
    problem, variables = model.to_pulp()
    handoff_s = time.perf_counter() - started
    if options.get("mps_path"):
        problem.writeMPS(options["mps_path"])
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=options["time_limit_s"], gapRel=options["mip_gap"],
                               gapAbs=options.get("mip_abs_gap") or None, threads=1)
    if not solver.available():
        conn.send(("final", {"status": SolveStatus.ERROR.value,
                             "message": "the CBC binary bundled with PuLP is not available on this platform"}))
        return
    run_started = time.perf_counter()
    try:
        problem.solve(solver)
    except pulp.PulpSolverError as exc:
        conn.send(("final", {"status": SolveStatus.ERROR.value, "message": f"CBC failed: {exc}"}))
        return
    solve_s = time.perf_counter() - run_started
    # PuLP: status 1 optimal, 0 not solved, -1 infeasible, -2 unbounded; sol_status 1 optimal, 2 integer feasible
    if problem.status == pulp.LpStatusInfeasible:
        status, message = SolveStatus.INFEASIBLE, "the rules cannot all be met"
    elif problem.status == pulp.LpStatusUnbounded:
        status, message = SolveStatus.UNBOUNDED, "the cost can fall without limit"
    elif problem.sol_status == pulp.LpSolutionOptimal and problem.status == pulp.LpStatusOptimal:
        status, message = SolveStatus.OPTIMAL, "optimal within the requested gap"
    elif problem.sol_status == pulp.LpSolutionIntegerFeasible:
        status, message = SolveStatus.FEASIBLE, "stopped early (time limit); best plan found so far"
    else:  # CBC loads LP-relaxation values when it has no incumbent: never use them
        status, message = SolveStatus.NO_SOLUTION, "stopped before any plan was found"
    has_plan = status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    values = np.array([v.varValue or 0.0 for v in variables], dtype=float) if has_plan else None
    objective = float(pulp.value(problem.objective)) if has_plan else None
    conn.send(("final", {"status": status.value, "objective": objective, "bound": None,
                         "gap": 0.0 if status == SolveStatus.OPTIMAL else None, "solve_s": solve_s,
                         "handoff_s": handoff_s, "message": message, "values": values}))
