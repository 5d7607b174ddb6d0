"""Evaluate the plan a client already has: its fleet decisions fixed, the fleet run as well as the
rules allow, accounted by the independent evaluator, every broken rule measured.

A plan of fleet decisions only (purchases, conversions, sales, lease buy-outs, infrastructure
builds) is fixed in the model (optimisation/fixed.py), which chooses activity per cohort and the
fuels; rules the plan cannot keep become penalised slack, never an infeasible model. A complete
plan (activity and fuel use given, as in a `decisions.csv`) is accounted as it is. Either way the
evaluator recomputes every cost and emission from the decisions and lists the broken rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from fleet_planner.accounts import evaluate_plan
from fleet_planner.accounts.fleet import FleetRules, fleet_account
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.exceptions import ScenarioError, SolverError
from fleet_planner.loading.checked import load_and_check
from fleet_planner.loading.client_plan import ClientPlan
from fleet_planner.loading.client_plan_checks import check_client_plan
from fleet_planner.optimisation.extract import from_solution, with_rule_names
from fleet_planner.optimisation.fixed import FixedPlan, UnrepresentedDecisions, solve_fixed
from fleet_planner.optimisation.inputs import prepare_inputs
from fleet_planner.pipeline import PlanResult, apply_emission_caps, base_emissions, run_baseline
from fleet_planner.schemas.client_plan import CLIENT_PLAN_LABEL
from fleet_planner.schemas.plan import Decisions
from fleet_planner.schemas.scenario import Scenario

VIOLATION_COLUMNS = ["rule", "year", "segment", "amount", "unit", "detail"]
STRUCTURE_RULES = ("stock_negative", "sale_not_allowed", "conversion_not_allowed", "purchase_not_allowed",
                   "buy_out_not_allowed", "buy_out_too_many")
"""Fleet rules that make a plan's decisions impossible (not merely a target missed)."""


@dataclass(frozen=True)
class NotSolved:
    """Stands in for a SolveResult when a complete plan is accounted without a solve."""

    solver: str = "none"
    status: str = "not solved"
    message: str = "a complete plan (activity and fuel use given) is accounted as it is"
    gap: float | None = None


@dataclass
class ClientPlanResult(PlanResult):
    """A client's plan, run and accounted; `tables` adds `violations`, the summary marks it."""

    plan_file: str = ""
    notes: list[str] = field(default_factory=list)

    @cached_property
    def violations(self) -> pd.DataFrame:
        """Every broken rule by year and segment, and by how much (amount in unit)."""
        rows = [(v.rule, v.year, v.where, v.amount, v.unit, v.message) for v in self.evaluation.violations]
        frame = pd.DataFrame(rows, columns=VIOLATION_COLUMNS)
        frame["year"] = frame["year"].astype("Int64")
        return frame.sort_values(["year", "rule", "segment"], kind="mergesort", na_position="first") \
            .reset_index(drop=True)

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        tables = dict(PlanResult.tables.func(self))
        tables["violations"] = self.violations
        tables["summary"] = pd.DataFrame([self.summary])
        return tables

    @property
    def summary(self) -> dict:
        summary = PlanResult.summary.fget(self)
        broken = self.violations
        summary.update({"plan_kind": CLIENT_PLAN_LABEL, "plan_file": Path(self.plan_file).name,
                        "rules_broken": len(broken), "meets_rules": broken.empty,
                        "rules_broken_list": "; ".join(f"{rule} ({n})" for rule, n in
                                                       broken.groupby("rule", sort=True).size().items())})
        return summary


    def text_summary(self) -> str:
        """The command line's answer: cost, emissions, every broken rule."""
        s, cur = self.summary, self.summary["currency"]
        lines = [f"Client plan ({s['plan_file']}): its fleet decisions as given, the fleet run as well as the rules "
                 "allow.",
                 f"NPV of total cost: {s['npv_cost']:,.0f} {cur} (baseline {s['baseline_npv_cost']:,.0f})",
                 f"Emissions over the horizon ({s['emission_scope']}): {s['emissions_tco2e']:,.0f} tCO2e "
                 f"(baseline {s['baseline_emissions_tco2e']:,.0f})"]
        violations = self.evaluation.violations
        if violations:
            lines.append(f"The plan breaks {len(violations)} rule(s):")
            lines += [f"  {v}" for v in sorted(violations, key=lambda v: (v.year or 0, v.rule, v.where))]
        else:
            lines.append("The plan meets every rule of the scenario.")
        return "\n".join([*lines, *(f"Warning: {w}" for w in self.warnings)])


