"""Model fidelity (issue: vehicles per duty, wear, leases, DDF range, supply, horizon end), each
rule with a tiny case whose answer is computed by hand (tests/data/tiny; see test_model_tiny.py for
the van's numbers: 10,000 km a year, 10 MJ/km diesel, every fuel 20 USD/GJ, discount rate 0,
residual value 100 % new falling 10 % a year)."""

from __future__ import annotations

import pandas as pd
import pytest

from fleet_planner.loading.scenario import load_scenario
from fleet_planner.pipeline import optimise


@pytest.fixture
def tiny_copy(tmp_path):
    """A writable copy of the tiny case, for tests that change the catalogue."""
    import shutil

    from conftest import TINY

    shutil.copytree(TINY.parent, tmp_path / "tiny")
    return tmp_path / "tiny"


def write_rows(path, rows: list[dict]) -> None:
    """Append rows to a catalogue CSV (columns not given stay blank)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame(rows, dtype=str)], ignore_index=True).fillna("")
    frame.to_csv(path, index=False)


def set_cells(path, column: str, value: str, where: dict) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = pd.Series(True, index=frame.index)
    for key, wanted in where.items():
        mask &= frame[key] == wanted
    assert mask.any(), f"no row of {path.name} matches {where}"
    if column not in frame:
        frame[column] = ""
    frame.loc[mask, column] = value
    frame.to_csv(path, index=False)


def fuel_gj(result, fuel: str, year: int | None = None) -> float:
    use = result.tables["energy"]
    use = use[use["fuel"] == fuel]
    if year is not None:
        use = use[use["year"] == year]
    return float(use["energy_gj"].sum())


# -- DDF: a gas share within a range, a gas-side efficiency loss -------------------------------------

def ddf_range(tiny_copy, max_gas: str = "0.3", gas_multiplier: str = "1.25") -> None:
    """The van's DDF may burn 0-30 % gas; a GJ of gas covers 1/1.25 GJ of the need."""
    write_rows(tiny_copy / "vehicles" / "fuel_shares.csv", [
        {"segment": "van", "technology": "ddf", "slot": "gas", "min_share": "0", "max_share": max_gas,
         "source_id": "tiny_test"},
        {"segment": "van", "technology": "ddf", "slot": "liquid", "min_share": str(1 - float(max_gas)),
         "max_share": "1", "source_id": "tiny_test"}])
    set_cells(tiny_copy / "vehicles" / "technology_fuels.csv", "energy_multiplier", gas_multiplier,
              {"technology": "ddf", "slot": "gas"})


DDF_ONLY = ("demand.van.technologies=[diesel, ddf]", "policy.allow_sales=false")


def test_ddf_burns_its_most_gas_when_gas_pays(tiny_copy):
    # gas 4 USD/GJ x 1.25 = 5 USD per GJ of need vs diesel 20: each van's 100 GJ need -> 30 GJ from
    # gas (37.5 GJ bought) saves 30 x 15 = 450 a year, 1,350 over 3 years > the 1,000 kit
    ddf_range(tiny_copy)
    result = optimise(load_scenario(tiny_copy / "scenario.yaml",
                                    overrides=[*DDF_ONLY, "fuels.price_multipliers.cng=0.2"]))
    assert result.tables["conversions"]["conversions_count"].sum() == 10
    assert fuel_gj(result, "cng", 2026) == pytest.approx(10 * 37.5, rel=1e-9)
    assert fuel_gj(result, "diesel", 2026) == pytest.approx(10 * 70, rel=1e-9)
    assert result.baseline.npv_cost - result.evaluation.npv_cost == pytest.approx(10 * (1350 - 1000), rel=1e-9)


def test_ddf_falls_back_to_diesel_when_gas_does_not_pay(tiny_copy):
    # existing DDF vans; gas 16 USD/GJ x 1.25 = 20 per GJ of need: no cheaper than diesel, and at
    # 18 USD/GJ dearer (22.5): the engine runs on diesel alone (a fixed 50 % share would burn gas)
    ddf_range(tiny_copy)
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[{segment: van, technology: ddf, model_year: 2020, count: 10}]",
        *DDF_ONLY, "fuels.price_multipliers.cng=0.9"]))
    assert fuel_gj(result, "cng") == pytest.approx(0.0, abs=1e-6)
    assert fuel_gj(result, "diesel") == pytest.approx(3 * 10 * 100, rel=1e-9)


