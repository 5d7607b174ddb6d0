"""Draw the samples of a Monte Carlo sweep: seeded, one random stream per sample.

Sample i draws from numpy's generator seeded with SeedSequence(seed, spawn_key=(i,)), the i-th
child numpy's `SeedSequence(seed).spawn` would give: each sample's values depend on the master
seed and its index only, never on which worker draws it or in which order, so a sweep is
identical on any backend and worker count, and a resumed sweep draws what the interrupted one
would have.

Fuel prices are correlated through one common factor (a Gaussian copula): each fuel's standard
normal is z_f = sqrt(rho) z_0 + sqrt(1 - rho) e_f, so any two fuels correlate with rho; the
other inputs are independent. Each z is turned into a multiplier by its distribution's quantile
function: uniform and triangular on [low, high] (triangular with its mode at 1), lognormal with
low and high as the 5th and 95th percentiles.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from fleet_planner.analysis.uncertain_inputs import UncertainInput
from fleet_planner.schemas.scenario import Scenario

Z_95 = 1.6448536269514722
"""Standard normal 95th percentile: a lognormal's low and high are its P5 and P95."""


def sample_generator(seed: int, index: int) -> np.random.Generator:
    """The random stream of sample `index` of a sweep with master `seed`."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


def draw_sample(inputs: list[UncertainInput], correlation: float, seed: int, index: int) -> dict[str, float]:
    """{input key: multiplier} of one sample."""
    rng = sample_generator(seed, index)
    common = float(rng.standard_normal())
    own = rng.standard_normal(len(inputs))
    values = {}
    for item, e in zip(inputs, own, strict=True):
        z = float(e)
        if item.kind == "fuel_price":
            z = math.sqrt(correlation) * common + math.sqrt(1.0 - correlation) * z
        values[item.key] = quantile(item, z)
    return values


def draw_samples(inputs: list[UncertainInput], correlation: float, seed: int, samples: int) -> pd.DataFrame:
    """One row per sample: `sample` and one column per input key."""
    return pd.DataFrame([{"sample": i, **draw_sample(inputs, correlation, seed, i)} for i in range(samples)])


def quantile(item: UncertainInput, z: float) -> float:
    """The multiplier at standard-normal value z (its probability Phi(z)) of the input's distribution."""
    low, high = item.low, item.high
    if item.distribution == "lognormal":
        mu, sigma = (math.log(low) + math.log(high)) / 2, (math.log(high) - math.log(low)) / (2 * Z_95)
        return math.exp(mu + sigma * z)
    u = 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
    if item.distribution == "uniform" or high == low:
        return low + u * (high - low)
    mode = min(max(1.0, low), high)
    split = (mode - low) / (high - low)
    if u < split:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1.0 - u) * (high - low) * (high - mode))


def apply_sample(scenario: Scenario, inputs: list[UncertainInput], values: dict[str, float]) -> Scenario:
    """The scenario with one sample's multipliers: fuel prices and capex multiply the scenario's own
    multipliers (1 where it has none), the discount rate multiplies the scenario's rate."""
    fuels = dict(scenario.fuels.price_multipliers)
    capex = dict(scenario.capex_multipliers)
    rate = scenario.discount_rate
    for item in inputs:
        value = values[item.key]
        if item.kind == "fuel_price":
            fuels[item.input_id] = fuels.get(item.input_id, 1.0) * value
        elif item.kind == "capex":
            capex[item.input_id] = capex.get(item.input_id, 1.0) * value
        else:
            rate = scenario.discount_rate * value
    return scenario.model_copy(update={"fuels": scenario.fuels.model_copy(update={"price_multipliers": fuels}),
                                       "capex_multipliers": capex, "discount_rate": rate})
