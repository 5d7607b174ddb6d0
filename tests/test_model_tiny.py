"""Tiny cases with answers computed by hand (tests/data/tiny: round invented numbers).

Van: 10,000 km/yr max per vehicle. Diesel 10,000 USD, 10 MJ/km; BEV 20,000 USD, 3.6 MJ/km;
every fuel 20 USD/GJ unless a price multiplier says otherwise; residual value falls linearly from
100 % new to 0 % at 10 years; no O&M; discount rate 0. Diesel 100 kgCO2e/GJ TTW, CNG 50.
"""

from __future__ import annotations

import pytest

NO_FLEET_ONE_YEAR = ("fleet=[]", "horizon_last_year=2025")


def bought(result, technology: str, year: int | None = None) -> float:
    p = result.tables["purchases"]
    p = p[p["technology"] == technology]
    if year is not None:
        p = p[p["year"] == year]
    return float(p["purchases_count"].sum())


def test_cheapest_option_wins_by_hand(plan_tiny):
    # one year, 10 vans needed. Diesel: 10 x (10,000 - 9,000 residual) + 100,000 km x 0.2 = 30,000.
    # BEV: 10 x (20,000 - 18,000) + 100,000 km x 0.072 = 27,200 -> BEV wins.
    result = plan_tiny(*NO_FLEET_ONE_YEAR)
    assert bought(result, "bev") == 10
    assert bought(result, "diesel") == 0
    assert result.evaluation.npv_cost == pytest.approx(27_200, rel=1e-9)
    assert result.baseline.npv_cost == pytest.approx(30_000, rel=1e-9)


def test_existing_fleet_is_replaced_when_it_pays(plan_tiny):
    # 2025-2027: keep 10 diesel (age 5) -> 60,000 fuel - 20,000 value left = 40,000;
    # sell them (50,000) and buy 10 BEV (200,000; worth 140,000 at the end; fuel 21,600) -> 31,600.
    result = plan_tiny()
    assert result.baseline.npv_cost == pytest.approx(40_000, rel=1e-9)
    assert result.evaluation.npv_cost == pytest.approx(31_600, rel=1e-9)
    assert bought(result, "bev", 2025) == 10
    assert result.tables["sales"]["sales_count"].sum() == 10


def test_cap_forces_a_switch(plan_tiny):
    # cheap diesel (x0.1): diesel 1,200 per van-year vs BEV 2,720 -> all diesel, 100 tCO2e.
    cheap = plan_tiny(*NO_FLEET_ONE_YEAR, "fuels.price_multipliers.diesel=0.1")
    assert bought(cheap, "diesel") == 10
    # a 50 tCO2e cap: each diesel van emits 10 t, so 5 must be BEV: 5 x 1,200 + 5 x 2,720 = 19,600
    capped = plan_tiny(*NO_FLEET_ONE_YEAR, "fuels.price_multipliers.diesel=0.1",
                       "policy.emission_cap={tco2e: {2025: 50}}")
    assert bought(capped, "bev") == 5
    assert bought(capped, "diesel") == 5
    assert capped.evaluation.npv_cost == pytest.approx(19_600, rel=1e-9)
    assert capped.tables["emissions"]["emissions_tco2e"].iloc[0] == pytest.approx(50)


@pytest.mark.parametrize(("gas_multiplier", "converted"), [(0.5, 10), (0.8, 0)])
def test_ddf_pays_only_when_gas_is_cheap_enough(plan_tiny, gas_multiplier, converted):
    # DDF burns 50 % gas: saving per van-year 10,000 km x 0.01 GJ x 0.5 x (20 - gas USD/GJ);
    # over 3 years it beats the 1,000 USD conversion only if gas < 13.3 USD/GJ.
    result = plan_tiny("demand.van.technologies=[diesel, ddf]", "policy.allow_sales=false",
                       f"fuels.price_multipliers.cng={gas_multiplier}")
    assert result.tables["conversions"]["conversions_count"].sum() == converted
    expected_saving = 10 * (3 * 50 * (20 - 20 * gas_multiplier) - 1000) if converted else 0.0
    assert result.baseline.npv_cost - result.evaluation.npv_cost == pytest.approx(expected_saving, abs=1e-6)