def test_the_gas_side_efficiency_loss_decides_a_conversion(tiny_copy):
    # gas 5 USD/GJ, max 30 %: without a loss a van saves 30 x 15 x 3 = 1,350 > 1,000 (converts);
    # at x 2.0 a GJ of need costs 10 from gas: 30 x 10 x 3 = 900 < 1,000 (does not)
    ddf_range(tiny_copy, gas_multiplier="2.0")
    result = optimise(load_scenario(tiny_copy / "scenario.yaml",
                                    overrides=[*DDF_ONLY, "fuels.price_multipliers.cng=0.25"]))
    assert result.tables["conversions"]["conversions_count"].sum() == 0


# -- Fuels with limited supply ---------------------------------------------------------------------

CNG_OR_DIESEL = ("fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[diesel, cng]",
                 "fuels.price_multipliers.cng=0.5")


def test_unlimited_cheap_gas_makes_every_van_cng(tiny):
    # CNG van: 12,000 - 10,800 value left + 100 GJ x 10 = 2,200; diesel 1,000 + 2,000 = 3,000
    result = optimise(tiny(*CNG_OR_DIESEL))
    assert result.evaluation.npv_cost == pytest.approx(10 * 2200, rel=1e-9)


def test_a_supply_limit_caps_the_fuel_and_the_plan_pays_for_it(tiny):
    # 500 GJ of CNG a year runs 5 vans: 5 x 2,200 + 5 x 3,000 = 26,000
    result = optimise(tiny(*CNG_OR_DIESEL, "fuels.supply_gj_per_year={cng: 500}"))
    assert fuel_gj(result, "cng") == pytest.approx(500, rel=1e-9)
    assert result.evaluation.npv_cost == pytest.approx(26_000, rel=1e-9)


def test_the_catalogues_supply_limit_applies_and_the_scenario_can_lift_it(tiny_copy):
    write_rows(tiny_copy / "fuels" / "supply.csv", [
        {"fuel": "cng", "region": "testland", "year": "2025", "max_gj_per_year": "300", "source_id": "tiny_fuels"}])
    limited = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=list(CNG_OR_DIESEL)))
    assert fuel_gj(limited, "cng") == pytest.approx(300, rel=1e-9)
    lifted = optimise(load_scenario(tiny_copy / "scenario.yaml",
                                    overrides=[*CNG_OR_DIESEL, "fuels.supply_gj_per_year={cng: null}"]))
    assert fuel_gj(lifted, "cng") == pytest.approx(1000, rel=1e-9)


# -- Duties bind vehicles --------------------------------------------------------------------------
# The van works 100 days a year. A duty of d km/day takes one vehicle on each operating day, so a
# vehicle does at most d x 100 km a year in it, and only if its usable range reaches d.

DIESEL_ONE_YEAR = ("fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[diesel]")


def stock(result, year: int, technology: str | None = None) -> float:
    frame = result.tables["stock"]
    frame = frame[frame["year"] == year]
    if technology:
        frame = frame[frame["technology"] == technology]
    return float(frame["stock_count"].sum())


def test_short_range_vehicles_take_only_the_duties_they_reach(tiny_copy):
    # BEV range 100 km. 60 km duties (60 % of 100,000 km): 60,000 / (60 x 100) = 10 vehicles;
    # 150 km duties (40 %): 40,000 / 15,000 = 2.67 -> 3 diesel. Diesel at 40 USD/GJ (0.4 USD/km);
    # a BEV on the short duties costs 2,000 + 6,000 km x 0.072 = 2,432 < diesel 1,000 + 2,400.
    # 10 BEV (20,000 + 4,320) + 3 diesel (3,000 + 16,000) = 43,320
    set_cells(tiny_copy / "vehicles" / "technologies.csv", "range_au", "100", {"technology": "bev"})
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev, diesel]",
        "fuels.price_multipliers.diesel=2",
        "demand.van.duty_bands=[{daily_activity_au: 60, share: 0.6}, {daily_activity_au: 150, share: 0.4}]"]))
    assert stock(result, 2025, "bev") == 10
    assert stock(result, 2025, "diesel") == 3
    assert result.evaluation.npv_cost == pytest.approx(43_320, rel=1e-9)


