"""Which inputs a Monte Carlo sweep samples, over what range and with which distribution.

The interface is a list of `UncertainInput` (input id, kind, low multiplier, high multiplier,
distribution). By default it is built from the scenario and its catalogue: one fuel-price
multiplier per fuel the scenario's segments can burn, one capex multiplier per technology they
can buy or convert to, and one discount-rate multiplier; each range is the row of its kind and
grade in the catalogue's vehicles/uncertainty_ranges.csv (loading/ranges.py, the table the
sensitivity analysis reads too), the grade being the worst among the catalogue rows it multiplies.
A user's own list is read from a CSV file (`--ranges FILE`, columns input_id, kind, low_multiplier,
high_multiplier, distribution). Fuel prices are correlated through one common factor
(`uncertain_correlations.csv`, its source in the shipped vehicles/sources.csv).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import CatalogueError, ScenarioError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.ranges import (
    DISTRIBUTIONS,
    KINDS,
    SOURCES_FILE,
    InputGrades,
    UncertaintyRanges,
    cited_sources,
    load_uncertainty_ranges,
    source_rows,
)
from fleet_planner.loading.shipped import shipped_catalogue
from fleet_planner.schemas.scenario import DISCOUNT_RATE_MAX, Scenario

CORRELATIONS_FILE = Path(__file__).parent / "uncertain_correlations.csv"
USER_COLUMNS: tuple[str, ...] = ("input_id", "kind", "low_multiplier", "high_multiplier", "distribution")


@dataclass(frozen=True)
class UncertainInput:
    """One sampled input: a multiplier on a fuel's price, a technology's capex or the discount rate.

    low, high: the multiplier's range; uniform and triangular draw within it (triangular with its
    mode at 1, the catalogue value, clipped into the range); lognormal takes them as the 5th and
    95th percentiles. [-]"""

    input_id: str
    kind: str
    low: float
    high: float
    distribution: str
    grade: str = ""

    @property
    def key(self) -> str:
        """Column name of the input in the samples table: fuel_price.diesel, capex.bev, discount_rate."""
        return self.kind if self.kind == "discount_rate" else f"{self.kind}.{self.input_id}"


def fuel_price_correlation() -> float:
    """Correlation between any two fuels' price multipliers (through one common factor). [-]"""
    table = pd.read_csv(CORRELATIONS_FILE)
    return float(table.set_index("group").loc["fuel_price", "correlation"])


def range_sources(ranges: UncertaintyRanges | None) -> pd.DataFrame:
    """The sources of the ranges sampled (None: the user's own list, which cites none) and of the
    fuel-price correlation (in the shipped vehicles/sources.csv)."""
    problems: list[str] = []
    shipped = source_rows(shipped_catalogue("vehicles") / SOURCES_FILE, problems)
    if problems:
        raise CatalogueError(problems, during="reading the sources of the uncertainty ranges")
    ids = list(dict.fromkeys(str(i).strip() for cell in pd.read_csv(CORRELATIONS_FILE)["source"]
                             for i in str(cell).split(";")))
    correlation = cited_sources(shipped, ids)
    if ranges is None:
        return correlation
    return pd.concat([ranges.sources, correlation], ignore_index=True).drop_duplicates("source_id", ignore_index=True)


def default_inputs(scenario: Scenario, catalogue: Catalogue,
                   ranges: UncertaintyRanges | None = None) -> list[UncertainInput]:
    """The inputs to sample for a scenario, ranged by the grade of the catalogue rows they multiply
    (ranges: the catalogue's table, read here when not given). The discount rate's high end is held
    at the largest rate a scenario allows, as in the sensitivity analysis."""
    ranges = load_uncertainty_ranges(catalogue.vehicles_dir) if ranges is None else ranges
    grades = InputGrades(catalogue, scenario.region, frozenset(scenario.demand))
    items = [*(("fuel_price", f) for f in sorted(_fuels(scenario, catalogue))),
             *(("capex", t) for t in sorted(_technologies(scenario, catalogue))),
             ("discount_rate", "discount_rate")]
    inputs = []
    for kind, item in items:
        grade = grades.of(kind, item)
        row = ranges.of(kind, grade)
        high = row.high
        if kind == "discount_rate" and scenario.discount_rate > 0:
            high = max(row.low, min(high, DISCOUNT_RATE_MAX / scenario.discount_rate))
        inputs.append(UncertainInput(item, kind, row.low, high, row.distribution, grade))
    return inputs


def _fuels(scenario: Scenario, catalogue: Catalogue) -> set[str]:
    """The fuels the scenario's segments can burn that have a price in its region."""
    technologies = set(catalogue.technologies[catalogue.technologies["segment"].isin(scenario.demand)]["technology"])
    options = catalogue.technology_fuels
    fuels = set(options[options["technology"].isin(technologies)]["fuel"])
    if scenario.fuels.allowed is not None:
        fuels &= set(scenario.fuels.allowed)
    prices = catalogue.prices
    return fuels & set(prices.loc[prices["region"] == scenario.region, "fuel"])


