"""Build a model from ModelInputs and solve it, reporting progress: the one entry to the solver
for the pipeline and the diagnosis."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from fleet_planner.optimisation.build import build_model
from fleet_planner.optimisation.build.horizon import settle_in_service
from fleet_planner.optimisation.build.wear import settle_wear
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel
from fleet_planner.optimisation.solve import solve


def solve_inputs(inputs: ModelInputs, settings, *, diagnose: bool = False, mps_path: str | None = None,
                 objective: str = "cost", progress: Callable[[str], None] | None = None,
                 adjust: Callable[[FleetModel], None] | None = None):
    """Build and solve; returns (model, SolveResult, build seconds). adjust(model), if given, changes
    the built model before it is solved (a client plan's fixed decisions)."""
    started = time.perf_counter()
    model = build_model(inputs, diagnose=diagnose, objective=objective)
    if adjust is not None:
        adjust(model)
    build_s = time.perf_counter() - started
    if progress is not None:
        progress(f"solving with {settings.name}: {model.num_columns:,} columns ({model.num_integer:,} integer), "
                 f"{model.num_rows:,} rows; built in {build_s:.2f} s; limit {settings.time_limit_s:g} s")

    def incumbent(objective_value: float, gap: float | None, elapsed: float) -> None:
        if progress is not None:
            gap_text = f"gap {gap:.2%}" if gap is not None else "gap unknown"
            progress(f"  plan found after {elapsed:.1f} s: cost {objective_value * inputs.money_scale:,.0f} "
                     f"{inputs.currency} ({gap_text})")

    def heartbeat(elapsed: float, objective_value: float | None, bound: float | None, gap: float | None) -> None:
        if progress is not None:
            scale = inputs.money_scale
            best = f"best plan {objective_value * scale:,.0f}" if objective_value is not None else "no plan yet"
            bound_text = f", bound {bound * scale:,.0f}" if bound is not None and abs(bound) < 1e30 else ""
            progress(f"  still solving after {elapsed:.0f} s: {best}{bound_text} {inputs.currency}"
                     + (f", gap {gap:.2%}" if gap is not None else "") + "; Ctrl-C keeps the best plan")

    result = solve(model, solver=settings.name, mip_gap=settings.mip_gap, time_limit_s=settings.time_limit_s,
                   threads=settings.threads, mps_path=mps_path, on_incumbent=incumbent, on_heartbeat=heartbeat)
    if result.has_plan and (model.wear_terms or model.in_service_terms):
        values = result.values.copy()
        objective = result.objective + settle_wear(model, values) + settle_in_service(model, values)
        gap = None if result.bound is None else abs(objective - result.bound) / max(1e-9, abs(objective))
        result = dataclasses.replace(result, values=values, objective=objective,
                                     gap=gap if gap is not None else result.gap)
    return model, result, build_s