def test_spares_come_on_top_of_the_duties(tiny):
    # 100,000 km of 100 km duties = 10 vans at once; 25 % spares -> 12.5 -> 13 vans:
    # 13 x 1,000 + 100,000 km x 0.2 = 33,000 (the spares do no km)
    result = optimise(tiny(*DIESEL_ONE_YEAR, "demand.van.spare_share=0.25"))
    assert stock(result, 2025) == 13
    assert result.evaluation.npv_cost == pytest.approx(33_000, rel=1e-9)


def test_operating_days_set_each_vehicles_year(tiny):
    # 200 operating days: a van does 100 x 200 = 20,000 km a year, so 5 vans do 100,000 km
    result = optimise(tiny(*DIESEL_ONE_YEAR, "demand.van.operating_days_per_year=200"))
    assert stock(result, 2025) == 5


def test_band_shares_may_change_by_year(tiny):
    # 2025: all 50 km duties -> 100,000 / 5,000 = 20 vans; 2026: all 100 km duties -> 10 vans
    result = optimise(tiny("fleet=[]", "horizon_last_year=2026", "demand.van.technologies=[diesel]",
                           "demand.van.duty_bands=[{daily_activity_au: 50, share: {2025: 1, 2026: 0}}, "
                           "{daily_activity_au: 100, share: {2025: 0, 2026: 1}}]"))
    assert stock(result, 2025) == 20
    assert stock(result, 2026) == 10


@pytest.mark.parametrize(("one_duty", "vans"), [(False, 15), (True, 16)])
def test_one_duty_per_vehicle_needs_whole_vehicles_per_band(tiny, one_duty, vans):
    # 50 km duties: 47.5 % of 100,000 km / 5,000 = 9.5 vehicles; 100 km duties: 52.5 % / 10,000 =
    # 5.25. Sharing days between duties: 14.75 -> 15 vans; a vehicle per duty: 10 + 6 = 16
    result = optimise(tiny(*DIESEL_ONE_YEAR, f"demand.van.one_duty_per_vehicle={str(one_duty).lower()}",
                           "demand.van.duty_bands=[{daily_activity_au: 50, share: 0.475}, "
                           "{daily_activity_au: 100, share: 0.525}]"))
    assert stock(result, 2025) == vans
    assert result.evaluation.npv_cost == pytest.approx(vans * 1000 + 20_000, rel=1e-9)


def test_shares_that_do_not_add_up_in_a_year_are_refused(tiny):
    from fleet_planner.exceptions import ScenarioError

    with pytest.raises(ScenarioError, match="add up to 0.5 in 2026"):
        tiny("demand.van.duty_bands=[{daily_activity_au: 50, share: {2025: 1, 2026: 0}}, "
             "{daily_activity_au: 100, share: {2025: 0, 2026: 0.5}}]")


def test_the_evaluator_refuses_a_vehicle_on_a_duty_beyond_its_range(tiny_copy):
    from fleet_planner.accounts.evaluate import evaluate_plan

    set_cells(tiny_copy / "vehicles" / "technologies.csv", "range_au", "100", {"technology": "bev"})
    scenario = load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev, diesel]",
        "fuels.price_multipliers.diesel=2",
        "demand.van.duty_bands=[{daily_activity_au: 60, share: 0.6}, {daily_activity_au: 150, share: 0.4}]"])
    result = optimise(scenario)
    decisions = result.decisions
    activity = decisions.activity
    bev = activity["technology"] == "bev"
    decisions.activity = activity.assign(daily_activity_au=activity["daily_activity_au"].where(~bev, 150.0))
    evaluation = evaluate_plan(scenario, result.catalogue, decisions)
    assert {"duty_range", "demand"} <= {v.rule for v in evaluation.violations}