def test_subsidy_raises_adoption(plan_tiny):
    base = ("fleet=[]", "horizon_last_year=2025", "fuels.price_multipliers.diesel=0.1")
    assert bought(plan_tiny(*base), "bev") == 0
    # 80 % of BEV capex: net price 4,000, worth 3,600 after a year -> 400 + 720 = 1,120 < 1,200 diesel
    rule = "subsidies=[{name: grant, technologies: [bev], first_year: 2025, last_year: 2025, capex_share: 0.8}]"
    subsidised = plan_tiny(*base, rule)
    assert bought(subsidised, "bev") == 10
    assert subsidised.tables["subsidies"]["subsidy_cost"].sum() == pytest.approx(160_000)
    assert subsidised.evaluation.npv_cost == pytest.approx(11_200, rel=1e-9)


def test_subsidy_total_cap_limits_the_claim(plan_tiny):
    rule = ("subsidies=[{name: grant, technologies: [bev], first_year: 2025, last_year: 2025, capex_share: 0.8, "
            "max_total: 50000}]")
    result = plan_tiny("fleet=[]", "horizon_last_year=2025", rule)
    assert result.tables["subsidies"]["subsidy_cost"].sum() == pytest.approx(50_000)


def test_budget_delays_adoption(plan_tiny):
    free = plan_tiny()
    assert bought(free, "bev", 2025) == 10
    limited = plan_tiny("policy.capex_budget=60000")
    per_year = limited.tables["purchases"].groupby("year")["purchases_count"].sum()
    assert per_year.max() <= 3
    assert limited.evaluation.npv_cost > free.evaluation.npv_cost
    spent = limited.tables["plan_by_year"]["capex_net_cost"]
    assert (spent <= 60_000 + 1e-6).all()


def test_residual_value_removes_last_year_artefact(plan_tiny):
    # demand grows in the last year: without end-of-horizon value the last-year purchase would be
    # the cheapest to buy (diesel); with it, the cheapest to own (BEV), as in the first year.
    result = plan_tiny("demand.van.annual_activity_au={2025: 100000, 2026: 100000, 2027: 150000}")
    assert bought(result, "bev", 2027) == 5
    assert bought(result, "diesel") == 0


def test_late_target_makes_a_gas_bridge_worthwhile_early_target_does_not(plan_tiny):
    common = ("horizon_last_year=2030", "fuels.price_multipliers.cng=0.6", "policy.allow_sales=false")
    late = plan_tiny(*common, "policy.emission_cap={share_of_base: {2026: 0.8, 2030: 0.0}, base_year: 2025}")
    early = plan_tiny(*common, "policy.emission_cap={share_of_base: {2026: 0.0}, base_year: 2025}")
    assert late.tables["conversions"]["conversions_count"].sum() > 0
    assert early.tables["conversions"]["conversions_count"].sum() == 0


def test_gas_end_year_forces_gas_out(plan_tiny):
    result = plan_tiny("horizon_last_year=2030", "fuels.price_multipliers.cng=0.3", "policy.gas_end_year=2028")
    fleet = result.tables["fleet"]
    gas = fleet[fleet["technology"].isin(["ddf", "cng"]) & (fleet["year"] >= 2028)]
    assert gas["stock_count"].sum() == 0


def test_zero_emission_share(plan_tiny):
    result = plan_tiny("fleet=[]", "horizon_last_year=2025", "fuels.price_multipliers.diesel=0.1",
                       "policy.zero_emission_share_min={2025: 0.3}")
    assert bought(result, "bev") == 3


def test_every_plan_matches_the_evaluator(plan_tiny):
    # optimise() raises EvaluationMismatchError otherwise; check the figures it compared too
    result = plan_tiny("discount_rate=0.07", "carbon_price=50")
    assert result.evaluation.violations == []
    objective = result.solve.objective * result.inputs.money_scale
    assert objective == pytest.approx(result.evaluation.npv_cost, rel=1e-6)


@pytest.fixture
def tiny_copy(tmp_path):
    """A writable copy of the tiny case, for tests that change the catalogue."""
    import shutil

    from conftest import TINY

    shutil.copytree(TINY.parent, tmp_path / "tiny")
    return tmp_path / "tiny"


def _edit_csv(path, column, value, row=None):
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame.index if row is None else row, column] = value
    frame.to_csv(path, index=False)


