"""Cost against emissions: the least-cost plan for a series of limits on the emissions over the
reported years (policy scope), from the least-cost plan's emissions down to the lowest reachable.

Method (docs/model.md, "Analyses"): the scenario's own yearly emission cap is lifted (the limit on
the total replaces it; the cap is marked on the chart instead); the model is built once; it is
solved for least cost (the frontier's loosest point) and for least emissions (its tightest); one
row `emission_limit` (sum over reported years of fuel x factor <= limit) is added and only its
bound changes from point to point. Every point between the two ends is offered the lowest-emission
plan as its start (it meets every limit), so a point depends only on its own limit: the points can
be solved on several processes or a Dask cluster (`workers`, `dask_address`) and give the same
frontier on any of them. Every point's plan is accounted by the evaluator and checked against the
model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    with_overrides,
)
from fleet_planner.exceptions import ScenarioError, SolverError
from fleet_planner.loading.checked import load_and_check
from fleet_planner.schemas.scenario import Scenario

POINTS_MIN, POINTS_MAX = 2, 50
LIMIT_TOLERANCE = 1e-6
"""Emissions closer than this share of the larger of 1 tCO2e and their size are the same."""


@dataclass
class FrontierPoint:
    point: int
    limit_tco2e: float | None
    """None: no limit (the least-cost plan)."""
    plan: AccountedPlan


@dataclass
class Frontier:
    scenario: Scenario
    currency: str
    points: list[FrontierPoint]
    own_plan: AccountedPlan | None = None
    """The scenario's own plan, with its yearly caps (None when it has no cap)."""
    target_tco2e: float | None = None
    """Sum of the scenario's yearly caps over the reported years, when every reported year has one."""
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame:
        """One row per point: limit, emissions, NPV, the marginal abatement cost from the previous
        (looser) point, vehicles gained per technology, and the technologies that enter there."""
        rows, previous = [], None
        for p in self.points:
            gained = adoption(p.plan.decisions)
            row = {"point": p.point, "emission_limit_tco2e": p.limit_tco2e, "emissions_tco2e": p.plan.emissions_tco2e,
                   "npv_cost": p.plan.npv_cost, "marginal_abatement_cost_per_tco2e": None,
                   "entering": " ".join(t for t in gained if previous is not None and t not in previous[1]),
                   "leaving": " ".join(t for t in (previous[1] if previous else {}) if t not in gained),
                   "solver_status": str(p.plan.result.status), "mip_gap": p.plan.result.gap,
                   "currency": self.currency}
            if previous is not None:
                avoided = previous[0].emissions_tco2e - p.plan.emissions_tco2e
                if avoided > LIMIT_TOLERANCE * max(1.0, abs(previous[0].emissions_tco2e)):
                    row["marginal_abatement_cost_per_tco2e"] = (p.plan.npv_cost - previous[0].npv_cost) / avoided
            row.update({f"purchases_{t}_count": n for t, n in gained.items()})
            rows.append(row)
            previous = (p.plan, gained)
        table = pd.DataFrame(rows)
        counts = sorted(c for c in table.columns if c.startswith("purchases_"))
        table[counts] = table[counts].fillna(0.0)
        fixed = [c for c in table.columns if not c.startswith("purchases_") and c not in ("currency", "solver_status",
                                                                                            "mip_gap")]
        return table[[*fixed, *counts, "solver_status", "mip_gap", "currency"]]

    @property
    def decisions(self) -> pd.DataFrame:
        """Every point's decisions (decisions.csv rows) with a `point` column."""
        return decisions_with("point", {p.point: p.plan for p in self.points})

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        own = []
        if self.own_plan is not None:
            own = [{"plan": "scenario_targets", "emissions_tco2e": self.own_plan.emissions_tco2e,
                    "npv_cost": self.own_plan.npv_cost, "target_tco2e": self.target_tco2e, "currency": self.currency}]
        return {"frontier": self.table, "frontier_decisions": self.decisions,
                "frontier_target": pd.DataFrame(own, columns=["plan", "emissions_tco2e", "npv_cost", "target_tco2e",
                                                              "currency"])}


def check_points(points: int) -> None:
    if not POINTS_MIN <= points <= POINTS_MAX:
        raise ScenarioError(f"--points {points}: a frontier needs {POINTS_MIN} to {POINTS_MAX} points (the least-cost "
                            f"plan and the lowest-emission plan are the first and the last); e.g. --points 6.")


CHAIN_POINTS = 5
"""Limited points solved one after the other in a block, each from the previous point's plan: that
start is often within the gap of the next optimum (18 points of the forklifts: 24 s of solver CPU
chained against 57 s each from the lowest-emission plan). Blocks are fixed by the number of points
alone, so a frontier is the same on any backend and worker count."""


def point_blocks(points: int) -> list[list[int]]:
    """The limited points' indices (1 .. points-1, index 0 is the least-cost plan) in blocks of at
    most CHAIN_POINTS consecutive points, each block from its tightest limit to its loosest."""
    tightest_first = list(range(points - 1, 0, -1))
    return [tightest_first[i:i + CHAIN_POINTS] for i in range(0, len(tightest_first), CHAIN_POINTS)]