def test_the_evaluator_reports_work_given_to_vehicles_the_plan_never_holds(tiny_copy):
    """A client plan may put activity on a cohort it never bought: a broken rule, not a crash (its
    wear by use, priced at what such a vehicle costs, is where it crashed)."""
    from fleet_planner.accounts.evaluate import evaluate_plan

    set_cells(tiny_copy / "vehicles" / "technologies.csv", "lifetime_au", "100000", {})
    scenario = load_scenario(tiny_copy / "scenario.yaml", overrides=["horizon_last_year=2025"])
    result = optimise(scenario)
    decisions = result.decisions
    row = decisions.activity.iloc[[0]].assign(model_year=2025, year=2025)
    used = set(zip(decisions.activity["technology"], decisions.activity["model_year"], strict=True))
    technology = next(t for t in ("bev", "diesel", "cng") if (t, 2025) not in used)
    decisions.activity = pd.concat([decisions.activity, row.assign(technology=technology)], ignore_index=True)
    evaluation = evaluate_plan(scenario, result.catalogue, decisions)
    assert any(v.rule == "duty_time" and technology in v.where for v in evaluation.violations), \
        [str(v) for v in evaluation.violations]


def test_an_old_scenario_with_a_yearly_activity_cap_is_told_what_replaced_it(tiny):
    from fleet_planner.exceptions import ScenarioError

    with pytest.raises(ScenarioError, match="operating_days_per_year"):
        tiny("demand.van.max_annual_activity_au=5000")


def test_validate_warns_when_the_fleet_is_too_small_for_its_duties(tiny):
    from fleet_planner.loading.checked import load_and_check

    # 10 vans, 100,000 km of 50 km duties on 100 days = 20 duties
    _catalogue, warnings = load_and_check(tiny("demand.van.duty_bands=[{daily_activity_au: 50, share: 1}]"))
    assert any("cover 10 of the 20.0 duties" in w for w in warnings)
    _catalogue, warnings = load_and_check(tiny())
    assert not any("duties" in w for w in warnings)


# -- Wear by use -----------------------------------------------------------------------------------

def test_use_beyond_the_chassis_allowance_is_charged_as_early_replacement(tiny_copy):
    # diesel van life 10 years or 50,000 km: 5,000 km a year come with it. It does 10,000 km, so
    # 5,000 km x 10,000 USD / 50,000 km = 1,000 USD a year of wear (a van worn out in 5 years
    # instead of 10). With 500 USD/yr fixed O&M per van, 10 vans: 10 x (1,000 value lost + 500)
    # + 20,000 fuel + 10,000 wear = 45,000; 20 vans at 5,000 km each (no wear) would cost 50,000
    # (without fixed O&M the two tie: the wear charge is the depreciation of the vans it saves).
    techs = tiny_copy / "vehicles" / "technologies.csv"
    set_cells(techs, "lifetime_au", "50000", {"technology": "diesel"})
    set_cells(techs, "fixed_om_cost_per_year", "500", {"technology": "diesel"})
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=list(DIESEL_ONE_YEAR)))
    assert stock(result, 2025) == 10
    assert result.evaluation.npv_cost == pytest.approx(45_000, rel=1e-9)
    costs = result.tables["costs"]
    assert float(costs.loc[costs["category"] == "wear", "cost"].sum()) == pytest.approx(10_000, rel=1e-9)


def test_a_battery_used_beyond_its_allowance_is_replaced_at_that_years_price(tiny_copy):
    # BEV battery 20 kWh lasting 40,000 km: 4,000 km a year come with the van (10-year life);
    # beyond that each km costs 20 kWh x 100 USD/kWh / 40,000 km = 0.05 USD: 6,000 km x 0.05 = 300
    # a van-year. 10 BEVs, one year: 27,200 + 3,000 = 30,200
    write_rows(tiny_copy / "vehicles" / "components.csv", [
        {"segment": "van", "technology": "bev", "component": "battery", "units_per_vehicle": "20",
         "life_au": "40000", "source_id": "tiny_test"}])
    write_rows(tiny_copy / "vehicles" / "component_prices.csv", [
        {"component": "battery", "year": "2025", "price_per_unit": "100", "unit": "kWh", "currency": "USD",
         "price_year": "2025", "tax_basis": "excl_vat", "source_id": "tiny_test"}])
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev]"]))
    assert result.evaluation.npv_cost == pytest.approx(30_200, rel=1e-9)


