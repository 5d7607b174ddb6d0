"""Monte Carlo over uncertain inputs (`fleet-planner uncertainty`).

Two modes:

* stress: the scenario is optimised once (the chosen plan) and its baseline solved once; then, for
  each sample, both sets of fleet decisions are re-accounted by the independent evaluator under the
  sample's prices, capex and discount rate (no solver: fast). The decisions stay fixed, so the
  question is "how does this plan fare if the world differs?";
* reoptimise: each sample is optimised afresh (plan and baseline), so the question is "what would
  we choose?": how often each technology is bought.

A sample's record holds its NPV and emissions (plan and baseline), whether the plan costs less than
the baseline, the rules its fixed decisions break (stress), and its yearly costs. The sweep itself
(which samples, where they run) is `run_sweep`; storing records is the caller's (the CLI keeps
them in the result folder's staging area as they arrive, so a sweep can resume).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from fleet_planner._version import __version__
from fleet_planner.accounts import Evaluation, evaluate_plan
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.analysis.backends import OnResults, Record, run_job
from fleet_planner.analysis.sampling import apply_sample, draw_samples
from fleet_planner.analysis.uncertain_inputs import (
    UncertainInput,
    check_inputs,
    default_inputs,
    fuel_price_correlation,
    range_sources,
)
from fleet_planner.exceptions import FleetPlannerError, InfeasibleError, SolverError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.checked import load_and_check
from fleet_planner.loading.ranges import load_uncertainty_ranges
from fleet_planner.pipeline import PlanResult, base_emissions, optimise
from fleet_planner.schemas.plan import Decisions
from fleet_planner.schemas.scenario import Scenario

Mode = Literal["stress", "reoptimise"]
MODES: tuple[str, ...] = ("stress", "reoptimise")
SAMPLES_MAX = 1_000_000
SWEEP_TABLES = ("costs", "emissions")
"""The plan tables a stress-test sample needs."""


@dataclass
class StressJob:
    """Re-account fixed decisions (the plan's and the baseline's) under each sample."""

    scenario: Scenario
    catalogue: Catalogue
    inputs: list[UncertainInput]
    samples: pd.DataFrame
    plan: Decisions
    baseline: Decisions
    base_emissions_tco2e: float | None
    _book: PriceBook | None = field(default=None, repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_book": None}  # the lookups are rebuilt where the job runs

    def run(self, indices: Sequence[int]) -> list[Record]:
        if self._book is None:
            self._book = PriceBook(self.scenario, self.catalogue)
        records = []
        for i in indices:
            scenario = apply_sample(self.scenario, self.inputs, sample_values(self.samples, i))
            book = self._book.for_sample(scenario)
            plan = evaluate_plan(scenario, self.catalogue, self.plan, base_emissions_tco2e=self.base_emissions_tco2e,
                                 book=book, tables=SWEEP_TABLES)
            base = evaluate_plan(scenario, self.catalogue, self.baseline, baseline="same_freedoms", book=book,
                                 tables=SWEEP_TABLES)
            records.append({**outcome_record(i, plan, base), "rules_broken_count": len(plan.violations)})
        return records


@dataclass
class ReoptimiseJob:
    """Optimise each sample afresh (plan and baseline) and record what it buys."""

    scenario: Scenario
    catalogue: Catalogue
    inputs: list[UncertainInput]
    samples: pd.DataFrame

    def run(self, indices: Sequence[int]) -> list[Record]:
        records = []
        for i in indices:
            scenario = apply_sample(self.scenario, self.inputs, sample_values(self.samples, i))
            try:
                result = optimise(scenario, catalogue=self.catalogue)
            except (InfeasibleError, SolverError) as exc:
                records.append({"sample": i, "status": "no_plan", "message": str(exc).splitlines()[0][:200]})
                continue
            records.append({**outcome_record(i, result.evaluation, result.baseline), "chosen": chosen(result)})
        return records


def sample_values(samples: pd.DataFrame, index: int) -> dict[str, float]:
    row = samples.iloc[index]
    assert int(row["sample"]) == index
    return {k: float(v) for k, v in row.items() if k != "sample"}


def outcome_record(index: int, plan: Evaluation, base: Evaluation) -> Record:
    """What a sample gave: NPV and emissions of plan and baseline (reporting window), their yearly
    costs and emissions. [currency, tCO2e]"""
    costs = plan.tables["costs"].groupby("year")[["cost", "discounted_cost"]].sum()
    base_costs = base.tables["costs"].groupby("year")["discounted_cost"].sum()
    years = [int(y) for y in plan.tables["emissions"]["year"]]
    return {
        "sample": index, "status": "ok",
        "npv_cost": plan.reported_npv_cost, "baseline_npv_cost": base.reported_npv_cost,
        "emissions_tco2e": plan.reported_emissions_tco2e,
        "baseline_emissions_tco2e": base.reported_emissions_tco2e,
        "years": years,
        "total_cost": [float(costs.loc[y, "cost"]) for y in years],
        "total_discounted_cost": [float(costs.loc[y, "discounted_cost"]) for y in years],
        "baseline_total_discounted_cost": [float(base_costs.loc[y]) for y in years],
        "yearly_emissions_tco2e": [float(v) for v in plan.tables["emissions"]["emissions_tco2e"]],
    }


def chosen(result: PlanResult) -> dict[str, float]:
    """Vehicles bought or converted to, by technology, over the horizon. [vehicles]"""
    tables = result.evaluation.tables
    counts: dict[str, float] = {}
    for t, n in zip(tables["purchases"]["technology"], tables["purchases"]["purchases_count"], strict=True):
        counts[str(t)] = counts.get(str(t), 0.0) + float(n)
    conversions = tables["conversions"]
    for t, n in zip(conversions["to_technology"], conversions["conversions_count"], strict=True):
        counts[str(t)] = counts.get(str(t), 0.0) + float(n)
    return dict(sorted(counts.items()))


@dataclass
class Sweep:
    """A sweep ready to run: the job, its samples and what identifies it (to resume safely)."""

    mode: str
    seed: int
    inputs: list[UncertainInput]
    correlation: float
    samples: pd.DataFrame
    job: StressJob | ReoptimiseJob
    scenario: Scenario
    catalogue: Catalogue
    nominal: PlanResult | None = None
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The sources of the ranges sampled and of the fuel-price correlation."""

    @property
    def fingerprint(self) -> dict:
        """Everything the records depend on; a stored partial sweep resumes only if it matches."""
        scenario = hashlib.sha256(self.scenario.model_dump_json().encode()).hexdigest()
        catalogue = hashlib.sha256(pd.util.hash_pandas_object(
            pd.concat([t.astype(str) for t in self.catalogue.tables.values()], ignore_index=True),
            index=False).values.tobytes()).hexdigest()
        return {"version": __version__, "mode": self.mode, "seed": self.seed, "samples": len(self.samples),
                "correlation": self.correlation, "scenario_sha256": scenario, "catalogue_sha256": catalogue,
                "inputs": [[i.input_id, i.kind, i.low, i.high, i.distribution] for i in self.inputs]}