def evaluate_client_plan(scenario: Scenario, plan: ClientPlan, *,
                         progress: Callable[[str], None] | None = None) -> ClientPlanResult:
    """Run and account a client's plan against the scenario (see the module docstring)."""
    say = progress or (lambda _msg: None)

    def quiet(message: str) -> None:  # incumbent costs there include the penalties: not shown
        if "plan found" not in message:
            say(message)

    catalogue, warnings = load_and_check(scenario)
    check_client_plan(plan, scenario, catalogue)
    say("baseline: each segment's baseline technology with the plan's freedoms; and like-for-like replacement")
    book = PriceBook(scenario, catalogue)  # one price book for the three evaluations
    baseline = run_baseline(scenario, catalogue, book=book)
    like_for_like = run_baseline(scenario, catalogue, "like_for_like", book=book)
    inputs = prepare_inputs(scenario, catalogue)
    apply_emission_caps(inputs, scenario, baseline)
    stated = plan.decisions()
    size, solve = {}, NotSolved()
    if plan.complete and plan.any_cohort.empty:
        say("a complete plan: accounted as it is")
        decisions = stated
    else:
        say("running the fleet with the plan's decisions fixed")
        try:
            model, solve = solve_fixed(inputs, scenario.solver, fixed_plan(stated, plan.any_cohort),
                                       progress=quiet)
        except UnrepresentedDecisions as exc:
            raise ScenarioError([unrepresented_message(plan, kind, key) for kind, key in exc.missing],
                                during="in the plan file: decisions the scenario does not allow") from None
        if not solve.has_plan:
            raise impossible_plan(plan, scenario, catalogue, stated, solve)
        decisions = with_rule_names(from_solution(model, solve.values), [r["name"] for r in inputs.subsidy_rules])
        if not scenario.allow_unmet_demand:  # a shortfall is measured by the accounts, not declared
            decisions.unmet_activity = decisions.unmet_activity.iloc[0:0]
            decisions.unmet_vehicles = decisions.unmet_vehicles.iloc[0:0]
        size = {"columns": model.num_columns, "rows": model.num_rows, "nonzeros": model.num_nonzeros,
                "integer_columns": model.num_integer}
    evaluation = evaluate_plan(scenario, catalogue, decisions, base_emissions_tco2e=base_emissions(scenario, baseline),
                               book=book)
    return ClientPlanResult(scenario, catalogue, inputs, decisions, evaluation, baseline, like_for_like, solve, size,
                            {}, [*warnings, *plan.ignored], book, plan_file=plan.name)


def fixed_plan(stated: Decisions, any_cohort: pd.DataFrame) -> FixedPlan:
    """The stated decisions keyed like the model's columns."""
    fixed = FixedPlan()
    for r in stated.purchases.itertuples():
        fixed.purchases[r.segment, r.technology, int(r.year)] = float(r.count)
    for r in stated.conversions.itertuples():
        fixed.conversions[r.segment, r.technology, r.to_technology, int(r.model_year), int(r.year)] = float(r.count)
    for r in stated.sales.itertuples():
        fixed.sales[(r.segment, r.technology, int(r.model_year)), int(r.year)] = float(r.count)
    for r in stated.lease_buy_outs.itertuples():
        fixed.buy_outs[(r.segment, r.technology, int(r.model_year)), int(r.year)] = float(r.count)
    for r in stated.infrastructure_builds.itertuples():
        fixed.builds[r.infrastructure, int(r.year)] = float(r.count)
    for r in any_cohort.itertuples():
        if r.kind == "sale":
            key = (r.segment, r.technology, int(r.year))
            fixed.any_sales[key] = fixed.any_sales.get(key, 0.0) + float(r.count)
        else:
            key = (r.segment, r.technology, r.to_technology, int(r.year))
            fixed.any_conversions[key] = fixed.any_conversions.get(key, 0.0) + float(r.count)
    for r in stated.activity.itertuples():
        cohort = (r.segment, r.technology, int(r.model_year))
        fixed.activity[cohort, float(r.daily_activity_au), int(r.year)] = float(r.activity_au)
    for r in stated.fuel_use.itertuples():
        fixed.fuel[r.segment, r.technology, int(r.year), r.fuel] = float(r.energy_gj)
    return fixed