# -- Leases ----------------------------------------------------------------------------------------
# 10 diesel vans of 2020 (price 10,000, value falling 10 % of the price a year), leased at 500 USD
# per van-year; fuel 20,000 USD a year; discount rate 0.

def leased(end_year: int, end: str = "return", buyout: str = "") -> str:
    extra = f", buyout_price: {buyout}" if buyout else ""
    return (f"fleet=[{{segment: van, technology: diesel, model_year: 2020, count: 10, lease_end_year: {end_year}, "
            f"lease_cost_per_year: 500, lease_end: {end}{extra}}}]")


def test_a_returned_lease_is_paid_until_its_end_and_has_no_value(tiny):
    # 2025: lease 5,000; 2026: the vans go back, 10 new vans (100,000, worth 80,000 after 2027);
    # fuel 60,000: 5,000 + 20,000 + 60,000 = 85,000 (kept as owned, they would be worth 20,000 at the end)
    result = optimise(tiny(leased(2026), "demand.van.technologies=[diesel]"))
    assert result.evaluation.npv_cost == pytest.approx(85_000, rel=1e-9)
    assert result.baseline.npv_cost == pytest.approx(85_000, rel=1e-9)
    sales = result.tables["sales"]
    assert sales[sales["model_year"] == 2020].empty  # the leased vans are never the plan's to sell
    costs = result.tables["costs"]
    assert float(costs.loc[costs["category"] == "lease", "cost"].sum()) == pytest.approx(5_000, rel=1e-9)


def test_a_lease_running_past_the_horizon_is_paid_every_year_and_valued_at_nothing(tiny):
    result = optimise(tiny(leased(2030), "demand.van.technologies=[diesel]"))
    assert result.evaluation.npv_cost == pytest.approx(3 * 5_000 + 60_000, rel=1e-9)


def test_a_buy_out_lease_lets_the_plan_buy_the_vehicles_at_the_stated_price(tiny):
    # 2026: buying out at 3,000 (worth 2,000 after 2027) costs 1,000 a van; returning them and buying
    # new costs 2,000: all 10 bought out. 5,000 lease + 30,000 + 60,000 fuel - 20,000 value = 75,000
    result = optimise(tiny(leased(2026, "buy_out", "3000"), "demand.van.technologies=[diesel]"))
    assert result.evaluation.npv_cost == pytest.approx(75_000, rel=1e-9)
    assert float(result.decisions.lease_buy_outs["count"].sum()) == 10


def test_the_evaluator_refuses_a_buy_out_the_lease_does_not_offer(tiny):
    from fleet_planner.accounts.evaluate import evaluate_plan

    scenario = tiny(leased(2026), "demand.van.technologies=[diesel]")
    result = optimise(scenario)
    decisions = result.decisions
    decisions.lease_buy_outs = pd.DataFrame([{"segment": "van", "technology": "diesel", "model_year": 2020,
                                              "year": 2026, "count": 10}])
    evaluation = evaluate_plan(scenario, result.catalogue, decisions)
    assert "buy_out_not_allowed" in {v.rule for v in evaluation.violations}


def test_a_lease_without_its_cost_is_refused_with_the_fix(tiny):
    from fleet_planner.exceptions import ScenarioError

    with pytest.raises(ScenarioError, match="lease_cost_per_year"):
        tiny("fleet=[{segment: van, technology: diesel, model_year: 2020, count: 10, lease_end_year: 2026}]")


# -- The end of the horizon ------------------------------------------------------------------------

FREE_FUEL_DIESEL = ("fleet=[]", "demand.van.technologies=[diesel]", "fuels.price_multipliers.diesel=0",
                    "discount_rate=0.1", "end_of_horizon=economic")


