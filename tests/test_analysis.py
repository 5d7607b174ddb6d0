"""Frontier, sensitivity and near-optimal alternatives on the tiny case, with answers by hand.

Tiny (tests/data/tiny): vans of 100 km a day on 100 days (10,000 km a year each); diesel 10,000 USD
and 10 MJ/km, BEV 20,000 USD and 3.6 MJ/km; every fuel 20 USD/GJ x its multiplier; residual value
90 % after one year (linear to 0 at 10 years); no O&M; discount rate 0; diesel 100 kgCO2e/GJ TTW.

One year, no fleet, 10 vans needed ("ONE_YEAR"): per van-year
  diesel = 10,000 - 9,000 + 100 GJ x 20 x m_diesel = 1,000 + 2,000 m_diesel USD and 10 tCO2e,
  BEV    = 2,000 c_bev (capex net of the value left) + 36 GJ x 20 = 2,000 c_bev + 720 USD and 0 tCO2e.
"""

from __future__ import annotations

import pandas as pd
import pytest

from fleet_planner.analysis.runs import adoption

ONE_YEAR = ("fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[diesel, bev]")


def test_frontier_of_diesel_against_bev_by_hand(tiny):
    """Cheap diesel (m = 0.1): a diesel van costs 1,200 a year and emits 10 t, a BEV 2,720 and 0 t.
    Least cost: 10 diesel = 12,000 USD, 100 t. Lowest emissions: 10 BEV = 27,200 USD, 0 t. With 3
    points the middle limit is 50 t: 5 diesel + 5 BEV = 19,600 USD. Each tonne avoided costs
    (2,720 - 1,200) / 10 = 152 USD: the marginal abatement cost between both pairs of points."""
    from fleet_planner.analysis.frontier import compute_frontier

    frontier = compute_frontier(tiny(*ONE_YEAR, "fuels.price_multipliers.diesel=0.1"), 3)
    table = frontier.table
    assert table["emissions_tco2e"].tolist() == pytest.approx([100, 50, 0])
    assert table["npv_cost"].tolist() == pytest.approx([12_000, 19_600, 27_200])
    assert table["marginal_abatement_cost_per_tco2e"].iloc[1:].tolist() == pytest.approx([152, 152])
    assert table["purchases_bev_count"].tolist() == [0, 5, 10]
    assert table["entering"].tolist() == ["", "bev", ""]
    assert frontier.own_plan is None  # no cap in the scenario: nothing to mark
    decisions = frontier.decisions
    assert sorted(decisions["point"].unique()) == [1, 2, 3]


def test_frontier_cost_never_falls_as_the_limit_tightens(tiny):
    """Property: on the 3-year case with its fleet (sales, CNG, DDF possible), the least cost for a
    tighter limit is never below that for a looser one, and each point meets its limit."""
    from fleet_planner.analysis.frontier import compute_frontier

    capped = tiny("fuels.price_multipliers.diesel=0.2", "policy.emission_cap={tco2e: {2026: 60}}")
    frontier = compute_frontier(capped, 5)
    table = frontier.table
    gap = 1e-3 * table["npv_cost"].abs().max()
    assert all(b >= a - gap for a, b in zip(table["npv_cost"], table["npv_cost"].iloc[1:], strict=False))
    limits = table["emission_limit_tco2e"].iloc[1:]
    assert (table["emissions_tco2e"].iloc[1:] <= limits + 1e-6).all()
    assert table["emissions_tco2e"].is_monotonic_decreasing
    assert frontier.target_tco2e is None  # 2025 has no cap: no total target line
    assert frontier.own_plan is not None and frontier.notes == ["frontier.note_partial_cap"]


def test_frontier_is_the_same_on_two_processes(tiny):
    """The limited points run in fixed blocks (7 points: 5 + 2), each block from the lowest-emission
    plan: solved on two worker processes, the frontier (every point's figures and decisions) equals
    the one solved here, one point after the other."""
    import pandas as pd

    from fleet_planner.analysis.frontier import compute_frontier

    capped = tiny("fuels.price_multipliers.diesel=0.2")
    said: list[str] = []
    here, there = compute_frontier(capped, 8), compute_frontier(capped, 8, workers=2, progress=said.append)
    assert len(here.points) == 8
    pd.testing.assert_frame_equal(here.table, there.table)
    pd.testing.assert_frame_equal(here.decisions, there.decisions)
    assert sum("limited points done" in m for m in said) == 7


def test_break_even_prices_by_hand(tiny):
    """Diesel at m = 0.5: diesel 2,000 a van-year, BEV 2,720 -> all diesel. BEV wins when
    1,000 + 2,000 m_diesel > 2,720, m_diesel > 0.86 (17.2 USD/GJ), or when 2,000 c_bev + 720 < 2,000,
    c_bev < 0.64 (12,800 USD a BEV); diesel stops when 1,000 c_diesel + 1,000 > 2,720, c_diesel > 1.72."""
    from fleet_planner.analysis.sensitivity import compute_sensitivity

    result = compute_sensitivity(tiny(*ONE_YEAR, "fuels.price_multipliers.diesel=0.5"))
    evens = result.break_evens.set_index(["technology", "input"])
    bev_diesel = evens.loc[("bev", "fuel.diesel")]
    assert bev_diesel["found"] and bev_diesel["direction"] == "above"
    assert bev_diesel["bracket_low"] <= 0.86 <= bev_diesel["bracket_high"]
    assert bev_diesel["break_even_price"] == pytest.approx(17.2, abs=0.2)
    assert evens.loc[("bev", "capex.bev"), "bracket_low"] <= 0.64 <= evens.loc[("bev", "capex.bev"), "bracket_high"]
    assert evens.loc[("diesel", "capex.diesel"), "bracket_low"] <= 1.72 <= \
        evens.loc[("diesel", "capex.diesel"), "bracket_high"]
    # tornado: diesel at 0.25-1.0 x 0.5 (a grade-D fuel price, 0.5-2.0 in vehicles/uncertainty_ranges.csv).
    # Low: still 10 diesel vans, 10 x 100 GJ x 20 x 0.25 = 5,000 less. High: a diesel van-year costs
    # 1,000 + 2,000 = 3,000 > 2,720, so 10 BEV: 27,200 - 20,000 = 7,200 more.
    npv = result.tornado[(result.tornado["quantity"] == "npv_cost") & (result.tornado["input"] == "fuel.diesel")]
    assert npv.set_index("end")["change"].to_dict() == pytest.approx({"low": -5_000, "high": 7_200})
    assert result.notes == ["sensitivity.note_zero_rate"]


