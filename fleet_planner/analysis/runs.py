"""What every analysis shares: a scenario changed the way `--set` changes it, one built model solved
again and again with a bound, a row or the objective changed in place, and every plan it returns
accounted by the independent evaluator and checked against the model.

A plan's cost is always the scenario's cost objective evaluated at the plan (whatever objective the
solver minimised), so the evaluator's NPV must match it to 1e-6 as in `pipeline.optimise`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from fleet_planner.accounts import Evaluation, evaluate_plan
from fleet_planner.exceptions import InfeasibleError, ScenarioError, SolverError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.checked import load_and_check
from fleet_planner.loading.errors import format_validation_error
from fleet_planner.loading.scenario import apply_override
from fleet_planner.optimisation.build import build_model, emission_terms
from fleet_planner.optimisation.build.horizon import settle_in_service
from fleet_planner.optimisation.build.wear import settle_wear
from fleet_planner.optimisation.extract import from_solution, with_rule_names
from fleet_planner.optimisation.inputs import ModelInputs, prepare_inputs
from fleet_planner.optimisation.model import FleetModel
from fleet_planner.optimisation.solve import SolveResult, SolveStatus, solve
from fleet_planner.pipeline import apply_emission_caps, base_emissions, run_baseline, verify_against_model
from fleet_planner.schemas.plan import Decisions
from fleet_planner.schemas.scenario import Scenario

Say = Callable[[str], None]
PENALISED_COST = 1e6
"""Objective weight of penalty columns (declared unmet demand) when another objective replaces cost."""


def with_overrides(scenario: Scenario, overrides: Mapping[str, Any], origin: str = "analysis") -> Scenario:
    """The scenario with dotted keys set as `--set KEY=VALUE` sets them (e.g.
    {"fuels.price_multipliers.diesel": 1.2}), validated again; a bad value is a ScenarioError."""
    data = scenario.model_dump(mode="python")
    for dotted, value in overrides.items():
        apply_override(data, dotted, value, origin)
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, Scenario),
                            during=f"changing the scenario ({origin})") from None
    changed._source_file = scenario._source_file
    changed._origins = {**scenario._origins, **dict.fromkeys(overrides, origin)}
    return changed


@dataclass
class AccountedPlan:
    """A plan from a re-solve, accounted by the evaluator and checked against the model."""

    label: str
    decisions: Decisions
    evaluation: Evaluation
    result: SolveResult

    @property
    def npv_cost(self) -> float:
        return self.evaluation.npv_cost

    @property
    def emissions_tco2e(self) -> float:
        """Emissions over the reported years (policy scope). [tCO2e]"""
        return self.evaluation.reported_emissions_tco2e


@dataclass
class ModelRun:
    """One scenario's model, built once and solved as often as an analysis needs."""

    scenario: Scenario
    catalogue: Catalogue
    inputs: ModelInputs
    model: FleetModel
    base_emissions_tco2e: float | None
    cost: np.ndarray = field(init=False)
    offset: float = field(init=False)

    def __post_init__(self) -> None:
        self.cost = np.asarray(self.model.col_cost, dtype=float).copy()
        self.offset = float(self.model.objective_offset)

    @property
    def last_reported_year(self) -> int:
        return self.scenario.report_last_year or self.inputs.last_year

    def reported_emission_terms(self) -> list[tuple[int, float]]:
        """Emissions over the reported years (policy scope) as (column, tCO2e per unit) terms."""
        return [term for y, terms in emission_terms(self.model, self.inputs).items()
                if y <= self.last_reported_year for term in terms]

    def emission_costs(self) -> np.ndarray:
        """An objective of reported emissions [tCO2e]; declared unmet demand stays far dearer."""
        costs = np.zeros(self.model.num_columns)
        for column in [*self.model.unmet_activity.values(), *self.model.unmet_vehicles.values()]:
            costs[column] = PENALISED_COST
        for column, coef in self.reported_emission_terms():
            costs[column] += coef
        return costs


def prepare_run(scenario: Scenario, catalogue: Catalogue | None = None) -> ModelRun:
    """Check the scenario, build its model (caps as a share of the baseline made absolute)."""
    if catalogue is None:
        catalogue, _warnings = load_and_check(scenario)
    cap = scenario.policy.emission_cap
    baseline = None
    if cap is not None and (cap.share_of_base is not None or cap.base_year is not None):
        baseline = run_baseline(scenario, catalogue)
    inputs = prepare_inputs(scenario, catalogue)
    if baseline is not None:
        apply_emission_caps(inputs, scenario, baseline)
    model = build_model(inputs)
    return ModelRun(scenario, catalogue, inputs, model, base_emissions(scenario, baseline) if baseline else None)