@dataclass
class FrontierPoints:
    """The frontier's limited points as a job for `analysis.backends`, one sample per block: a block
    starts from the lowest-emission plan (it meets every limit) and then goes on from each point's plan
    (a plan that meets a tighter limit meets a looser one)."""

    model_run: ModelRun
    row: int
    """The model's `emission_limit` row, whose bound each point sets."""
    limits: list[float]
    """Limit of each point by index (0: the least-cost plan's emissions). [tCO2e]"""
    lowest: np.ndarray
    """The lowest-emission plan."""
    blocks: list[list[int]]

    def run(self, block_numbers: Sequence[int]) -> list[Record]:
        records: list[Record] = []
        for number in block_numbers:
            self.solve_block(number, records.append)
        return records

    def solve_block(self, number: int, on_point: Callable[[Record], None]) -> None:
        start = self.lowest
        for index in self.blocks[number]:
            plan = self._solve(index, start)
            on_point({"index": index, "plan": plan})
            start = plan.result.values

    def _solve(self, index: int, start: np.ndarray) -> AccountedPlan:
        limit = float(self.limits[index])
        self.model_run.model.row_rhs[self.row] = limit  # no slack: a vehicle-less cohort could run a few metres
        plan = solve_run(self.model_run, f"frontier point {index + 1}", start=start)
        if plan is None:
            raise SolverError(f"frontier point {index + 1} (limit {limit:,.3f} tCO2e) came out infeasible although "
                              f"{self.limits[-1]:,.3f} tCO2e is reachable; raise solver.mip_gap tolerance or report it")
        return plan


def compute_frontier(scenario: Scenario, points: int = 6, *, progress: Say | None = None, workers: int = 1,
                     dask_address: str | None = None) -> Frontier:
    """The cost-emissions frontier of a scenario in `points` evenly spaced limits (see the module); the
    inner points on `workers` local processes or a Dask cluster (the same frontier on any)."""
    check_points(points)
    say = progress or (lambda _m: None)
    catalogue, _warnings = load_and_check(scenario)
    currency = scenario.currency
    own_plan, target, notes = None, None, []
    if scenario.policy.emission_cap is not None:
        say("the scenario's own plan, with its yearly emission caps")
        own_run = prepare_run(scenario, catalogue)
        own_plan = least_cost(own_run, "the scenario's own plan")
        caps = own_run.inputs.emission_cap_t
        reported = [y for y in own_run.inputs.years if y <= own_run.last_reported_year]
        if all(y in caps for y in reported):
            target = float(sum(caps[y] for y in reported))
        else:
            notes.append("frontier.note_partial_cap")
    free = with_overrides(scenario, {"policy.emission_cap": None}, "frontier (the yearly cap lifted)")
    run = prepare_run(free, catalogue)
    say("least-cost plan without an emission limit")
    loosest = least_cost(run)
    say("lowest reachable emissions")
    lowest = solve_run(run, "lowest emissions", costs=run.emission_costs())
    if lowest is None:  # cannot happen after a feasible least-cost solve; kept for a clear message
        raise SolverError("the lowest-emission plan could not be found although the least-cost plan exists")
    terms = run.reported_emission_terms()
    # limits from the model's own sums (the evaluator's agree within 1e-6): a limit a hair below the
    # lowest plan's model emissions would leave the solver only its tolerances to meet it
    top, bottom = (float(sum(plan.result.values[c] * k for c, k in terms)) for plan in (loosest, lowest))
    if top - bottom <= LIMIT_TOLERANCE * max(1.0, abs(top)):
        notes.append("frontier.note_no_tradeoff")
        return Frontier(scenario, currency, [FrontierPoint(1, None, loosest)], own_plan, target, notes)
    limits = [float(limit) for limit in np.linspace(top, bottom, points)]
    row = run.model.add_row("emission_limit", ("reported years",), terms, "<=", top)
    job = FrontierPoints(run, row, limits, lowest.result.values, point_blocks(points))
    solved = {0: loosest, **_solve_points(job, points, say, workers, dask_address)}
    frontier_points = [FrontierPoint(i + 1, None if i == 0 else limits[i], solved[i]) for i in range(points)]
    return Frontier(scenario, currency, frontier_points, own_plan, target, notes)


def _solve_points(job: FrontierPoints, points: int, say: Say, workers: int,
                  dask_address: str | None) -> dict[int, AccountedPlan]:
    """The inner points (the tightest first), each announced as it arrives."""
    solved: dict[int, AccountedPlan] = {}

    def arrived(records: list[Record]) -> None:
        for record in records:
            index, plan = record["index"], record["plan"]
            solved[index] = plan
            say(f"point {index + 1} of {points} (emissions at most {job.limits[index]:,.1f} tCO2e): "
                f"{plan.emissions_tco2e:,.1f} tCO2e ({len(solved)} of {points - 1} limited points done)")

    run_each(job, list(range(len(job.blocks))), arrived, workers=workers, dask_address=dask_address,
             here=lambda number, hand: job.solve_block(number, lambda record: hand([record])))  # every point told
    return solved