def test_sensitivity_is_the_same_on_two_processes(tiny):
    """Every tornado end and break-even search starts from the scenario's optimum and nothing else:
    on two worker processes the tables equal those solved here, row for row."""
    import pandas as pd

    from fleet_planner.analysis.sensitivity import compute_sensitivity

    scenario = tiny(*ONE_YEAR, "fuels.price_multipliers.diesel=0.5")
    said: list[str] = []
    here, there = compute_sensitivity(scenario), compute_sensitivity(scenario, workers=2, progress=said.append)
    assert not here.tornado.empty and len(here.break_evens) >= 3
    pd.testing.assert_frame_equal(here.tornado, there.tornado)
    pd.testing.assert_frame_equal(here.break_evens, there.break_evens)
    total = here.tornado[["input", "end"]].drop_duplicates().shape[0] + len(here.break_evens)
    assert sum(" done)" in m for m in said) == total


def test_capex_multiplier_reaches_model_and_evaluator(plan_tiny):
    """c_bev = 0.2: 2,000 x 0.2 + 720 = 1,120 < 1,200 diesel (m = 0.1) -> 10 BEV, 11,200 USD (verified
    by the evaluator inside optimise)."""
    result = plan_tiny(*ONE_YEAR, "fuels.price_multipliers.diesel=0.1", "capex_multipliers={bev: 0.2}")
    assert adoption(result.decisions) == {"bev": 10}
    assert result.evaluation.npv_cost == pytest.approx(11_200)


def test_alternatives_stay_within_the_slack_and_differ(tiny):
    from fleet_planner.analysis.alternatives import compute_alternatives

    slack = 0.1
    found = compute_alternatives(tiny(), slack)
    table = found.table.set_index("plan")
    optimum = table.loc["optimum", "npv_cost"]
    assert optimum == pytest.approx(31_600)
    assert set(found.plans) >= {"most_bev", "least_bev", "earliest_zero_emission", "latest_zero_emission"}
    assert (table["npv_cost"] <= optimum + slack * abs(optimum) + 1e-6).all()
    assert (table["npv_cost"] >= optimum - 1e-6).all()
    assert not table.drop(index="optimum")["same_purchases_as_optimum"].all()
    assert table.loc["least_bev", "emissions_tco2e"] > table.loc["optimum", "emissions_tco2e"]
    alternatives = table.drop(index="optimum")  # vehicle-years are whole: a gap below 1 proves the count
    assert (alternatives["vehicle_years_gap"] < 1).all() and alternatives["mip_gap"].isna().all()
    assert table.loc["optimum", "mip_gap"] <= 1e-3 and pd.isna(table.loc["optimum", "vehicle_years_gap"])


def test_alternatives_are_the_same_on_two_processes(tiny):
    """Each alternative starts from the optimum and depends on nothing else: on two worker processes
    the plans and the table equal those solved here."""
    import pandas as pd

    from fleet_planner.analysis.alternatives import compute_alternatives

    said: list[str] = []
    here, there = compute_alternatives(tiny(), 0.1), compute_alternatives(tiny(), 0.1, workers=2, progress=said.append)
    assert len(here.plans) >= 4 and list(here.plans) == list(there.plans)
    pd.testing.assert_frame_equal(here.table, there.table)
    assert sum(" done)" in m for m in said) == len(here.plans)


def test_zero_slack_gives_the_optimum_back(tiny):
    from fleet_planner.analysis.alternatives import compute_alternatives

    found = compute_alternatives(tiny(*ONE_YEAR, "fuels.price_multipliers.diesel=0.1"), 0.0)
    assert all(plan.npv_cost == pytest.approx(12_000) for plan in found.plans.values())


def test_fuel_price_solved_in_place_matches_a_rebuilt_model(tiny):
    """A fuel price re-solved by changing only the objective gives the plan and NPV of a model built
    again from the changed scenario (and passes the evaluator's check under that scenario)."""
    from fleet_planner.analysis.runs import least_cost, prepare_run
    from fleet_planner.analysis.sensitivity import fuel_price_costs, solve_variant

    scenario = tiny("fuels.price_multipliers.diesel=0.2")
    base = prepare_run(scenario)
    least_cost(base)
    change = {"fuels.price_multipliers.diesel": 0.9}
    assert fuel_price_costs(base, change) is not None
    _run, in_place = solve_variant(scenario, change, "in place", base=base)
    _run, rebuilt = solve_variant(scenario, change, "rebuilt")
    assert in_place.npv_cost == pytest.approx(rebuilt.npv_cost, rel=1e-9)
    assert adoption(in_place.decisions) == adoption(rebuilt.decisions)
    assert in_place.npv_cost != pytest.approx(least_cost(base).npv_cost)  # the price did change the cost
    assert fuel_price_costs(base, {"capex_multipliers.bev": 0.5}) is None
