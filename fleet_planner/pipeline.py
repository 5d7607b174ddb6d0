"""The whole job: check -> baseline -> optimise -> verify with the evaluator -> compare.

Used by the CLI and by Python users (`fleet_planner.optimise`, `fleet_planner.evaluate`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from fleet_planner.accounts import Evaluation, evaluate_plan
from fleet_planner.accounts.assumptions import assumption_tables
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.exceptions import EvaluationMismatchError, InfeasibleError, SolverError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.checked import load_and_check
from fleet_planner.optimisation.coefficients.shared import ScenarioTerms
from fleet_planner.optimisation.extract import from_solution, with_rule_names
from fleet_planner.optimisation.inputs import ModelInputs, prepare_inputs
from fleet_planner.optimisation.run import solve_inputs
from fleet_planner.schemas.plan import Baseline, Decisions
from fleet_planner.schemas.scenario import Scenario

VERIFY_RTOL = 1e-6


@dataclass
class PlanResult:
    """An optimised plan with its baseline, solver outcome and the comparison between them."""

    scenario: Scenario
    catalogue: Catalogue
    inputs: ModelInputs
    decisions: Decisions
    evaluation: Evaluation
    baseline: Evaluation
    """Headline baseline: only the baseline technology, the plan's operational freedoms."""
    like_for_like: Evaluation | None
    """Second reference: the baseline technology, each vehicle replaced when it retires (None when
    the caller asked optimise() not to solve it)."""
    solve: object  # SolveResult
    model_size: dict
    timings_s: dict
    warnings: list[str] = field(default_factory=list)
    book: PriceBook | None = None
    """The price book the evaluations used (shared with the assumption tables)."""

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every plan table plus the baseline comparison (see docs/outputs.md)."""
        tables = dict(self.evaluation.tables)
        emissions = tables["emissions"].copy()
        baseline_em = self.baseline.tables["emissions"].set_index("year")["emissions_tco2e"]
        emissions["baseline_tco2e"] = emissions["year"].map(baseline_em).to_numpy()
        tables["emissions"] = emissions
        plan_costs = self.evaluation.tables["plan_by_year"][["year", "total_cost", "total_discounted_cost"]]
        base_costs = self.baseline.tables["plan_by_year"][["year", "total_cost", "total_discounted_cost"]]
        cumulative = plan_costs.merge(base_costs, on="year", suffixes=("", "_baseline"))
        cumulative["cumulative_discounted_cost"] = cumulative["total_discounted_cost"].cumsum()
        cumulative["cumulative_discounted_cost_baseline"] = cumulative["total_discounted_cost_baseline"].cumsum()
        cumulative["currency"] = self.inputs.currency
        tables["cumulative_cost"] = cumulative
        tables["baseline_costs"] = self.baseline.tables["costs"]
        tables["baseline_fleet"] = self.baseline.tables["fleet"]
        tables["baseline_cost_per_activity"] = self.baseline.tables["cost_per_activity"]
        tables["summary"] = pd.DataFrame([self.summary])
        tables.update(assumption_tables(self.scenario, self.catalogue, book=self.book))
        return tables

    @property
    def summary(self) -> dict:
        """Headline figures over the reporting years (report_last_year, else the whole horizon)."""
        plan_npv = self.evaluation.reported_npv_cost
        base_npv = self.baseline.reported_npv_cost
        plan_em = self.evaluation.reported_emissions_tco2e
        base_em = self.baseline.reported_emissions_tco2e
        avoided = base_em - plan_em
        second = self.like_for_like
        lfl_npv, lfl_em = (second.reported_npv_cost, second.reported_emissions_tco2e) if second else (None, None)
        return {
            "scenario": self.scenario.name,
            "currency": self.inputs.currency,
            "status": str(self.solve.status),
            "mip_gap": self.solve.gap,
            "npv_cost": plan_npv,
            "baseline_npv_cost": base_npv,
            "npv_saving_cost": base_npv - plan_npv,
            "emissions_tco2e": plan_em,
            "baseline_emissions_tco2e": base_em,
            "avoided_tco2e": avoided,
            "abatement_cost_per_tco2e": (plan_npv - base_npv) / avoided if avoided > 1e-6 else None,
            "like_for_like_npv_cost": lfl_npv,
            "like_for_like_emissions_tco2e": lfl_em,
            "abatement_cost_vs_like_for_like_per_tco2e": ((plan_npv - lfl_npv) / (lfl_em - plan_em)
                                                          if second and lfl_em - plan_em > 1e-6 else None),
            "emission_scope": self.scenario.policy.emission_scope,
            "end_of_horizon": self.scenario.end_of_horizon,
            "first_year": self.inputs.first_year,
            "last_year": self.scenario.report_last_year or self.inputs.last_year,
            "modelled_last_year": self.inputs.last_year,
        }


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the objects that exist on entry (modules, the caller's data) out of the garbage
    collector's full passes while the pipeline runs; they rejoin it on exit. Those passes rescanned
    every imported module's objects and were 0.05-0.07 s of the forklift scenario's 0.4 s of
    non-solver CPU (bench/README.md). A caller that froze objects itself is left as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def optimise(scenario: Scenario, *, progress: Callable[[str], None] | None = None, verify: bool = True,
             catalogue: Catalogue | None = None, like_for_like: bool = True) -> PlanResult:
    """Optimise a scenario; every plan is re-checked by the independent evaluator. like_for_like=False
    leaves out the second reference (a caller that reads only the plan and the headline baseline)."""
    with _older_objects_frozen():
        return _optimise(scenario, progress, verify, catalogue, like_for_like)


def _optimise(scenario: Scenario, progress: Callable[[str], None] | None, verify: bool, catalogue: Catalogue | None,
              like_for_like: bool) -> PlanResult:
    say = progress or (lambda _msg: None)
    warnings: list[str] = []
    if catalogue is None:
        catalogue, warnings = load_and_check(scenario)
    say("baseline: each segment's baseline technology with the plan's freedoms"
        + ("; and like-for-like replacement" if like_for_like else ""))
    book = PriceBook(scenario, catalogue)  # one price book for the three evaluations: each lookup once
    terms = ScenarioTerms(scenario, catalogue)  # and the scenario-wide coefficients for the three models
    baseline = run_baseline(scenario, catalogue, book=book, terms=terms)
    second = run_baseline(scenario, catalogue, "like_for_like", book=book, terms=terms) if like_for_like else None
    inputs = prepare_inputs(scenario, catalogue, terms=terms)
    apply_emission_caps(inputs, scenario, baseline)
    say("building the model")
    model, result, build_s = solve_inputs(inputs, scenario.solver, progress=say)
    say(f"solved: {result.status} ({result.message})")
    from fleet_planner.optimisation.solve import SolveStatus

    if result.status == SolveStatus.INFEASIBLE:
        from fleet_planner.optimisation.diagnose import diagnose_infeasibility

        say("infeasible: diagnosing which rules cannot be met")
        diagnosis = diagnose_infeasibility(inputs, scenario.solver)
        raise InfeasibleError(diagnosis.messages(), during="the targets cannot all be met", diagnosis=diagnosis)
    if result.interrupted:
        gap = f"{result.gap:.2%}" if result.gap is not None else "unknown"
        warnings = [*warnings, f"interrupted (Ctrl-C) after {result.solve_s:.0f} s: the plan is the best found so far, "
                        f"not proven optimal (MIP gap {gap}); run again without interrupting for the optimum."]
    if not result.has_plan:
        raise SolverError(f"no plan: {result.message} (solver {result.solver}, status {result.status}). "
                          "Raise solver.time_limit_s or solver.mip_gap, or try --solver cbc.")
    decisions = with_rule_names(from_solution(model, result.values),
                                [r["name"] for r in inputs.subsidy_rules])
    evaluation = evaluate_plan(scenario, catalogue, decisions, base_emissions_tco2e=base_emissions(scenario, baseline),
                               book=book)
    if verify:
        verify_against_model(model, result, inputs, evaluation)
    size = {"columns": model.num_columns, "rows": model.num_rows, "nonzeros": model.num_nonzeros,
            "integer_columns": model.num_integer}
    timings = {"build_s": build_s, "handoff_s": result.handoff_s, "solve_s": result.solve_s}
    if evaluation.tables["plan_by_year"].empty:
        raise SolverError("the solver returned an empty plan")
    unmet = decisions.unmet_activity
    if not unmet.empty:
        warnings.append(f"demand not met (allow_unmet_demand is on): {unmet['activity_au'].sum():,.0f} au in total")
    return PlanResult(scenario, catalogue, inputs, decisions, evaluation, baseline, second, result, size, timings,
                      warnings, book)


BASELINE_TABLES: dict[str, tuple[str, ...] | None] = {"same_freedoms": None, "like_for_like": ()}
"""Plan tables a baseline's evaluation builds beside costs and emissions (None: all). The headline
baseline keeps all of them (results and the Python API show them); of the like-for-like baseline
only its NPV and emissions are read."""


def run_baseline(scenario: Scenario, catalogue: Catalogue, which: Baseline = "same_freedoms", *,
                 book: PriceBook | None = None, terms: ScenarioTerms | None = None) -> Evaluation:
    """Business as usual: only each segment's baseline technology is bought, no conversions, targets
    or grants; "same_freedoms" may sell vehicles early as the plan may, "like_for_like" replaces each
    vehicle when it retires. Accounted by the same evaluator as the plan."""
    inputs = prepare_inputs(scenario, catalogue, baseline=which, terms=terms)
    model, result, _ = solve_inputs(inputs, scenario.solver)
    if not result.has_plan:
        raise InfeasibleError(
            f"the baseline ({which.replace('_', ' ')}, with the baseline technology) has no plan: {result.message}. "
            "Check demand and vehicles_required_count against the segments' duties and operating days.")
    decisions = from_solution(model, result.values)
    evaluation = evaluate_plan(scenario, catalogue, decisions, baseline=which, book=book,
                               tables=BASELINE_TABLES[which])
    verify_against_model(model, result, inputs, evaluation)
    return evaluation


def base_emissions(scenario: Scenario, baseline: Evaluation) -> float | None:
    """The baseline's emissions in the cap's base year (caps written as a share of a base year). [tCO2e]"""
    cap = scenario.policy.emission_cap
    if cap is None or cap.base_year is None:
        return None
    return baseline.emissions_by_year[cap.base_year]


def apply_emission_caps(inputs: ModelInputs, scenario: Scenario, baseline: Evaluation) -> None:
    """Caps given as a share of base-year emissions become absolute tCO2e per year."""
    from fleet_planner.loading.rules import milestone_value

    cap = scenario.policy.emission_cap
    if cap is None or cap.share_of_base is None:
        return
    base = cap.base_tco2e if cap.base_tco2e is not None else base_emissions(scenario, baseline)
    for y in inputs.years:
        share = milestone_value(cap.share_of_base, y, cap.interpolation)
        if share is not None:
            inputs.emission_cap_t[y] = share * base


def verify_against_model(model, result, inputs: ModelInputs, evaluation: Evaluation) -> None:
    """The evaluator must agree with the MILP: NPV and yearly emissions within 1e-6, no rule broken."""
    from fleet_planner.optimisation.build import emission_terms

    problems = []
    milp_npv = result.objective * inputs.money_scale - _penalty_cost(model, result, inputs)
    if abs(milp_npv - evaluation.npv_cost) > VERIFY_RTOL * max(1.0, abs(milp_npv)):
        problems.append(f"NPV: MILP {milp_npv:,.6f} vs evaluator {evaluation.npv_cost:,.6f} {inputs.currency}")
    milp_emissions = {y: float(sum(result.values[c] * coef for c, coef in terms))
                      for y, terms in emission_terms(model, inputs).items()}
    for y, value in evaluation.emissions_by_year.items():
        expected = milp_emissions.get(y, 0.0)
        if abs(expected - value) > VERIFY_RTOL * max(1.0, abs(expected)):
            problems.append(f"emissions {y}: MILP {expected:,.6f} vs evaluator {value:,.6f} tCO2e")
    if evaluation.violations and not model.slack:
        problems.extend(f"rule broken: {v}" for v in evaluation.violations[:20])
    if problems:
        raise EvaluationMismatchError(problems, during="the independent evaluator disagrees with the optimiser "
                                                       "(this is a bug in fleet-planner; please report it)")


def _penalty_cost(model, result, inputs) -> float:
    """Cost of the penalty columns (diagnosis slack, declared unmet demand) and of the sales'
    tie-break: not money anyone pays, so the accounts leave it out."""
    columns = [*model.slack.values(), *model.unmet_activity.values(), *model.unmet_vehicles.values()]
    tie_break = model.sale_tie_break * sum(result.values[c] for c in model.sale.values())
    return (sum(result.values[c] * model.col_cost[c] for c in columns) + tie_break) * inputs.money_scale


def evaluate(scenario: Scenario, decisions: Decisions) -> tuple[Evaluation, Evaluation]:
    """Evaluate a user's plan (decisions) and the baseline with the same accounts."""
    catalogue, _warnings = load_and_check(scenario)
    baseline = run_baseline(scenario, catalogue)
    return evaluate_plan(scenario, catalogue, decisions, base_emissions_tco2e=base_emissions(scenario, baseline)), \
        baseline
