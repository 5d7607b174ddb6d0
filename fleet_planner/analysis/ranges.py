"""The uncertain inputs of a scenario and their ranges, for the sensitivity analysis.

Inputs: the price of each fuel the model may burn (`fuels.price_multipliers`), the capex of each
technology it may buy or convert to (`capex_multipliers`), and the discount rate. Each is changed
through the scenario, as `--set` would change it, so the evaluator sees the same inputs as the model.

Range of an input, first that applies: `--range NAME=LOW:HIGH` given by the user; else the low and
high of its kind and grade in vehicles/uncertainty_ranges.csv (loading/ranges.py), the same row the
Monte Carlo samples from: the grade is the worst among the catalogue rows that give the input (its
price rows in the scenario's region, or its purchase-price and conversion rows); the discount rate
has no rows and takes the row of every grade. For a lognormal row the low and high are its 5th and
95th percentiles. Fuel and capex ranges are multipliers of the scenario's value; a discount-rate
range is the rate itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from fleet_planner.analysis.runs import ModelRun
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.ranges import ANY_GRADE, InputGrades, UncertaintyRanges, load_uncertainty_ranges
from fleet_planner.schemas.scenario import DISCOUNT_RATE_MAX

NAME_HELP = "fuel.<fuel id> (or fuel_price.<fuel id>), capex.<technology id> or discount_rate"
TABLE_KIND = {"fuel": "fuel_price", "capex": "capex"}
"""An input's kind here -> its kind in uncertainty_ranges.csv."""
OWN_KIND = {table: here for here, table in TABLE_KIND.items()}


@dataclass(frozen=True)
class UncertainInput:
    name: str
    """fuel.<id>, capex.<id> or discount_rate."""
    kind: str
    """fuel, capex or discount_rate."""
    item: str
    key: str
    """The scenario's dotted key the input is changed through."""
    base: float
    """The scenario's value of that key (a multiplier, or the rate)."""
    low: float
    high: float
    grade: str | None
    basis: str
    """Where the range comes from: "grade X", "any grade" (the discount rate) or "given with --range"."""

    def setting(self, end: str) -> float:
        """The key's value at the low or high end: the rate itself, or the multiplier x the scenario's."""
        bound = self.low if end == "low" else self.high
        return bound if self.kind == "discount_rate" else self.base * bound


def parse_ranges(texts: list[str]) -> dict[str, tuple[float, float]]:
    """--range NAME=LOW:HIGH values -> {name: (low, high)}; a bad one is a ScenarioError."""
    ranges: dict[str, tuple[float, float]] = {}
    for text in texts:
        name, _, bounds = text.partition("=")
        low_text, _, high_text = bounds.partition(":")
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            raise ScenarioError(f"--range {text!r}: expected NAME=LOW:HIGH with NAME {NAME_HELP}, e.g. --range "
                                "fuel.diesel=0.8:1.3 (multipliers) or --range discount_rate=0.03:0.1.") from None
        if not (low == low and high == high) or low < 0:
            raise ScenarioError(f"--range {text!r}: LOW and HIGH must be numbers >= 0.")
        if low > high:
            raise ScenarioError(f"--range {text!r}: LOW {low:g} is above HIGH {high:g}; swap them.")
        if low == high:
            raise ScenarioError(f"--range {text!r}: the range is empty (LOW = HIGH); give LOW below HIGH.")
        ranges[_own_name(name.strip())] = (low, high)
    return ranges


def _own_name(name: str) -> str:
    """An input named as the uncertainty command's tables name it (fuel_price.diesel) -> fuel.diesel."""
    kind, dot, rest = name.partition(".")
    own = OWN_KIND.get(kind)
    return f"{own}.{rest}" if dot and own is not None else name


def uncertain_inputs(run: ModelRun, user_ranges: dict[str, tuple[float, float]] | None = None
                     ) -> tuple[list[UncertainInput], list[str]]:
    """Every uncertain input of the run's scenario with its range; and notes on inputs left out."""
    user_ranges = dict(user_ranges or {})
    scenario, catalogue = run.scenario, run.catalogue
    table = load_uncertainty_ranges(catalogue.vehicles_dir)
    grades = InputGrades(catalogue, scenario.region, frozenset(scenario.demand))
    fuels = sorted({f for (_s, _t, _y, f) in run.model.fuel})
    technologies = sorted({t for (_s, t, _y) in run.model.purchase} | {k[2] for k in run.model.conversion})
    inputs = [_ranged("fuel", f, f"fuels.price_multipliers.{f}", scenario.fuels.price_multipliers.get(f, 1.0),
                      grades, table, user_ranges) for f in fuels]
    inputs += [_ranged("capex", t, f"capex_multipliers.{t}", scenario.capex_multipliers.get(t, 1.0), grades, table,
                       user_ranges) for t in technologies]
    notes: list[str] = []
    rate = scenario.discount_rate
    if "discount_rate" in user_ranges:
        low, high = user_ranges.pop("discount_rate")
        if high > DISCOUNT_RATE_MAX:
            raise ScenarioError(f"--range discount_rate={low:g}:{high:g}: the rate may be at most "
                                f"{DISCOUNT_RATE_MAX:g}.")
        inputs.append(UncertainInput("discount_rate", "discount_rate", "", "discount_rate", rate, low, high, None,
                                     "given with --range"))
    elif rate > 0:
        row = table.of("discount_rate", ANY_GRADE)
        inputs.append(UncertainInput("discount_rate", "discount_rate", "", "discount_rate", rate, rate * row.low,
                                     min(DISCOUNT_RATE_MAX, rate * row.high), ANY_GRADE, "any grade"))
    else:
        notes.append("sensitivity.note_zero_rate")
    unknown = sorted(set(user_ranges) - {i.name for i in inputs})
    if unknown:
        known = ", ".join(i.name for i in inputs)
        raise ScenarioError(f"--range {unknown[0]}: not an input of this scenario; its inputs are {known}.")
    return inputs, notes


def _ranged(kind: str, item: str, key: str, base: float, grades: InputGrades, table: UncertaintyRanges,
            user: dict) -> UncertainInput:
    name, grade = f"{kind}.{item}", grades.of(TABLE_KIND[kind], item)
    if name in user:
        low, high = user.pop(name)
        return UncertainInput(name, kind, item, key, base, low, high, grade, "given with --range")
    row = table.of(TABLE_KIND[kind], grade)
    return UncertainInput(name, kind, item, key, base, row.low, row.high, grade, f"grade {grade}")