def test_economic_valuation_charges_each_year_its_annuity(tiny):
    # free fuel: only the vans' capital. Price 10,000, life 10 years, worth 0 at the end; at 10 % a
    # year's capital-recovery cost is EAC = 10,000 x 0.1 / (1 - 1.1^-10) = 1,627.45, paid at the end
    # of each year of service. 10 vans: one year costs 10 x EAC / 1.1, two years add 10 x EAC / 1.1^2
    eac = 10_000 * 0.1 / (1 - 1.1 ** -10)
    one = optimise(tiny(*FREE_FUEL_DIESEL, "horizon_last_year=2025"))
    two = optimise(tiny(*FREE_FUEL_DIESEL, "horizon_last_year=2026"))
    assert one.evaluation.npv_cost == pytest.approx(10 * eac / 1.1, rel=1e-9)
    assert two.evaluation.npv_cost == pytest.approx(10 * eac * (1 / 1.1 + 1 / 1.1 ** 2), rel=1e-9)


@pytest.mark.parametrize(("mode", "share"), [("economic", None), ("resale", 0.9), ("none", 0.0), ("sell", 0.9)])
def test_each_end_of_horizon_treatment_values_what_is_left(tiny, mode, share):
    # a van bought in 2025 is 1 year old after the horizon. Resale: the curve, 0.9. Economic at 10 %
    # with nothing left at age 10: AF(9) / AF(10) = 0.93725. None: 0. Sell: sold at resale value.
    if share is None:
        share = (1 - 1.1 ** -9) / (1 - 1.1 ** -10)
    result = optimise(tiny(*FREE_FUEL_DIESEL, "horizon_last_year=2025", f"end_of_horizon={mode}"))
    left = result.tables["end_of_horizon"]
    assert float(left["count"].sum()) == 10
    assert float(left["value_share"].iloc[0]) == pytest.approx(share, abs=1e-6)  # tables keep 6 decimals
    assert left["treatment"].iloc[0] == ("sold" if mode == "sell" else f"valued ({mode})")
    assert result.summary["end_of_horizon"] == mode


def test_a_reporting_window_with_a_tail_reports_what_the_window_alone_would(tiny):
    # the same vans modelled to 2027 but reported to 2025: the 2025 decisions are the same, and the
    # reported NPV is the one-year NPV, what is left at the end of 2025 valued economically
    alone = optimise(tiny(*FREE_FUEL_DIESEL, "horizon_last_year=2025"))
    tail = optimise(tiny(*FREE_FUEL_DIESEL, "horizon_last_year=2027", "report_last_year=2025"))
    assert tail.summary["last_year"] == 2025 and tail.summary["modelled_last_year"] == 2027
    assert tail.summary["npv_cost"] == pytest.approx(alone.summary["npv_cost"], rel=1e-9)
    assert tail.summary["emissions_tco2e"] == pytest.approx(alone.summary["emissions_tco2e"], rel=1e-9)


def test_a_technology_may_have_its_own_resale_curve(tiny_copy):
    # electric vans lose half their value in the first year, diesel ones 10 %
    write_rows(tiny_copy / "vehicles" / "residual_values.csv", [
        {"segment": "van", "technology": "bev", "age_years": "0", "residual_share": "1", "source_id": "tiny_test"},
        {"segment": "van", "technology": "bev", "age_years": "1", "residual_share": "0.5", "source_id": "tiny_test"},
        {"segment": "van", "technology": "bev", "age_years": "10", "residual_share": "0", "source_id": "tiny_test"}])
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev]", "end_of_horizon=resale"]))
    assert float(result.tables["end_of_horizon"]["value_share"].iloc[0]) == pytest.approx(0.5)


def test_idle_vehicles_left_at_the_end_are_worth_their_resale_value_only(tiny):
    # 12 diesel vans of 2020 for 10 vans' work (no sales allowed). After 2025 they are 6 years old:
    # resale 0.4 of 10,000; economic (10 %, 4 of 10 years left, nothing at the end) AF(4)/AF(10) =
    # 0.51588. The 10 at work count for the service left, the 2 idle ones for their resale value.
    economic = (1 - 1.1 ** -4) / (1 - 1.1 ** -10)
    result = optimise(tiny("fleet=[{segment: van, technology: diesel, model_year: 2020, count: 12}]",
                           "horizon_last_year=2025", "policy.allow_sales=false", "discount_rate=0.1",
                           "end_of_horizon=economic", "demand.van.technologies=[diesel]"))
    left = result.tables["end_of_horizon"].iloc[0]
    assert left["count"] == 12 and left["in_service_count"] == pytest.approx(10)
    assert left["unit_value"] * 12 == pytest.approx(10 * 10_000 * economic + 2 * 4_000, rel=1e-6)


