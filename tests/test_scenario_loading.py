"""Scenario files: variants, --set overrides, paths relative to the file, the validate summary."""

from __future__ import annotations

import pytest
from conftest import SCENARIOS, TINY
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.scenario import load_scenario

runner = CliRunner()


def test_set_overrides_values_by_dotted_path():
    scenario = load_scenario(TINY, overrides=["policy.gas_end_year=2030", "demand.van.annual_activity_au={2025: 5}"])
    assert scenario.policy.gas_end_year == 2030
    assert scenario.demand["van"].annual_activity_au == {2025: 5.0}


def test_named_variant_is_applied():
    staged = load_scenario(SCENARIOS / "logistics-trucks-staged.yaml")
    direct = load_scenario(SCENARIOS / "logistics-trucks-staged.yaml", variant="direct_to_zero")
    assert staged.policy.gas_end_year is None
    assert direct.policy.gas_end_year == 2026
    assert "direct_to_zero" in direct.name


def test_paths_are_relative_to_the_scenario_file():
    scenario = load_scenario(SCENARIOS / "senior-bus-santiago.yaml")
    assert scenario.vehicles_catalogue == (SCENARIOS.parent / "vehicles").resolve()
    assert scenario.fleet[0].technology == "bev" and scenario.fleet[0].count == 2


def test_scenario_is_frozen():
    scenario = load_scenario(TINY)
    with pytest.raises(Exception, match="frozen"):
        scenario.discount_rate = 0.5


def test_override_into_a_scalar_is_an_error():
    with pytest.raises(ScenarioError, match="not a mapping"):
        load_scenario(TINY, overrides=["discount_rate.x=1"])


def test_validate_prints_a_summary():
    result = runner.invoke(app, ["validate", str(SCENARIOS / "logistics-trucks-staged.yaml")])
    assert result.exit_code == 0
    for text in ("Horizon: 2026-2040", "truck_rigid_12t: existing fleet diesel 40", "emission cap (ttw"):
        assert text in result.output