REASONS = {
    "purchase": "the scenario offers no such purchase then (not available, outside its purchase window, banned by "
                "the gas end year, or no fuel for it); buy another technology or in another year, or change the "
                "scenario's rule",
    "conversion": "this conversion is not possible then (the vehicles' age, the conversion's years, a lease or lock, "
                  "conversions not allowed, or the cohort has retired); change the year or drop the row",
    "sale": "these vehicles cannot be sold then (retired at the end of their life, leased or locked, sales not "
            "allowed, or no such cohort); change the year or the model year, or drop the row",
    "lease_buy_out": "no buy-out lease of this cohort ends that year; use the fleet file's lease_end year",
    "infrastructure_build": "the option is not offered in the scenario that year (or serves nothing in it)",
    "activity": "that cohort is not in the fleet then, or its range does not reach the duty",
    "fuel": "that technology cannot run on this fuel then, or is not in the fleet",
}


def unrepresented_message(plan: ClientPlan, kind: str, key: tuple) -> str:
    """A decision without a column, as a message naming the plan line and the fix."""
    flat = [p for part in key for p in (part if isinstance(part, tuple) else (part,))]
    if kind == "purchase":
        s, t, y = flat
        line, what = plan.line_of(kind, segment=s, technology=t, year=y), f"buys {s}/{t} in {y}"
    elif kind == "conversion":
        s, t, to, *rest = flat
        y, v = rest[-1], (rest[0] if len(rest) == 2 else None)
        line = plan.line_of(kind, segment=s, technology=t, to_technology=to, year=y)
        what = f"converts {s}/{t}" + (f" of model year {v}" if v is not None else "") + f" to {to} in {y}"
    elif kind in ("sale", "lease_buy_out"):
        s, t, *rest = flat
        y, v = rest[-1], (rest[0] if len(rest) == 2 else None)
        line = plan.line_of(kind, segment=s, technology=t, year=y)
        what = f"{'sells' if kind == 'sale' else 'buys out'} {s}/{t}" \
            + (f" of model year {v}" if v is not None else "") + f" in {y}"
    elif kind == "infrastructure_build":
        k, y = flat
        line, what = plan.line_of(kind, infrastructure=k, year=y), f"builds {k} in {y}"
    else:
        line, what = None, f"gives {kind} for {'/'.join(map(str, flat))}"
    where = f"{plan.name} line {line}" if line is not None else plan.name
    return f"{where}: {what}, but {REASONS[kind]}."


def impossible_plan(plan: ClientPlan, scenario: Scenario, catalogue, stated: Decisions, solve) -> Exception:
    """The fixed plan has no solution at all: its fleet decisions contradict each other (more sold
    than owned after retirements or lease returns). The accounts say where."""
    violations: list = []
    fleet_account(FleetRules(PriceBook(scenario, catalogue), baseline=None), stated, violations)
    broken = [v for v in violations if v.rule in STRUCTURE_RULES]
    if broken:
        return ScenarioError([f"{plan.name}: {v} (fix the plan's rows for {v.where} in {v.year})" for v in broken],
                             during="in the plan file: its fleet decisions are impossible")
    return SolverError(f"the plan could not be run: {solve.message} (solver {solve.solver}, status {solve.status}). "
                       "Check sales and conversions without a model year against the fleet, or raise "
                       "solver.time_limit_s.")
