"""Property-based tests on random small scenarios (tiny catalogue, exact solves).

Every plan passes the evaluator (optimise raises otherwise); tightening a cap never lowers the
cost; adding a technology never raises it; adding any subsidy rule (0 % included) never raises
it; a higher subsidy never lowers that technology's adoption; removing the budget never raises
the cost.
"""

from __future__ import annotations

import math

import pytest
from conftest import TINY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fleet_planner.exceptions import InfeasibleError
from fleet_planner.loading.scenario import load_scenario
from fleet_planner.pipeline import optimise

EXAMPLES = settings(max_examples=8, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

scenarios = st.fixed_dictionaries({
    "last_year": st.integers(2025, 2027),
    "fleet": st.integers(0, 5),
    "demand": st.integers(1, 8).map(lambda n: n * 10_000),
    "growth": st.sampled_from([0.0, 0.2]),
    "diesel": st.sampled_from([0.1, 0.5, 1.0]),
    "electricity": st.sampled_from([0.5, 1.0, 3.0]),
    "cng": st.sampled_from([0.3, 1.0]),
    "rate": st.sampled_from([0.0, 0.06]),
})


def overrides(p: dict) -> list[str]:
    fleet = "[]" if p["fleet"] == 0 else f"[{{segment: van, technology: diesel, model_year: 2019, count: {p['fleet']}}}]"
    return [
        f"horizon_last_year={p['last_year']}", f"fleet={fleet}",
        f"demand.van.annual_activity_au={{base: {p['demand']}, base_year: 2025, growth_rate: {p['growth']}}}",
        f"fuels.price_multipliers={{diesel: {p['diesel']}, electricity_grid: {p['electricity']}, cng: {p['cng']}}}",
        f"discount_rate={p['rate']}", "solver.mip_gap=0",
    ]


def npv(*extra: str) -> float:
    """NPV of the optimal plan, or +inf if the rules cannot be met."""
    try:
        return optimise(load_scenario(TINY, overrides=list(extra))).evaluation.npv_cost
    except InfeasibleError:
        return math.inf


def leq(a: float, b: float) -> bool:
    return a <= b + 1e-6 * max(1.0, abs(b)) if math.isfinite(b) else True


@pytest.mark.slow
@EXAMPLES
@given(p=scenarios, share=st.sampled_from([0.9, 0.6, 0.3]))
def test_tightening_a_cap_never_lowers_the_cost(p, share):
    base = overrides(p)
    loose = npv(*base, f"policy.emission_cap={{share_of_base: {{2025: {share}}}, base_year: 2025}}")
    tight = npv(*base, f"policy.emission_cap={{share_of_base: {{2025: {share - 0.2}}}, base_year: 2025}}")
    assert leq(loose, tight)


@pytest.mark.slow
@EXAMPLES
@given(p=scenarios)
def test_adding_a_technology_never_raises_the_cost(p):
    base = overrides(p)
    fewer = npv(*base, "demand.van.technologies=[diesel, ddf]")
    more = npv(*base, "demand.van.technologies=[diesel, ddf, bev]")
    assert leq(more, fewer)


@pytest.mark.slow
@EXAMPLES
@given(p=scenarios, low=st.sampled_from([0.1, 0.3]), step=st.sampled_from([0.2, 0.5]))
def test_higher_subsidy_never_lowers_adoption(p, low, step):
    base = overrides(p)

    def adoption(share: float) -> float:
        rule = (f"subsidies=[{{name: grant, technologies: [bev], first_year: 2025, last_year: 2025, "
                f"capex_share: {share}}}]")
        result = optimise(load_scenario(TINY, overrides=[*base, rule]))
        bought = result.tables["purchases"]
        return float(bought.loc[(bought["technology"] == "bev") & (bought["year"] == 2025), "purchases_count"].sum())

    assert adoption(low + step) >= adoption(low)


@pytest.mark.slow
@EXAMPLES
@given(p=scenarios, budget=st.sampled_from([20_000, 50_000, 100_000]))
def test_removing_the_budget_never_raises_the_cost(p, budget):
    base = overrides(p)
    limited = npv(*base, f"policy.capex_budget={budget}")
    free = npv(*base)
    assert leq(free, limited)


@pytest.mark.slow
@EXAMPLES
@given(p=scenarios, technology=st.sampled_from(["diesel", "bev", "ddf"]), share=st.sampled_from([0.0, 0.3, 0.8]),
       per_unit=st.sampled_from(["", ", max_per_unit: 3000"]), total=st.sampled_from(["", ", max_total: 20000"]))
def test_adding_a_subsidy_never_raises_the_cost(p, technology, share, per_unit, total):
    base = overrides(p)
    rule = (f"subsidies=[{{name: grant, technologies: [{technology}], first_year: 2025, last_year: 2026, "
            f"capex_share: {share}, applies_to: [purchases, conversions]{per_unit}{total}}}]")
    assert leq(npv(*base, rule), npv(*base))
