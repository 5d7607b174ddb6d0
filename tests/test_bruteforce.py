"""The MILP optimum equals a brute-force enumeration of every plan on small instances.

The cost function below is a third, independent implementation written from the tiny data's
definition (tests/data/tiny): it shares no code with the model builder or the evaluator.
Instance: 1 existing diesel van (2020), years 2025-2026, diesel or BEV purchases of 0-2 per
technology and year, any early sale, activity dispatched to the cheapest vehicles per km.
"""

from __future__ import annotations

import itertools
import random

import pytest

from fleet_planner.pipeline import optimise

PRICE = {"diesel": 10_000.0, "bev": 20_000.0}
GJ_PER_KM = {"diesel": 0.010, "bev": 0.0036}
FUEL = {"diesel": "diesel", "bev": "electricity_grid"}
BASE_PRICE_PER_GJ = 20.0
KM_PER_VEHICLE = 10_000.0
YEARS = (2025, 2026)


def value_share(age: int) -> float:
    return max(0.0, 1.0 - age / 10.0)  # residual_values.csv: 100 % new, 0 % at 10 years


def brute_force_npv(demand: dict[int, float], multipliers: dict[str, float], rate: float) -> float:
    d = {y: (1 + rate) ** -(y - 2025) for y in (*YEARS, 2027)}
    running = {y: (1 + rate) ** -(y - 2025 + 0.5) for y in YEARS}  # fuel is paid mid-year (docs/model.md)
    per_km = {t: GJ_PER_KM[t] * BASE_PRICE_PER_GJ * multipliers.get(FUEL[t], 1.0) for t in PRICE}
    best = float("inf")
    counts = range(3)
    for p_d25, p_b25, p_d26, p_b26 in itertools.product(counts, repeat=4):
        for sell_existing in (None, 2025, 2026):
            for sell_d25, sell_b25 in itertools.product(range(p_d25 + 1), range(p_b25 + 1)):
                cost = 0.0
                # cohorts: (technology, vintage) -> vehicles in service per year
                stock = {("diesel", 2020): {2025: 0 if sell_existing == 2025 else 1,
                                            2026: 0 if sell_existing in (2025, 2026) else 1},
                         ("diesel", 2025): {2025: p_d25, 2026: p_d25 - sell_d25},
                         ("bev", 2025): {2025: p_b25, 2026: p_b25 - sell_b25},
                         ("diesel", 2026): {2025: 0, 2026: p_d26},
                         ("bev", 2026): {2025: 0, 2026: p_b26}}
                cost += d[2025] * (p_d25 * PRICE["diesel"] + p_b25 * PRICE["bev"])
                cost += d[2026] * (p_d26 * PRICE["diesel"] + p_b26 * PRICE["bev"])
                if sell_existing is not None:
                    cost -= d[sell_existing] * value_share(sell_existing - 2020) * PRICE["diesel"]
                cost -= d[2026] * value_share(1) * (sell_d25 * PRICE["diesel"] + sell_b25 * PRICE["bev"])
                feasible = True
                for y in YEARS:
                    vehicles = sorted(((per_km[t], n) for (t, _v), by_year in stock.items()
                                       if (n := by_year[y]) > 0), key=lambda x: x[0])
                    left = demand[y]
                    for cost_per_km, n in vehicles:
                        km = min(left, n * KM_PER_VEHICLE)
                        cost += running[y] * km * cost_per_km
                        left -= km
                    if left > 1e-9:
                        feasible = False
                        break
                if not feasible:
                    continue
                for (t, v), by_year in stock.items():
                    cost -= d[2027] * by_year[2026] * value_share(2027 - v) * PRICE[t]
                best = min(best, cost)
    return best


INSTANCES = [
    (
        {2025: random.Random(seed).choice([5_000, 10_000, 15_000, 20_000]),
         2026: random.Random(seed + 100).choice([5_000, 10_000, 15_000, 20_000])},
        {"diesel": random.Random(seed + 200).uniform(0.2, 2.0),
         "electricity_grid": random.Random(seed + 300).uniform(0.3, 4.0)},
        random.Random(seed + 400).choice([0.0, 0.05]),
    )
    for seed in range(8)
]


@pytest.mark.parametrize(("demand", "multipliers", "rate"), INSTANCES)
def test_milp_optimum_equals_brute_force(tiny, demand, multipliers, rate):
    scenario = tiny(
        "horizon_last_year=2026", "fleet=[{segment: van, technology: diesel, model_year: 2020, count: 1}]",
        f"demand.van.annual_activity_au={{2025: {demand[2025]}, 2026: {demand[2026]}}}",
        "demand.van.technologies=[diesel, bev]", "policy.allow_conversions=false", f"discount_rate={rate}",
        f"fuels.price_multipliers={{diesel: {multipliers['diesel']}, electricity_grid: {multipliers['electricity_grid']}}}",
        "solver.mip_gap=0",
    )
    result = optimise(scenario)
    expected = brute_force_npv(demand, multipliers, rate)
    assert result.evaluation.npv_cost == pytest.approx(expected, rel=1e-7, abs=1e-6)