def plan_sweep(scenario: Scenario, *, samples: int, mode: str = "stress", seed: int = 0,
               inputs: list[UncertainInput] | None = None, inputs_origin: str = "--ranges", progress=None) -> Sweep:
    """Check the settings, draw the samples and (stress) optimise the plan whose decisions are tested.
    inputs: the inputs to sample (default: the catalogue's uncertainty ranges by kind and grade), from
    inputs_origin (named in messages)."""
    say = progress or (lambda _msg: None)
    if not 1 <= samples <= SAMPLES_MAX:
        raise FleetPlannerError(f"--samples {samples}: give a number of samples from 1 to {SAMPLES_MAX:,}.")
    if mode not in MODES:
        raise FleetPlannerError(f"--mode {mode!r}: use stress (re-account the chosen plan) or reoptimise.")
    if seed < 0:
        raise FleetPlannerError(f"--seed {seed}: give a whole number 0 or above.")
    catalogue, _warnings = load_and_check(scenario)
    ranges = load_uncertainty_ranges(catalogue.vehicles_dir) if inputs is None else None
    origin = inputs_origin if ranges is None else str(ranges.file)
    inputs = default_inputs(scenario, catalogue, ranges) if ranges is not None else inputs
    check_inputs(inputs, scenario, catalogue, origin)
    correlation, sources = fuel_price_correlation(), range_sources(ranges)
    drawn = draw_samples(inputs, correlation, seed, samples)
    if mode == "reoptimise":
        job = ReoptimiseJob(scenario, catalogue, inputs, drawn)
        return Sweep(mode, seed, inputs, correlation, drawn, job, scenario, catalogue, sources=sources)
    say("optimising the plan whose decisions every sample re-accounts")
    nominal = optimise(scenario, catalogue=catalogue, progress=say, like_for_like=False)  # not read here
    job = StressJob(scenario, catalogue, inputs, drawn, nominal.decisions, nominal.baseline.decisions,
                    base_emissions(scenario, nominal.baseline))
    return Sweep(mode, seed, inputs, correlation, drawn, job, scenario, catalogue, nominal, sources)


def run_sweep(sweep: Sweep, done: dict[int, Record], on_results: OnResults, *, workers: int = 1,
              dask_address: str | None = None) -> dict[int, Record]:
    """Run the samples not in `done` (records of an interrupted sweep), handing each chunk of
    records to on_results as it arrives; return every record by sample index."""
    records = dict(done)

    def keep(chunk: list[Record]) -> None:
        for record in chunk:
            records[int(record["sample"])] = record
        on_results(chunk)

    pending = [i for i in range(len(sweep.samples)) if i not in done]
    run_job(sweep.job, pending, keep, workers=workers, dask_address=dask_address)
    return records
