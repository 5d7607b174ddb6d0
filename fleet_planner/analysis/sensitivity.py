"""Sensitivity of the optimal plan: a tornado of NPV and key plan quantities for each uncertain input
over its range (analysis/ranges.py), and break-even values: for each technology the plan adopts or
rejects, the price multiplier at which that choice flips, found by bisection.

Each point is the scenario re-optimised with one input changed through the scenario (so the
evaluator sees the same inputs), accounted and checked against the model. "Adopted" means the plan
buys or converts to at least one vehicle of the technology over the horizon.

Break-evens: for a technology t, the inputs searched are t's capex, the prices of the fuels t may
burn, and the prices of the fuels of the other technologies the optimum adopts (its competitors).
Adopted t: its own capex or fuel up (or a competitor's fuel down) until it is no longer bought;
rejected t: the other way until it is. The search runs from the scenario's value to
BREAK_EVEN_FACTOR times it (or to zero); no flip there means "none in the searched range". Bisection
stops when the bracket is narrower than BREAK_EVEN_TOLERANCE of the scenario's value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fleet_planner.analysis.backends import Record, run_each
from fleet_planner.analysis.ranges import UncertainInput, uncertain_inputs
from fleet_planner.analysis.runs import (
    AccountedPlan,
    ModelRun,
    Say,
    adoption,
    least_cost,
    plan_quantities,
    prepare_run,
    solve_run,
    with_overrides,
)
from fleet_planner.exceptions import InfeasibleError
from fleet_planner.loading.catalogue import Catalogue, load_catalogue
from fleet_planner.loading.checked import load_and_check
from fleet_planner.schemas.scenario import Scenario

BREAK_EVEN_FACTOR = 4.0
BREAK_EVEN_TOLERANCE = 0.01
ADOPTED_MIN = 0.5
"""A technology is adopted when the plan gains at least this many of its vehicles (whole numbers)."""


@dataclass
class Sensitivity:
    scenario: Scenario
    currency: str
    base: dict[str, float]
    inputs: list[UncertainInput]
    tornado: pd.DataFrame
    break_evens: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        inputs = pd.DataFrame([{"input": i.name, "key": i.key, "base_value": i.base, "low_value": i.setting("low"),
                                "high_value": i.setting("high"), "grade": i.grade, "basis": i.basis}
                               for i in self.inputs],
                              columns=["input", "key", "base_value", "low_value", "high_value", "grade", "basis"])
        return {"tornado": self.tornado, "break_evens": self.break_evens, "sensitivity_inputs": inputs}


FUEL_KEY = "fuels.price_multipliers."


def solve_variant(scenario: Scenario, overrides: dict[str, float], label: str,
                  catalogue: Catalogue | None = None, base: ModelRun | None = None,
                  start: np.ndarray | None = None) -> tuple[ModelRun, AccountedPlan]:
    """The scenario with overrides, optimised, accounted and verified. catalogue: the scenario's
    catalogue as read (before capex multipliers), checked once, to save reading it again. A fuel
    price changes only the objective: with `base` (the scenario's run) it is solved in place, its
    cost coefficients changed, and accounted under the changed scenario (a wrong coefficient would
    fail the evaluator's check); everything else is built again. start: the scenario's optimum,
    offered to the solver (same columns; one price changed, it is often near the new optimum)."""
    changed = with_overrides(scenario, overrides, f"sensitivity ({label})")
    costs = fuel_price_costs(base, overrides) if base is not None else None
    if costs is not None:
        plan = solve_run(base, label, costs=costs, scenario=changed, cost=costs, start=start)
        if plan is None:
            raise InfeasibleError([f"{label}: the rules cannot all be met"], during="re-optimising")
        return base, plan
    catalogue = load_and_check(changed)[0] if catalogue is None else catalogue  # the model and accounts apply capex_multipliers
    run = prepare_run(changed, catalogue)
    return run, least_cost(run, label, start=start)


def compute_sensitivity(scenario: Scenario, *, ranges: dict[str, tuple[float, float]] | None = None,
                        break_evens: bool = True, progress: Say | None = None, workers: int = 1,
                        dask_address: str | None = None) -> Sensitivity:
    """Tornado over every uncertain input, then the break-evens (see the module docstring); every
    re-optimisation from the scenario's optimum, on `workers` local processes or a Dask cluster (the
    same tables on any)."""
    say = progress or (lambda _m: None)
    say("the optimum at the scenario's values")
    run = prepare_run(scenario)
    inputs, notes = uncertain_inputs(run, ranges)  # a --range naming no input stops the run before any solve
    optimum = least_cost(run)
    raw = load_catalogue(scenario.vehicles_catalogue, scenario.fuels_catalogue)
    job = SensitivityJob(scenario, run, raw, optimum.result.values, [(item, end) for item in inputs
                                                                       for end in ("low", "high")],
                         searches(run, optimum) if break_evens else [])
    base = plan_quantities(optimum, run.inputs.zero_emission, run.last_reported_year)
    rows, found = job.collect(base, say, workers, dask_address)
    tornado = pd.DataFrame(rows, columns=["input", "end", "input_value", "quantity", "base_result", "result"])
    if not tornado.empty:
        tornado["change"] = tornado["result"] - tornado["base_result"]
    return Sensitivity(scenario, scenario.currency, base, inputs, tornado,
                       pd.DataFrame(found, columns=BREAK_EVEN_COLUMNS), notes)


Search = tuple[str, bool, str, str, str, float, int]
"""(technology, adopted, kind, item, scenario key, base multiplier, +1 up / -1 down)."""


@dataclass
class SensitivityJob:
    """The tornado's ends and the break-even searches as one job for `analysis.backends`: sample i is
    the i-th end, then the searches. Each starts from the scenario's optimum and depends on nothing
    else, so the tables are the same on any backend and worker count."""

    scenario: Scenario
    model_run: ModelRun
    catalogue: Catalogue
    start: np.ndarray
    ends: list[tuple[UncertainInput, str]]
    searches: list[Search]

    def run(self, indices: Sequence[int]) -> list[Record]:
        return [self._tornado(i) if i < len(self.ends) else self._break_even(i - len(self.ends)) for i in indices]

    def collect(self, base: dict[str, float], say: Say, workers: int, dask_address: str | None
                ) -> tuple[list[dict], list[dict]]:
        """Tornado rows and break-even rows in the order of the ends and searches."""
        records: dict[int, Record] = {}
        total = len(self.ends) + len(self.searches)

        def arrived(chunk: list[Record]) -> None:
            for record in chunk:
                records[record["index"]] = record
                say(f"{record['label']} ({len(records)} of {total} done)")

        run_each(self, list(range(total)), arrived, workers=workers, dask_address=dask_address)
        rows = []
        for index in range(len(self.ends)):
            item, end = self.ends[index]
            quantities = records[index]["quantities"]
            for quantity in sorted(set(base) | set(quantities)):
                rows.append({"input": item.name, "end": end, "input_value": item.setting(end), "quantity": quantity,
                             "base_result": base.get(quantity, 0.0), "result": quantities.get(quantity, 0.0)})
        return rows, [records[len(self.ends) + i]["row"] for i in range(len(self.searches))]

    def _tornado(self, index: int) -> Record:
        item, end = self.ends[index]
        value = item.setting(end)
        _run, plan = solve_variant(self.scenario, {item.key: value}, f"{item.name} {end}", self.catalogue,
                                   self.model_run, self.start)
        quantities = plan_quantities(plan, self.model_run.inputs.zero_emission, self.model_run.last_reported_year)
        return {"index": index, "label": f"{item.name} at its {end} value {value:g}", "quantities": quantities}

    def _break_even(self, number: int) -> Record:
        t, _adopted, kind, item, _key, _base, _sign = self.searches[number]
        row = break_even(self.scenario, self.model_run, self.searches[number], self.catalogue, self.start)
        return {"index": len(self.ends) + number, "label": f"break-even of {t}: {kind} {item}", "row": row}


BREAK_EVEN_COLUMNS = ["technology", "adopted", "input", "direction", "found", "break_even_multiplier",
                      "break_even_factor", "bracket_low", "bracket_high", "base_price", "break_even_price",
                      "price_unit", "solves"]


def fuel_price_costs(run: ModelRun, overrides: dict[str, float]) -> np.ndarray | None:
    """The run's cost objective with one fuel's price multiplier changed (None when the change is
    not that alone, or when it touches more than the fuel columns' costs: a cap relative to the
    baseline, whose fuel choice the price moves; declared unmet demand, priced by the dearest fuel;
    or a multiplier of 0 at the scenario's value, which cannot be scaled)."""
    if len(overrides) != 1 or not next(iter(overrides)).startswith(FUEL_KEY):
        return None
    key, value = next(iter(overrides.items()))
    fuel = key[len(FUEL_KEY):]
    was = run.scenario.fuels.price_multipliers.get(fuel, 1.0)
    if was <= 0 or run.base_emissions_tco2e is not None or run.scenario.policy.emission_cap is not None and \
            run.scenario.policy.emission_cap.share_of_base is not None or run.model.unmet_activity or \
            run.model.unmet_vehicles:
        return None
    costs = run.cost.copy()
    inputs, change = run.inputs, (value / was - 1.0) / run.inputs.money_scale
    for (s, _t, y, f), column in run.model.fuel.items():
        if f == fuel:
            costs[column] += inputs.running_discount_factor[y] * inputs.fuel_price_per_gj[s, f, y] * change
    return costs


def searches(run: ModelRun, optimum: AccountedPlan) -> list[Search]:
    """The break-evens to search (a price at or below zero is not searched downwards)."""
    gained = adoption(optimum.decisions)
    adopted_set = {t for t, n in gained.items() if n >= ADOPTED_MIN}
    candidates = sorted({t for (_s, t, _y) in run.model.purchase} | {k[2] for k in run.model.conversion})
    burns: dict[str, set[str]] = {}
    for (_s, t, _y, f) in run.model.fuel:
        burns.setdefault(t, set()).add(f)
    scenario = run.scenario
    found = []
    for t in candidates:
        adopted = t in adopted_set
        own = 1 if adopted else -1
        found.append((t, adopted, "capex", t, f"capex_multipliers.{t}", scenario.capex_multipliers.get(t, 1.0), own))
        for f in sorted(burns.get(t, ())):
            found.append((t, adopted, "fuel", f, f"fuels.price_multipliers.{f}",
                          scenario.fuels.price_multipliers.get(f, 1.0), own))
        rivals = sorted(set().union(*(burns.get(r, set()) for r in adopted_set if r != t)) - burns.get(t, set()))
        for f in rivals:
            found.append((t, adopted, "fuel", f, f"fuels.price_multipliers.{f}",
                          scenario.fuels.price_multipliers.get(f, 1.0), -own))
    return [search for search in found if not (search[5] <= 0 and search[6] < 0)]


def break_even(scenario: Scenario, run: ModelRun, search: Search, catalogue: Catalogue | None = None,
               start: np.ndarray | None = None) -> dict:
    """One break-even row: the multiplier of the searched input at which the technology's adoption flips
    (None: not between the scenario's value and the far end)."""
    t, adopted, kind, item, key, base, sign = search
    far = base * BREAK_EVEN_FACTOR if sign > 0 else 0.0
    if base == 0:
        far = BREAK_EVEN_FACTOR

    def flipped(value: float) -> bool:
        _run, plan = solve_variant(scenario, {key: value}, f"break-even {t} {kind}.{item}", catalogue, run, start)
        return (adoption(plan.decisions).get(t, 0.0) >= ADOPTED_MIN) != adopted

    bracket, solves = bisect(flipped, base, far, BREAK_EVEN_TOLERANCE * max(base, 1e-3))
    price, unit = base_price(run, t, kind, item)
    middle = None if bracket is None else sum(bracket) / 2
    return {"technology": t, "adopted": adopted, "input": f"{kind}.{item}",
            "direction": "above" if sign > 0 else "below", "found": bracket is not None,
            "break_even_multiplier": middle,
            "break_even_factor": None if middle is None or base == 0 else middle / base,
            "bracket_low": None if bracket is None else min(bracket),
            "bracket_high": None if bracket is None else max(bracket),
            "base_price": price,
            "break_even_price": None if middle is None or price is None or base == 0 else price * middle / base,
            "price_unit": unit, "solves": solves}


def bisect(flipped: Callable[[float], bool], base: float, far: float, tolerance: float
           ) -> tuple[tuple[float, float] | None, int]:
    """The bracket (not flipped, flipped) narrower than tolerance, or None when `far` does not flip.
    Assumes one flip between base and far (adoption monotone in a price)."""
    solves = 1
    if not flipped(far):
        return None, solves
    near, end = base, far
    while abs(end - near) > tolerance:
        middle = (near + end) / 2
        solves += 1
        if flipped(middle):
            end = middle
        else:
            near = middle
    return (near, end), solves


def base_price(run: ModelRun, technology: str, kind: str, item: str) -> tuple[float | None, str]:
    """The input's price in the first year at the scenario's value: fuel per GJ (first segment that
    may burn it), or the technology's purchase price (else its conversion cost) per vehicle."""
    inputs, currency = run.inputs, run.scenario.currency
    if kind == "fuel":
        prices = sorted((y, s) for (s, f, y) in inputs.fuel_price_per_gj if f == item)
        if not prices:
            return None, f"{currency}/GJ"
        y, s = prices[0]
        return float(inputs.fuel_price_per_gj[s, item, y]), f"{currency}/GJ"
    bought = sorted((y, s) for (s, t, y) in inputs.purchase_price if t == item)
    if bought:
        y, s = bought[0]
        return float(inputs.purchase_price[s, item, y]), f"{currency}/vehicle"
    converted = sorted((y, s, t_from) for (s, t_from, t_to, y) in inputs.conversion_cost if t_to == item)
    if converted:
        y, s, t_from = converted[0]
        return float(inputs.conversion_cost[s, t_from, item, y]), f"{currency}/conversion"
    return None, currency
