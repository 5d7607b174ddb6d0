"""Infeasible targets, solver trouble, safe outputs, determinism, Ctrl-C."""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import TINY
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.optimisation import solve as solve_module
from fleet_planner.optimisation.model import FleetModel
from fleet_planner.optimisation.solve import SolveStatus, solve

runner = CliRunner()
NO_BEV_ZERO_CAP = ["--set", "demand.van.technologies=[diesel, ddf]", "--set",
                   "policy.emission_cap={tco2e: {2026: 0}}"]


def test_impossible_cap_is_diagnosed(tmp_path):
    out = tmp_path / "result"
    result = runner.invoke(app, ["plan", str(TINY), "--out", str(out), *NO_BEV_ZERO_CAP])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "2026 emission_cap (fleet): short by" in result.output
    diagnosis = pd.read_csv(out / "diagnosis.csv")
    row = diagnosis[diagnosis["rule"] == "emission_cap"].iloc[0]
    assert row["year"] == 2026
    # the least-emitting plan converts all 10 vans to DDF: 10 x 10,000 km x 0.01 GJ x (0.5 x 100 + 0.5 x 50 kg) = 75 t
    assert row["shortfall"] == pytest.approx(75.0, rel=1e-6)
    lowest = pd.read_csv(out / "lowest_emissions.csv").set_index("year")
    assert lowest.loc[2026, "lowest_emissions_tco2e"] == pytest.approx(75.0, rel=1e-6)


def test_range_shortfall_names_segment_and_year(shortfall_of):
    bands = "demand.van.duty_bands=[{daily_activity_au: 150, share: 0.6}, {daily_activity_au: 300, share: 0.4}]"
    row = shortfall_of("demand", "fleet=[]", "horizon_last_year=2025", "demand.van.technologies=[bev]", bands)
    assert (row["segment"], row["year"]) == ("van", 2025)
    assert row["shortfall"] == pytest.approx(40_000)  # the 300 km/day band: BEV range is 200 km


def test_cbc_gives_the_same_plan_as_highs(plan_tiny):
    highs = plan_tiny()
    cbc = plan_tiny("solver.name=cbc")
    assert cbc.solve.status == SolveStatus.OPTIMAL
    assert cbc.evaluation.npv_cost == pytest.approx(highs.evaluation.npv_cost, rel=1e-9)


def _tiny_model() -> FleetModel:
    model = FleetModel(name="t")
    x = model.add_column("x", integer=True, upper=5)
    model.add_cost(x, -1.0)
    return model


def _worker_with_incumbent_then_hang(arrays, options, conn):
    solve_module._worker_setup(options["parent_pid"])
    conn.send(("incumbent", (-3.0, -5.0, np.array([3.0]))))
    time.sleep(60)


def _worker_that_hangs(arrays, options, conn):
    solve_module._worker_setup(options["parent_pid"])
    time.sleep(60)


def _worker_that_crashes(arrays, options, conn):
    os._exit(7)


def test_hard_time_limit_keeps_the_best_plan(monkeypatch):
    monkeypatch.setattr(solve_module, "_highs_worker", _worker_with_incumbent_then_hang)
    monkeypatch.setattr(solve_module, "GRACE_S", 0.5)
    result = solve(_tiny_model(), time_limit_s=0.2)
    assert result.status == SolveStatus.FEASIBLE
    assert result.gap == pytest.approx(2 / 3)
    assert result.values.tolist() == [3.0]


def test_hard_time_limit_without_a_plan_is_no_solution(monkeypatch):
    monkeypatch.setattr(solve_module, "_highs_worker", _worker_that_hangs)
    monkeypatch.setattr(solve_module, "GRACE_S", 0.5)
    result = solve(_tiny_model(), time_limit_s=0.2)
    assert result.status == SolveStatus.NO_SOLUTION
    assert not result.has_plan and result.values is None


def test_crashed_solver_is_an_error_with_exit_3(monkeypatch, tmp_path):
    monkeypatch.setattr(solve_module, "_highs_worker", _worker_that_crashes)
    result = solve(_tiny_model(), time_limit_s=5)
    assert result.status == SolveStatus.ERROR
    assert "crashed" in result.message
    cli = runner.invoke(app, ["plan", str(TINY), "--out", str(tmp_path / "r")])
    assert cli.exit_code == 3
    assert "Traceback" not in cli.output
    assert not (tmp_path / "r").exists()


def test_a_real_solve_is_optimal_with_its_gap():
    result = solve(_tiny_model())
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == pytest.approx(-5.0)


def test_existing_results_are_kept_without_force(tmp_path):
    out = tmp_path / "result"
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(out)]).exit_code == 0
    before = (out / "costs.csv").read_bytes()
    again = runner.invoke(app, ["plan", str(TINY), "--out", str(out)])
    assert again.exit_code == 1 and "--force" in again.output
    failing = runner.invoke(app, ["plan", str(TINY), "--out", str(out), "--force", *NO_BEV_ZERO_CAP])
    assert failing.exit_code == 3
    assert (out / "costs.csv").read_bytes() == before, "a failed run must not replace an earlier result"
    assert not any(p.name.startswith(".result.partial") for p in tmp_path.iterdir())


def test_same_inputs_give_byte_identical_tables(tmp_path):
    for name in ("a", "b"):
        assert runner.invoke(app, ["plan", str(TINY), "--out", str(tmp_path / name),
                                   "--set", "discount_rate=0.07"]).exit_code == 0
    csvs = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    assert len(csvs) > 10
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", [*csvs, "run.json"], shallow=False)
    assert mismatch == [] and errors == []


def test_result_folder_reruns_on_its_own(tmp_path):
    out = tmp_path / "first"
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(out), "--set", "discount_rate=0.03"]).exit_code == 0
    rerun = runner.invoke(app, ["plan", str(out / "scenario.resolved.yaml"), "--out", str(tmp_path / "second")])
    assert rerun.exit_code == 0, rerun.output
    assert (out / "costs.csv").read_bytes() == (tmp_path / "second" / "costs.csv").read_bytes()


def test_ctrl_c_stops_cleanly_and_writes_nothing(tmp_path):
    out = tmp_path / "interrupted"
    code = (
        "import time, sys\n"
        "import fleet_planner.optimisation.solve as s\n"
        "def hang(a, o, c):\n    s._worker_setup(o['parent_pid']); time.sleep(60)\n"
        "s._highs_worker = hang\n"
        "from fleet_planner.cli import app\n"
        f"app(['plan', {str(TINY)!r}, '--out', {str(out)!r}])\n"
    )
    # as from a terminal, even when the tests run in the background (where SIGINT is ignored)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert not out.exists()
    assert not list(Path(tmp_path).glob(".interrupted.partial-*"))