# -- Rules from fleet-transition practice ----------------------------------------------------------

ONE_YEAR_CHEAP_DIESEL = ("fleet=[]", "horizon_last_year=2025", "fuels.price_multipliers.diesel=0.1")


def test_a_zero_emission_share_of_purchases(tiny):
    # cheap diesel: a diesel van costs 1,200 for the year, a BEV 2,720; half of the purchases
    # zero-emission: 5 x 1,200 + 5 x 2,720 = 19,600
    result = optimise(tiny(*ONE_YEAR_CHEAP_DIESEL, "policy.zero_emission_purchase_share_min={2025: 0.5}"))
    assert stock(result, 2025, "bev") == 5
    assert result.evaluation.npv_cost == pytest.approx(19_600, rel=1e-9)


def test_a_zero_emission_share_of_one_segments_fleet(tiny):
    # 30 % of the van fleet: 3 x 2,720 + 7 x 1,200 = 16,560
    result = optimise(tiny(*ONE_YEAR_CHEAP_DIESEL, "policy.zero_emission_share_min_by_segment={van: {2025: 0.3}}"))
    assert stock(result, 2025, "bev") == 3
    assert result.evaluation.npv_cost == pytest.approx(16_560, rel=1e-9)


def test_disposals_are_limited_to_a_share_of_the_fleet(tiny):
    # 10 diesel vans of 2020, one year: selling one now (5,000) and buying a BEV for the year (2,000
    # + 720 fuel) beats keeping it (2,000 fuel, worth 4,000 after the year) by 280; at most 20 % of
    # the fleet may go: 2 sold. 8 x (2,000 - 4,000) + 2 x (-5,000 + 2,720) = -20,560
    result = optimise(tiny("horizon_last_year=2025", "policy.sales_max_share={2025: 0.2}"))
    assert result.tables["sales"]["sales_count"].sum() == 2
    assert result.evaluation.npv_cost == pytest.approx(-20_560, rel=1e-9)
    assert result.baseline.tables["sales"]["sales_count"].sum() <= 2  # the limit binds the baseline too


def test_retirements_may_count_as_disposals(tiny):
    # 10 vans of 2016 retire at the start of 2026; at most half the fleet may leave a year,
    # retirements included: at least 5 must be sold in 2025
    scenario = ("fleet=[{segment: van, technology: diesel, model_year: 2016, count: 10}]", "horizon_last_year=2026",
                "policy.sales_max_share={2025: 0.5}", "policy.sales_max_counts_retirements=true")
    result = optimise(tiny(*scenario))
    sales = result.tables["sales"]
    assert sales.loc[sales["year"] == 2025, "sales_count"].sum() >= 5
    assert result.evaluation.violations == []


def test_insurance_as_a_share_of_the_price_grows_with_the_age_factors(tiny_copy):
    # insurance 5 % of the 10,000 price a year, factor 1 new and 2 at 10 years: the 2020 vans are 5
    # in 2025, factor 1.5: 10 x 750 = 7,500
    set_cells(tiny_copy / "vehicles" / "technologies.csv", "insurance_share_per_year", "0.05", {"technology": "diesel"})
    write_rows(tiny_copy / "vehicles" / "age_factors.csv", [
        {"segment": "van", "technology": "*", "age_years": "0", "insurance_factor": "1", "maintenance_factor": "1",
         "source_id": "tiny_test"},
        {"segment": "van", "technology": "*", "age_years": "10", "insurance_factor": "2", "maintenance_factor": "1",
         "source_id": "tiny_test"}])
    result = optimise(load_scenario(tiny_copy / "scenario.yaml", overrides=[
        "horizon_last_year=2025", "demand.van.technologies=[diesel]", "policy.allow_sales=false"]))
    costs = result.tables["costs"]
    assert float(costs.loc[costs["category"] == "fixed_om", "cost"].sum()) == pytest.approx(7_500, rel=1e-9)
