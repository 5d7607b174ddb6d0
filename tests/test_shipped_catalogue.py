"""The catalogues shipped with the package: found from any folder, the packaged copy first, a clear
error when an installation lacks them, and the build step copies every file the loader reads."""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from conftest import REPO
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.exceptions import CatalogueError
from fleet_planner.loading import shipped
from fleet_planner.loading.scenario import load_scenario
from fleet_planner.schemas.catalogue import TABLES

runner = CliRunner()
SCENARIO_WITHOUT_PATHS = """\
name: No catalogue paths
horizon_first_year: 2026
horizon_last_year: 2028
currency: USD
price_base_year: 2025
discount_rate: 0.08
fleet: [{segment: forklift_2_5t, technology: diesel, model_year: 2018, count: 4}]
demand: {forklift_2_5t: {annual_activity_au: 8000}}
"""


def test_in_a_checkout_the_repository_folders_are_the_shipped_catalogues():
    assert shipped.shipped_catalogue("vehicles") == REPO / "vehicles"
    assert shipped.shipped_catalogue("fuels") == REPO / "fuels"


def test_catalogue_and_validate_work_from_another_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing = runner.invoke(app, ["catalogue"])
    assert listing.exit_code == 0, listing.output
    assert "forklift_2_5t" in listing.output and "not found" not in listing.output
    (tmp_path / "scenario.yaml").write_text(SCENARIO_WITHOUT_PATHS)
    assert load_scenario("scenario.yaml").vehicles_catalogue == REPO / "vehicles"
    assert runner.invoke(app, ["validate", "scenario.yaml"]).exit_code == 0


def test_the_packaged_copy_comes_first(tmp_path, monkeypatch):
    shutil.copytree(REPO / "fuels", tmp_path / "fuels")
    monkeypatch.setattr(shipped, "PACKAGED", tmp_path)
    assert shipped.shipped_catalogue("fuels") == tmp_path / "fuels"
    assert shipped.shipped_catalogue("vehicles") == REPO / "vehicles"  # not packaged here: the checkout's


def test_an_installation_without_catalogues_says_how_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.setattr(shipped, "PACKAGED", tmp_path / "catalogues")
    monkeypatch.setattr(shipped, "REPOSITORY", tmp_path)
    with pytest.raises(CatalogueError) as error:
        shipped.shipped_catalogue("vehicles")
    assert "Reinstall fleet-planner" in str(error.value) and "vehicles_catalogue:" in str(error.value)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["catalogue"])
    assert result.exit_code == 1 and "Reinstall fleet-planner" in result.output and "Traceback" not in result.output


def test_the_build_step_copies_every_catalogue_file_the_loader_reads():
    spec = importlib.util.spec_from_file_location("catalogue_data", REPO / "build_support" / "catalogue_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    copied = {str(p) for p in module.catalogue_files()}
    needed = {f"{folder}/{file}" for folder, file, _model, _unique in TABLES.values()}
    assert needed <= copied, f"not in the wheel: {sorted(needed - copied)}"
    assert {"vehicles/README.md", "fuels/README.md"} <= copied
