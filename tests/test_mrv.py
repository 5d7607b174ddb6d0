"""JCM-style MRV (accounts/mrv.py): hand-computed reference, project and reduced emissions and the
grant's cost-effectiveness; the command on a result folder; bad projects as clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fleet_planner.accounts.mrv import METHOD_NOTE, _Parameters, mrv_accounts, project_factor_t_per_gj
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.catalogue import load_catalogue
from fleet_planner.loading.mrv import load_mrv_data, parse_project
from fleet_planner.loading.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BUS = ROOT / "scenarios" / "senior-bus-santiago.yaml"


@pytest.fixture(scope="module")
def bus():
    scenario = load_scenario(BUS)
    return scenario, load_catalogue(ROOT / "vehicles", ROOT / "fuels"), load_mrv_data(ROOT / "mrv")


def hand_tables() -> dict[str, pd.DataFrame]:
    """2 e-minibuses bought in 2028 run 50,000 km in 2029; the donated 2025 pair runs 40,000 km."""
    key = ["year", "segment", "technology", "model_year"]
    activity = pd.DataFrame([[2029, "minibus_senior", "bev", 2028, 50_000.0, "km"],
                             [2029, "minibus_senior", "bev", 2025, 40_000.0, "km"]], columns=[*key, "activity_au",
                                                                                                "activity_unit"])
    stock = pd.DataFrame([[2029, "minibus_senior", "bev", 2028, 2.0], [2029, "minibus_senior", "bev", 2025, 2.0]],
                         columns=[*key, "stock_count"])
    purchases = pd.DataFrame([[2028, "minibus_senior", "bev", 2.0, 0.0, "CLP"]],
                             columns=["year", "segment", "technology", "purchases_count", "unit_price", "currency"])
    conversions = pd.DataFrame(columns=["segment", "from_technology", "to_technology", "model_year", "year",
                                        "conversions_count"])
    # 90,000 km x 1.98 MJ/km = 178.2 GJ of grid electricity
    energy = pd.DataFrame([[2029, "minibus_senior", "bev", "electricity_grid", 178.2]],
                          columns=["year", "segment", "technology", "fuel", "energy_gj"])
    ledger = pd.DataFrame([[2028, "minibus_senior", "bev", "subsidy", -200_000_000.0],
                           [2028, "", "depot_charger_dc", "subsidy", -50_000_000.0]],
                          columns=["year", "segment", "technology", "category", "cost"])
    return {"activity": activity, "stock": stock, "purchases": purchases, "conversions": conversions,
            "energy": energy, "ledger": ledger}


def test_mrv_numbers_by_hand(bus):
    scenario, catalogue, data = bus
    project = parse_project("minibus_senior:bev:2026-2028", crediting="2029-2029")
    result = mrv_accounts(hand_tables(), scenario, catalogue, data, project)
    year = result.tables["mrv_yearly"].iloc[0]
    # reference: diesel minibus 6.50 MJ/km / 36.1 MJ/L = 0.180055 L/km x 0.7778 (low end 0.14 of 0.14-0.22)
    litres_per_km = 6.5 / 36.1 * 0.7778
    assert result.summary["reference_fuel_units_per_au"] == pytest.approx(0.140047, rel=1e-5)
    # RE = 50,000 km x 0.140047 L/km x 34.776 MJ/L (NCV 41.4 x 0.84) x 72.6 kgCO2/GJ = 17.679 t
    re = 50_000 * litres_per_km * 34.776 / 1000 * 72.6 / 1000
    assert re == pytest.approx(17.679, abs=1e-3)
    assert year["reference_tco2e"] == pytest.approx(re, rel=1e-9)
    # PE = 50,000 km x 1.98 MJ/km = 99 GJ x grid 2029 (65.56 + (41.67 - 65.56) x 5/6 = 45.652 kg/GJ
    # generated) / (1 - 6.5 % delivery losses) = 48.825 kg/GJ delivered -> 4.834 t
    grid = (65.56 + (41.67 - 65.56) * 5 / 6) / (1 - 0.065)
    pe = 99 * grid / 1000
    assert pe == pytest.approx(4.834, abs=1e-3)
    assert year["project_tco2e"] == pytest.approx(pe, rel=1e-9)
    assert year["er_tco2e"] == pytest.approx(re - pe, rel=1e-9)
    assert year["project_vehicles_count"] == 2.0
    # cost-effectiveness: 200 M CLP (the vehicles' grant, not the charger's) / (12.845 t x 6 years)
    summary = result.summary
    assert summary["grant_cost"] == 200_000_000.0
    assert summary["legal_useful_life_years"] == 6
    assert summary["cost_effectiveness_per_tco2e"] == pytest.approx(200e6 / ((re - pe) * 6), rel=1e-9)
    assert summary["jpy_per_currency_unit"] == pytest.approx(150 / 930)  # JPY and CLP per USD in 2025
    assert summary["cost_effectiveness_jpy_per_tco2e"] == pytest.approx(200e6 * 150 / 930 / ((re - pe) * 6))
    assert summary["method"] == METHOD_NOTE and "not an approved" in METHOD_NOTE
    monitored = set(result.tables["mrv_monitoring"]["symbol"])
    assert {"DD_i_p", "EC_p", "EF_grid_y"} <= monitored and "FC_G_p" not in monitored
    assert set(result.tables["mrv_parameters"]["grade"]) <= {"A", "B", "C", "D"}


def test_gas_project_factor_adds_methane_slip(bus):
    scenario, catalogue, data = bus
    book = PriceBook(scenario, catalogue)
    # CNG minibus: high-end 61.86 kgCO2e/GJ + slip 0.5 % x 20 kg CH4/GJ x GWP 29.8 = 64.84 kg/GJ
    factor = project_factor_t_per_gj(book, _Parameters(data["mrv_parameters"]), "minibus_senior", "cng", "cng", 2030)
    assert factor == pytest.approx((61.86 + 0.005 * 20 * 29.8) / 1000)


def test_given_grant_and_errors(bus):
    scenario, catalogue, data = bus
    project = parse_project("minibus_senior:bev:2028", crediting="2029-2029", grant=1e8)
    assert mrv_accounts(hand_tables(), scenario, catalogue, data, project).summary["grant_cost"] == 1e8
    with pytest.raises(ScenarioError, match="buys or converts no fcev"):
        mrv_accounts(hand_tables(), scenario, catalogue, data, parse_project("minibus_senior:fcev:2026-2028"))
    with pytest.raises(ScenarioError, match="outside the plan's years"):
        mrv_accounts(hand_tables(), scenario, catalogue, data, parse_project("minibus_senior:bev:2028",
                                                                             crediting="2020-2029"))
    for bad in ("minibus_senior", "minibus_senior:bev:2028-2026", "Minibus:bev:2028"):
        with pytest.raises(ScenarioError, match="--project"):
            parse_project(bad)


def test_bad_mrv_data_names_file_and_fix(tmp_path):
    for file in ("sources.csv", "parameters.csv", "monitoring.csv"):
        (tmp_path / file).write_text((ROOT / "mrv" / file).read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "parameters.csv").read_text(encoding="utf-8")
    (tmp_path / "parameters.csv").write_text(text.replace(",72.6,", ",-72.6,"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_mrv_data(tmp_path)
    message = str(caught.value)
    assert "parameters.csv line 2, column value" in message and "Fix the cell" in message
