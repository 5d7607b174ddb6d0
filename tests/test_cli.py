"""The CLI end to end on the tiny case: plan, evaluate a user's plan, compare, report."""

from __future__ import annotations

import pandas as pd
from conftest import TINY
from typer.testing import CliRunner

from fleet_planner.cli import app

runner = CliRunner()


def test_plan_writes_tables_and_summary(tmp_path):
    out = tmp_path / "r"
    result = runner.invoke(app, ["plan", str(TINY), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "NPV of total cost: 31,600 USD (baseline 40,000; saving 8,400)" in result.output
    assert "van: bought bev 10" in result.output
    for table in ("plan_by_year", "purchases", "conversions", "sales", "stock", "fleet", "activity", "energy",
                  "energy_by_fuel", "emissions", "costs", "cost_per_activity", "summary", "decisions"):
        assert (out / f"{table}.csv").is_file(), table
    assert (out / "scenario.resolved.yaml").is_file() and (out / "inputs" / "vehicles" / "segments.csv").is_file()


def test_evaluate_accepts_the_optimal_plan_and_lists_broken_rules(tmp_path):
    out = tmp_path / "r"
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(out)]).exit_code == 0
    ok = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(out / "decisions.csv")])
    assert ok.exit_code == 0, ok.output
    assert "NPV of total cost: 31,600 USD" in ok.output and "meets every rule" in ok.output
    # a user's plan: buy only 5 BEVs and sell every diesel van -> demand not met in each year
    plan = pd.read_csv(out / "decisions.csv")
    plan.loc[plan["kind"] == "purchase", "value"] = 5
    mine = tmp_path / "mine.csv"
    plan.to_csv(mine, index=False)
    bad = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(mine)])
    assert bad.exit_code == 1
    assert "2025 stock_negative" not in bad.output
    assert "2025 duty_time" in bad.output


def test_evaluate_rejects_a_malformed_plan(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("kind,segment,technology,year,value\npurchase,van,bev,2025,lots\nteleport,van,bev,2025,1\n")
    result = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(mine)])
    assert result.exit_code == 1
    assert "line 2, column value" in result.output and "unknown kind" in result.output
    assert "Traceback" not in result.output


def test_compare_prints_headlines_side_by_side(tmp_path):
    for name, rate in (("a", "0.0"), ("b", "0.08")):
        assert runner.invoke(app, ["plan", str(TINY), "--out", str(tmp_path / name),
                                   "--set", f"discount_rate={rate}"]).exit_code == 0
    result = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "A = tiny (a)" in result.output and "B = tiny (b)" in result.output and "31,600" in result.output
    assert "B - A" in result.output  # a difference column
    assert "tank-to-wheel" in result.output and "well-to-wheel" in result.output  # labelled scopes
    assert max(len(line) for line in result.output.splitlines()) <= 120


def test_report_command_and_language_check(tmp_path):
    out = tmp_path / "r"
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["report", str(out), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert (out / "report.es.html").is_file() and (out / "report.es.xlsx").is_file()  # beside the English ones
    wrong = runner.invoke(app, ["plan", str(TINY), "--out", str(tmp_path / "x"), "--report", "--lang", "fr"])
    assert wrong.exit_code == 1 and "not a report language" in wrong.output
    assert not (tmp_path / "x").exists()