def test_a_vehicle_does_its_duty_not_its_range(tiny_copy):
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    # BEV range 50 km, duties of 40 km a day on 100 operating days: each BEV does 40 x 100 =
    # 4,000 km a year (not its range x days = 5,000): 100,000 km needs 25 BEVs. Duties of 60 km a
    # day are beyond its range: no BEV can take them, so the van must stay diesel.
    techs = tiny_copy / "vehicles" / "technologies.csv"
    import pandas as pd

    frame = pd.read_csv(techs, dtype=str, keep_default_na=False)
    frame.loc[frame["technology"] == "bev", "range_au"] = "50"
    frame.to_csv(techs, index=False)
    scenario = load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev]",
        "demand.van.duty_bands=[{daily_activity_au: 40, share: 1.0}]"])
    result = optimise(scenario)
    assert bought(result, "bev") == 25
    longer = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev, diesel]",
        "demand.van.duty_bands=[{daily_activity_au: 60, share: 1.0}]"]))
    assert bought(longer, "bev") == 0
    assert bought(longer, "diesel") == 17  # 100,000 / (60 x 100) = 16.7 -> 17


def test_vehicles_retiring_in_the_horizon_are_sold_for_their_residual_value(tiny_copy):
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    values = tiny_copy / "vehicles" / "residual_values.csv"
    values.write_text("segment,age_years,residual_share,source_id\nvan,0,1.0,tiny_test\nvan,10,0.5,tiny_test\n")
    # ten diesel vans of 2016 retire after 2025 (age 10): each worth 50 % of 10,000 USD in 2026
    scenario = load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[{segment: van, technology: diesel, model_year: 2016, count: 10}]", "policy.allow_sales=false",
        "demand.van.technologies=[diesel]"])
    result = optimise(scenario)
    ledger = result.tables["ledger"]
    retired = ledger[(ledger["category"] == "resale") & (ledger["year"] == 2026)]
    assert retired["cost"].sum() == pytest.approx(-50_000)
    assert result.baseline.tables["ledger"].query("category == 'resale' and year == 2026")["cost"].sum() == \
        pytest.approx(-50_000)


def test_headline_baseline_has_the_plans_freedoms(plan_tiny):
    # demand halves to 50,000 km: 5 of the 10 diesel vans (age 5, worth 50 %) are surplus. Keeping all
    # 10 (like-for-like): fuel 3 x 50,000 km x 0.2 USD = 30,000, value left 10 x 20 % x 10,000 = 20,000
    # -> 10,000. With the plan's freedom to sell early, the diesel baseline sells 5 at once (+25,000) and
    # keeps 5 (value left 10,000) -> -5,000: the 15,000 is a freedom, not a technology, saving.
    result = plan_tiny("demand.van.annual_activity_au=50000")
    assert result.like_for_like.npv_cost == pytest.approx(10_000, rel=1e-9)
    assert result.baseline.npv_cost == pytest.approx(-5_000, rel=1e-9)
    assert result.summary["like_for_like_npv_cost"] == pytest.approx(10_000, rel=1e-9)


SHRINKING_DIESEL = ("fleet=[]", "horizon_last_year=2026", "demand.van.technologies=[diesel]",
                    "demand.van.annual_activity_au={2025: 100000, 2026: 50000}")


def test_a_grant_nobody_claims_holds_nothing(plan_tiny):
    # 10 diesel vans bought in 2025 (100,000), fuel 20,000 + 10,000; in 2026 five are surplus: sold at
    # 90 % (45,000) beats keeping them to the end at 80 % (40,000). NPV 100,000 + 30,000 - 45,000 - 40,000.
    assert plan_tiny(*SHRINKING_DIESEL).evaluation.npv_cost == pytest.approx(45_000, rel=1e-9)
    # a 0 % grant on 2025 diesel purchases: nothing is claimed, so no vehicle is held and the plan may
    # still sell the surplus (the old rule held every purchase in the window: 50,000)
    zero = "subsidies=[{name: nothing, technologies: [diesel], first_year: 2025, last_year: 2025, capex_share: 0}]"
    result = plan_tiny(*SHRINKING_DIESEL, zero)
    assert result.evaluation.npv_cost == pytest.approx(45_000, rel=1e-9)
    assert result.tables["sales"]["sales_count"].sum() == 5


def test_only_the_vehicles_that_claim_a_grant_are_held(plan_tiny):
    # 50 % grant capped at 25,000: 5,000 per van for 5 vans. The 5 vans kept claim it (their end
    # value falls by 80 % of the claim, 20,000); the 5 surplus vans claim nothing and are sold:
    # 45,000 - 25,000 + 20,000 = 40,000. (Holding every van bought in the window: 45,000.)
    grant = ("subsidies=[{name: half, technologies: [diesel], first_year: 2025, last_year: 2025, capex_share: 0.5, "
             "max_total: 25000}]")
    result = plan_tiny(*SHRINKING_DIESEL, grant)
    assert result.evaluation.npv_cost == pytest.approx(40_000, rel=1e-9)
    assert result.tables["subsidies"]["subsidy_cost"].sum() == pytest.approx(25_000)
    assert result.tables["sales"]["sales_count"].sum() == 5