def solve_run(run: ModelRun, label: str, *, costs: np.ndarray | None = None, start: np.ndarray | None = None,
              scenario: Scenario | None = None, cost: np.ndarray | None = None,
              mip_abs_gap: float = 0.0) -> AccountedPlan | None:
    """Solve the run's model as it now stands (costs: another objective); None when infeasible.
    The plan is settled as `optimisation.run.solve_inputs` settles it, accounted under `scenario`
    (default: the run's) and verified against `cost` (the cost objective; default: the run's).
    mip_abs_gap: also stop within this of the bound (in the objective's units; see solve)."""
    settings = run.scenario.solver
    model = run.model if costs is None else dataclasses.replace(run.model, col_cost=list(costs), objective_offset=0.0)
    result = solve(model, solver=settings.name, mip_gap=settings.mip_gap, time_limit_s=settings.time_limit_s,
                   threads=settings.threads, start=start, mip_abs_gap=mip_abs_gap)
    if result.status == SolveStatus.INFEASIBLE:
        return None
    if not result.has_plan:
        raise SolverError(f"{label}: no plan ({result.message}, solver {result.solver}, status {result.status}). "
                          "Raise solver.time_limit_s or solver.mip_gap, or try --solver cbc.")
    values = result.values.copy()
    settle_wear(run.model, values)
    settle_in_service(run.model, values)
    objective = float((run.cost if cost is None else cost) @ values) + run.offset
    result = dataclasses.replace(result, values=values, objective=objective)
    decisions = with_rule_names(from_solution(run.model, values), [r["name"] for r in run.inputs.subsidy_rules])
    evaluation = evaluate_plan(scenario or run.scenario, run.catalogue, decisions,
                               base_emissions_tco2e=run.base_emissions_tco2e)
    verify_against_model(run.model, result, run.inputs, evaluation)
    return AccountedPlan(label, decisions, evaluation, result)


def least_cost(run: ModelRun, label: str = "least cost", start: np.ndarray | None = None) -> AccountedPlan:
    """The run's optimum; an infeasible scenario is an InfeasibleError pointing to `plan`'s diagnosis.
    start: a plan of another run of the same scenario's model, offered when its columns match."""
    plan = solve_run(run, label, start=start if start is not None and len(start) == run.model.num_columns else None)
    if plan is None:
        raise InfeasibleError([f"{run.scenario.name}: the rules cannot all be met"],
                              during="solving the scenario before the analysis; run `fleet-planner plan` on it for "
                                     "a diagnosis of which rules conflict")
    return plan


def adoption(decisions: Decisions) -> dict[str, float]:
    """Vehicles each technology gains over the horizon: purchases of it plus conversions to it."""
    counts: dict[str, float] = {}
    for technology, count in zip(decisions.purchases["technology"], decisions.purchases["count"], strict=True):
        counts[technology] = counts.get(technology, 0.0) + float(count)
    conversions = decisions.conversions
    for technology, count in zip(conversions["to_technology"], conversions["count"], strict=True):
        counts[technology] = counts.get(technology, 0.0) + float(count)
    return {t: n for t, n in sorted(counts.items()) if n > 1e-9}


def plan_quantities(plan: AccountedPlan, zero_emission: Mapping[str, bool], last_year: int) -> dict[str, float]:
    """Headline quantities of a plan: NPV, reported emissions, zero-emission share of the stock in the
    last reported year, and vehicles gained per technology (purchases_<t>_count)."""
    fleet = plan.evaluation.tables["fleet"]
    last = fleet[fleet["year"] == last_year]
    total = float(last["stock_count"].sum()) if "stock_count" in last else 0.0
    zero = float(last[last["technology"].map(lambda t: bool(zero_emission.get(t, False)))]["stock_count"].sum()) \
        if total else 0.0
    quantities = {"npv_cost": plan.npv_cost, "emissions_tco2e": plan.emissions_tco2e,
                  "zero_emission_share_last_year": zero / total if total else 0.0}
    quantities.update({f"purchases_{t}_count": n for t, n in adoption(plan.decisions).items()})
    return quantities


def decisions_with(column: str, plans: Mapping[Any, AccountedPlan]) -> pd.DataFrame:
    """Every plan's decisions in one long table with a first column naming the plan."""
    frames = [plan.decisions.to_long().assign(**{column: key}) for key, plan in plans.items()]
    if not frames:
        return pd.DataFrame(columns=[column])
    table = pd.concat(frames, ignore_index=True)
    return table[[column, *[c for c in table.columns if c != column]]]