def _technologies(scenario: Scenario, catalogue: Catalogue) -> set[str]:
    """The technologies the scenario's segments can buy (a price row) or convert to."""
    years = catalogue.technology_years
    conversions = catalogue.conversions
    return (set(years.loc[years["segment"].isin(scenario.demand), "technology"])
            | set(conversions.loc[conversions["segment"].isin(scenario.demand), "to_technology"]))


def read_inputs_file(path: Path) -> list[UncertainInput]:
    """A user's list of inputs to sample (CSV: input_id, kind, low_multiplier, high_multiplier,
    distribution); every problem is listed with its line."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not a readable CSV file ({exc}); give columns {', '.join(USER_COLUMNS)}.") \
            from None
    missing = [c for c in USER_COLUMNS if c not in table.columns]
    if missing:
        raise ScenarioError(f"{path}: missing column(s) {missing}; the file needs {', '.join(USER_COLUMNS)}.")
    problems, inputs = [], []
    for line, row in enumerate(table.to_dict("records"), start=2):
        low, high = _number(row["low_multiplier"]), _number(row["high_multiplier"])
        if low is None or high is None:
            problems.append(f"{path} line {line}: low_multiplier and high_multiplier must be numbers, found "
                            f"{row['low_multiplier']!r} and {row['high_multiplier']!r}.")
            continue
        inputs.append(UncertainInput(row["input_id"].strip(), row["kind"].strip(), low, high,
                                     row["distribution"].strip()))
        problems += [f"{path} line {line}: {p}" for p in input_problems(inputs[-1])]
    if not inputs and not problems:
        problems.append(f"{path}: no rows; give one row per input to sample.")
    if problems:
        raise ScenarioError(problems, during=f"in the ranges file {path}")
    return inputs


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def input_problems(item: UncertainInput) -> list[str]:
    """What is wrong with one input's range, each with its fix."""
    problems = []
    if item.kind not in KINDS:
        problems.append(f"kind {item.kind!r} is not one of {', '.join(KINDS)}.")
    if item.distribution not in DISTRIBUTIONS:
        problems.append(f"distribution {item.distribution!r} is not one of {', '.join(DISTRIBUTIONS)}.")
    if item.low < 0 or item.high < 0:
        problems.append(f"{item.key}: multipliers must not be negative (found {item.low:g} to {item.high:g}).")
    if item.low > item.high:
        problems.append(f"{item.key}: low_multiplier {item.low:g} is above high_multiplier {item.high:g}; "
                        "swap them.")
    if item.distribution == "lognormal" and item.low <= 0:
        problems.append(f"{item.key}: a lognormal range needs low_multiplier above 0 (it is the 5th percentile).")
    if not item.input_id:
        problems.append("input_id is empty: name the fuel, the technology, or write discount_rate.")
    return problems


def check_inputs(inputs: list[UncertainInput], scenario: Scenario, catalogue: Catalogue, origin: str) -> None:
    """Every input names a fuel or technology of the catalogue, at most once; ranges are sound."""
    problems = [f"{origin}: {p}" for item in inputs for p in input_problems(item)]
    fuels, types = set(catalogue.fuels["fuel"]), set(catalogue.technology_types["technology"])
    for item in inputs:
        if item.kind == "fuel_price" and item.input_id not in fuels:
            problems.append(f"{origin}: fuel_price {item.input_id!r}: unknown fuel; known {sorted(fuels)}.")
        if item.kind == "capex" and item.input_id not in types:
            problems.append(f"{origin}: capex {item.input_id!r}: unknown technology; known {sorted(types)}.")
        if item.kind == "discount_rate" and item.high * scenario.discount_rate > DISCOUNT_RATE_MAX:
            problems.append(f"{origin}: discount_rate: {item.high:g} x {scenario.discount_rate:g} is above "
                            f"{DISCOUNT_RATE_MAX:g}, the "
                            "highest rate a scenario allows; lower high_multiplier.")
    keys = [item.key for item in inputs]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        problems.append(f"{origin}: {twice} listed more than once; keep one row each.")
    if problems:
        raise ScenarioError(problems, during="in the uncertain inputs")


def inputs_table(inputs: list[UncertainInput], correlation: float) -> pd.DataFrame:
    """The sampled inputs as a table for the result folder and the report."""
    return pd.DataFrame([{"input": item.key, "kind": item.kind, "input_id": item.input_id, "grade": item.grade,
                          "low_multiplier": item.low, "high_multiplier": item.high,
                          "distribution": item.distribution,
                          "correlation": correlation if item.kind == "fuel_price" else 0.0} for item in inputs])