def test_running_costs_are_discounted_mid_year(plan_tiny):
    # one year at 10 %: only diesel (10 vans, 100,000 USD, worth 90 % after a year: 90,000 / 1.1).
    # Fuel 20,000 is paid through the year: mid-year 20,000 / 1.1^0.5; at the start of the year 20,000.
    base = ("fleet=[]", "horizon_last_year=2025", "discount_rate=0.1", "demand.van.technologies=[diesel]")
    mid = plan_tiny(*base)
    assert mid.evaluation.npv_cost == pytest.approx(100_000 - 90_000 / 1.1 + 20_000 / 1.1 ** 0.5, rel=1e-9)
    start = plan_tiny(*base, "running_cost_timing=start")
    assert start.evaluation.npv_cost == pytest.approx(100_000 - 90_000 / 1.1 + 20_000, rel=1e-9)
    end = plan_tiny(*base, "running_cost_timing=end_of_year")
    assert end.evaluation.npv_cost == pytest.approx(100_000 - 90_000 / 1.1 + 20_000 / 1.1, rel=1e-9)


def test_existing_infrastructure_retires_at_the_end_of_its_life(tiny_copy):
    # two BEVs that need charging need one charger (2 vehicles per unit; 1,000 USD, 20-year life,
    # worth 19/20 after a year). One built in 2006 still serves in 2025; one built in 2005 has
    # retired, and a new one costs 1,000 - 950 = 50.
    import pandas as pd

    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    techs = tiny_copy / "vehicles" / "technologies.csv"
    frame = pd.read_csv(techs, dtype=str, keep_default_na=False)
    frame.loc[frame["technology"] == "bev", "charging_required"] = "true"
    frame.to_csv(techs, index=False)
    base = ["fleet=[]", "horizon_last_year=2025", "demand.van.annual_activity_au=20000",
            "demand.van.technologies=[bev]"]

    def run(build_year: int):
        return optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
            *base, f"infrastructure.existing_units={{charger: {{count: 1, build_year: {build_year}}}}}"]))

    alive, retired = run(2006), run(2005)
    assert alive.tables["infrastructure"]["builds_count"].sum() == 0
    assert retired.tables["infrastructure"]["builds_count"].sum() == 1
    assert retired.evaluation.npv_cost - alive.evaluation.npv_cost == pytest.approx(50, rel=1e-9)


def test_grid_losses_raise_well_to_wheel_electricity(tiny_copy):
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    # 10 BEVs, 100,000 km x 0.0036 GJ/km = 360 GJ at 50 kgCO2e/GJ generated; with 10 % lost on the
    # way to the depot each GJ delivered needs 1/0.9 GJ generated: 360 x 50 / 0.9 = 20 tCO2e
    _edit_csv(tiny_copy / "fuels" / "fuels.csv", "delivery_losses_share", "", None)
    fuels = tiny_copy / "fuels" / "fuels.csv"
    import pandas as pd

    frame = pd.read_csv(fuels, dtype=str, keep_default_na=False)
    frame.loc[frame["fuel"] == "electricity_grid", "delivery_losses_share"] = "0.1"
    frame.to_csv(fuels, index=False)
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev]", "policy.emission_scope=wtw"]))
    assert result.tables["emissions"]["emissions_tco2e"].iloc[0] == pytest.approx(20.0, rel=1e-9)


def test_a_fleet_file_with_a_header_only_is_an_empty_fleet(tmp_path):
    from fleet_planner.loading.fleet import load_fleet_csv

    path = tmp_path / "fleet.csv"
    path.write_text("segment,technology,model_year,count\n")
    assert load_fleet_csv(path) == []


def test_optimise_can_leave_out_the_like_for_like_reference(tiny):
    from fleet_planner.pipeline import optimise

    both = optimise(tiny())
    plan_only = optimise(tiny(), like_for_like=False)
    assert plan_only.like_for_like is None
    assert plan_only.summary["like_for_like_npv_cost"] is None
    assert plan_only.summary["abatement_cost_vs_like_for_like_per_tco2e"] is None
    assert plan_only.summary["npv_cost"] == both.summary["npv_cost"]
    assert both.summary["like_for_like_npv_cost"] is not None
