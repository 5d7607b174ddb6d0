"""Near-optimal alternatives: plans that cost at most (1 + slack) x the optimum and buy as
differently as possible (modelling to generate alternatives).

Method (docs/model.md, "Analyses"): the model is built once and solved for least cost; one row
`cost_slack` (the cost objective <= optimum + slack x |optimum|) is added; then the objective is
replaced, one alternative at a time, by: the most and the fewest vehicle-years (stock summed over
the reported years) of each technology the optimum buys or converts to, and the most and the
fewest zero-emission vehicle-years (the earliest and the latest zero-emission purchases).
Vehicle-years rather than purchase counts: a count would reward buying and selling the same
vehicles within the slack. A tiny share of the cost is added to each objective so that, among plans
equally far from the optimum, the cheaper is taken. Each alternative is accounted by the evaluator
(its true cost is the one reported) and checked against the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fleet_planner.analysis.backends import Record, run_each
from fleet_planner.analysis.runs import (
    AccountedPlan,
    ModelRun,
    Say,
    adoption,
    decisions_with,
    least_cost,
    prepare_run,
    solve_run,
)
from fleet_planner.exceptions import ScenarioError
from fleet_planner.schemas.scenario import Scenario

SLACK_MAX = 1.0
TIE_BREAK = 1e-3
"""Weight of the cost in an alternative's objective, in vehicles per optimum's cost."""
OBJECTIVE_GAP = TIE_BREAK
"""An alternative's solve also stops once its objective is within this of the bound. [vehicle-years]
Vehicle-years are whole in every plan, so the plan's vehicle-years are then proven the best possible
and only the cost tie-break (at most TIE_BREAK x (1 + slack)) is left unproven. A relative gap alone
does not close where the best is near 0: the forklifts' fewest diesel vehicle-years is 0, found
after 5 s, and HiGHS was still at a relative gap of 6.3 % (all of it the tie-break) after 300 s."""
OPTIMUM = "optimum"


@dataclass
class Alternatives:
    scenario: Scenario
    currency: str
    slack: float
    optimum: AccountedPlan
    plans: dict[str, AccountedPlan] = field(default_factory=dict)
    """Objective name (e.g. most_bev, earliest_zero_emission) -> plan."""
    zero_emission: dict[str, bool] = field(default_factory=dict)
    objective_gap: dict[str, float] = field(default_factory=dict)
    """Objective name -> its plan's objective minus the solver's bound. [vehicle-years]"""

    @property
    def all_plans(self) -> dict[str, AccountedPlan]:
        return {OPTIMUM: self.optimum, **self.plans}

    @property
    def table(self) -> pd.DataFrame:
        """One row per plan: NPV, cost above the optimum, emissions, vehicles gained per technology,
        the first year a zero-emission vehicle is bought, and whether it buys what the optimum buys."""
        rows = []
        base = adoption(self.optimum.decisions)
        for name, plan in self.all_plans.items():
            gained = adoption(plan.decisions)
            purchases = plan.decisions.purchases
            zero = purchases[purchases["technology"].map(lambda t: bool(self.zero_emission.get(t, False)))]
            above = (plan.npv_cost - self.optimum.npv_cost) / max(1e-9, abs(self.optimum.npv_cost))
            row = {"plan": name, "npv_cost": plan.npv_cost, "cost_above_optimum_share": above,
                   "emissions_tco2e": plan.emissions_tco2e,
                   "first_zero_emission_purchase_year": int(zero["year"].min()) if not zero.empty else None,
                   "same_purchases_as_optimum": _same(plan, self.optimum) and gained == base,
                   "solver_status": str(plan.result.status),
                   "mip_gap": plan.result.gap if name == OPTIMUM else None,
                   "vehicle_years_gap": self.objective_gap.get(name), "currency": self.currency}
            row.update({f"purchases_{t}_count": n for t, n in gained.items()})
            rows.append(row)
        table = pd.DataFrame(rows)
        counts = sorted(c for c in table.columns if c.startswith("purchases_"))
        table[counts] = table[counts].fillna(0.0)
        table["first_zero_emission_purchase_year"] = table["first_zero_emission_purchase_year"].astype("Int64")
        solver = ["solver_status", "mip_gap", "vehicle_years_gap"]
        fixed = [c for c in table.columns if not c.startswith("purchases_") and c not in ("currency", *solver)]
        table[solver[1:]] = table[solver[1:]].astype(float)
        return table[[*fixed, *counts, *solver, "currency"]]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {"alternatives": self.table, "alternatives_decisions": decisions_with("plan", self.all_plans)}


def _same(plan: AccountedPlan, other: AccountedPlan) -> bool:
    def key(p: AccountedPlan) -> list:
        frame = p.decisions.purchases
        return sorted(zip(frame["segment"], frame["technology"], frame["year"], frame["count"], strict=True))
    return key(plan) == key(other)


def check_slack(slack: float) -> None:
    if not 0.0 <= slack <= SLACK_MAX or np.isnan(slack):
        raise ScenarioError(f"--slack {slack:g}: the cost slack is a share of the optimum's cost from 0 to "
                            f"{SLACK_MAX:g}; e.g. --slack 0.05 for plans within 5 % of the optimum.")


def objectives(run: ModelRun, adopted: list[str]) -> dict[str, np.ndarray]:
    """Objective vectors (minimised) for each alternative, without the cost tie-break."""
    result: dict[str, np.ndarray] = {}
    model = run.model
    last = run.last_reported_year
    for technology in adopted:
        years_of = np.zeros(model.num_columns)
        for (cohort, y), column in model.stock.items():
            if cohort[1] == technology and y <= last:
                years_of[column] = 1.0
        result[f"most_{technology}"], result[f"least_{technology}"] = -years_of, years_of.copy()
    years = np.zeros(model.num_columns)
    for (cohort, y), column in model.stock.items():
        if run.inputs.zero_emission.get(cohort[1]) and y <= last:
            years[column] = 1.0
    if years.any():
        result["earliest_zero_emission"], result["latest_zero_emission"] = -years, years
    return result


def compute_alternatives(scenario: Scenario, slack: float = 0.05, *, progress: Say | None = None,
                         workers: int = 1, dask_address: str | None = None) -> Alternatives:
    """The optimum and its near-optimal alternatives (see the module docstring), solved on `workers`
    local processes or a Dask cluster (each from the optimum: the same plans on any)."""
    check_slack(slack)
    say = progress or (lambda _m: None)
    run = prepare_run(scenario)
    say("least-cost plan")
    optimum = least_cost(run)
    optimum_model = float(run.cost @ optimum.result.values) + run.offset
    allowed = optimum_model + slack * abs(optimum_model)
    terms = [(c, float(v)) for c, v in enumerate(run.cost) if v]
    run.model.add_row("cost_slack", (slack,), terms, "<=", allowed - run.offset)
    tie = TIE_BREAK / max(1e-9, abs(optimum_model)) * run.cost
    found = Alternatives(scenario, scenario.currency, slack, optimum, zero_emission=dict(run.inputs.zero_emission))
    job = AlternativePlans(run, list(objectives(run, list(adoption(optimum.decisions))).items()), tie,
                           optimum.result.values)
    solved: dict[int, Record] = {}

    def arrived(records: list[Record]) -> None:
        for record in records:
            solved[record["index"]] = record
            say(f"alternative: {job.objectives[record['index']][0].replace('_', ' ')} ({len(solved)} of "
                f"{len(job.objectives)} done)")

    indices = list(range(len(job.objectives)))
    run_each(job, indices, arrived, workers=workers, dask_address=dask_address)
    kept = [(job.objectives[i][0], solved[i]) for i in indices if solved[i]["plan"] is not None]
    found.plans.update({name: record["plan"] for name, record in kept})
    found.objective_gap = {name: record["objective_gap"] for name, record in kept}
    return found


@dataclass
class AlternativePlans:
    """The alternatives as a job for `analysis.backends`: sample i minimises the i-th objective
    (plus the cost tie-break) from the optimum, under the cost-slack row."""

    model_run: ModelRun
    objectives: list[tuple[str, np.ndarray]]
    tie: np.ndarray
    """The cost share added to every objective. [objective units per model unit]"""
    start: np.ndarray

    def run(self, indices: Sequence[int]) -> list[Record]:
        records = []
        for index in indices:
            name, vector = self.objectives[index]
            costs = vector + self.tie
            plan = solve_run(self.model_run, f"alternative {name}", costs=costs, start=self.start,
                             mip_abs_gap=OBJECTIVE_GAP)
            gap = None if plan is None or plan.result.bound is None else \
                max(0.0, float(costs @ plan.result.values) - plan.result.bound)
            records.append({"index": index, "plan": plan, "objective_gap": gap})
        return records
