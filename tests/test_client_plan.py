"""A client's own plan (fleet decisions only): fixed in the model, run as well as the rules allow,
accounted by the evaluator, compared with the optimum. Hand-computed on the tiny case (10 diesel
vans of 2020, 100,000 km a year, 2025-2027; a van does at most 10,000 km a year; diesel 1 kg
CO2e/km, BEV 0; energy 0.2 USD/km diesel, 0.072 USD/km BEV)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY
from typer.testing import CliRunner

from fleet_planner.analysis.client_plan import evaluate_client_plan
from fleet_planner.cli import app
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.client_plan import read_client_plan
from fleet_planner.schemas.client_plan import FLEET_KINDS

runner = CliRunner()
HEADER = "kind,year,segment,technology,to_technology,model_year,infrastructure,count\n"
CHEAP_DIESEL_CAP = ("fuels.price_multipliers.diesel=0.1", "policy.emission_cap={tco2e: {2025: 50, 2026: 40}}")


def write_plan(tmp_path: Path, rows: str, name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def fleet_decisions_of(result, tmp_path: Path) -> Path:
    """The optimum's fleet decisions only (no activity, fuel or grant claims), as a client would write them."""
    long = result.decisions.to_long()
    long = long[long["kind"].isin(FLEET_KINDS)].rename(columns={"value": "count"})
    path = tmp_path / "optimum-fleet-decisions.csv"
    long[["kind", "year", "segment", "technology", "to_technology", "model_year", "infrastructure", "count"]] \
        .to_csv(path, index=False)
    return path


def emissions_by_year(result) -> dict[int, float]:
    return result.evaluation.emissions_by_year


# ---------------------------------------------------------------- the figures

def test_a_hand_built_plan_equal_to_the_optimum_costs_the_optimum(tiny, tmp_path):
    # the optimum (test_model_tiny): buy 10 BEV in 2025, sell the 10 diesel vans: 31,600 USD, 0 t
    plan = write_plan(tmp_path, "purchase,2025,van,bev,,,,10\nsale,2025,van,diesel,,2020,,10\n")
    result = evaluate_client_plan(tiny(), read_client_plan(plan))
    assert result.evaluation.npv_cost == pytest.approx(31_600, rel=1e-9)
    assert result.violations.empty
    assert result.summary["plan_kind"] == "client plan" and result.summary["meets_rules"]
    assert sum(emissions_by_year(result).values()) == pytest.approx(0.0, abs=1e-9)


DDF_CASE = ("policy.allow_sales=false", "fuels.price_multipliers.cng=0.5", "demand.van.technologies=[diesel, ddf]")


@pytest.mark.parametrize("overrides", [(), CHEAP_DIESEL_CAP, DDF_CASE])
def test_the_optimums_fleet_decisions_reproduce_its_cost_and_dispatch(plan_tiny, tiny, tmp_path, overrides):
    optimum = plan_tiny(*overrides)
    client = evaluate_client_plan(tiny(*overrides), read_client_plan(fleet_decisions_of(optimum, tmp_path)))
    assert client.evaluation.npv_cost == pytest.approx(optimum.evaluation.npv_cost, rel=1e-7, abs=1e-6)
    for year, tco2e in emissions_by_year(optimum).items():
        assert emissions_by_year(client)[year] == pytest.approx(tco2e, rel=1e-7, abs=1e-6), year
    assert client.violations.empty


def test_the_mixed_optimum_is_reproduced_by_its_decisions_only(plan_tiny, tiny, tmp_path):
    # cheap diesel (0.02 USD/km) and a cap of 50 t in 2025, 40 t in 2026-27: the optimum keeps some diesel
    optimum = plan_tiny(*CHEAP_DIESEL_CAP)
    assert optimum.tables["fleet"].query("technology == 'diesel'")["stock_count"].sum() > 0
    client = evaluate_client_plan(tiny(*CHEAP_DIESEL_CAP), read_client_plan(fleet_decisions_of(optimum, tmp_path)))
    energy = ["year", "segment", "technology", "fuel"]
    mine = client.tables["energy"].set_index(energy)["energy_gj"].sort_index()
    theirs = optimum.tables["energy"].set_index(energy)["energy_gj"].sort_index()
    pd.testing.assert_series_equal(mine, theirs, rtol=1e-7, atol=1e-6)


def test_the_tool_runs_the_fleet_a_decisions_only_plan_leaves_open(tiny, tmp_path):
    # buy 3 BEV and keep the 10 diesel vans: 13 vans for 10 vans of work. The BEVs are cheaper to run
    # (0.072 vs 0.2 USD/km), so they do 3 x 10,000 km and the diesels 70,000 km: 70 t a year, not 100.
    plan = write_plan(tmp_path, "purchase,2025,van,bev,,,,3\n")
    result = evaluate_client_plan(tiny(), read_client_plan(plan))
    for year in (2025, 2026, 2027):
        assert emissions_by_year(result)[year] == pytest.approx(70.0, rel=1e-9)
    activity = result.tables["activity"].groupby("technology")["activity_au"].sum()
    assert activity["bev"] == pytest.approx(90_000) and activity["diesel"] == pytest.approx(210_000)
    assert result.violations.empty


def test_a_plan_that_breaks_the_cap_reports_the_year_and_the_excess(tiny, tmp_path):
    # 5 BEV and 5 diesel vans: 50 t a year against a cap of 20 t from 2026 -> 30 t over in 2026 and 2027
    plan = write_plan(tmp_path, "purchase,2025,van,bev,,,,5\nsale,2025,van,diesel,,,,5\n")
    result = evaluate_client_plan(tiny("policy.emission_cap={tco2e: {2026: 20}}"), read_client_plan(plan))
    broken = result.violations
    assert list(broken["rule"]) == ["emission_cap", "emission_cap"]
    assert list(broken["year"]) == [2026, 2027]
    assert list(broken["amount"]) == pytest.approx([30.0, 30.0])
    assert set(broken["unit"]) == {"tCO2e"}
    # 5 BEV 100,000 - 5 diesel sold 25,000 + energy 3 x (50,000 km x 0.072 + 50,000 km x 0.2) - value left 80,000
    assert result.evaluation.npv_cost == pytest.approx(35_800, rel=1e-9)


def test_a_plan_that_cannot_serve_demand_reports_the_shortfall(tmp_path):
    plan = write_plan(tmp_path, "sale,2026,van,diesel,,2020,,10\n")  # everything sold in 2026, nothing bought
    out = tmp_path / "client"
    done = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(plan), "--out", str(out)])
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output
    violations = pd.read_csv(out / "violations.csv")
    demand = violations[violations["rule"] == "demand"]
    assert list(demand["year"]) == [2026, 2027]
    assert list(demand["amount"]) == pytest.approx([100_000, 100_000])
    assert set(demand["unit"]) == {"km"}
    summary = pd.read_csv(out / "summary.csv").iloc[0]
    assert summary["plan_kind"] == "client plan" and summary["rules_broken"] == len(violations)


# ---------------------------------------------------------------- files and errors

@pytest.mark.parametrize(("rows", "expected"), [
    ("purchase,2025,van,hovercraft,,,,2\n", ["line 2, column technology", "unknown technology 'hovercraft'",
                                            "the catalogue has diesel"]),
    ("purchase,2031,van,bev,,,,2\n", ["line 2, column year", "outside the horizon 2025-2027"]),
    ("sale,2025,van,diesel,,2019,,3\n", ["line 2", "there are none then", "fix the technology, the model year"]),
    ("sale,2025,van,diesel,,2020,,4\nsale,2026,van,diesel,,,,7\n", ["line 3", "the fleet has only 6"]),
    ("purchase,2025,van,bev,,,,-4\n", ["line 2, column count", "-4 is negative"]),
    ("purchase,2025,van,bev,,,,2.5\n", ["line 2, column count", "not a whole number"]),
    ("teleport,2025,van,bev,,,,1\n", ["line 2, column kind", "unknown kind 'teleport'"]),
    ("purchase,2025,van,ddf,,,,3\n", ["line 2", "buys van/ddf in 2025", "offers no such purchase"]),
    ("sale,2025,lorry,diesel,,2020,,1\n", ["line 2, column segment", "not a segment of the scenario"]),
])
def test_a_bad_plan_file_names_the_row_and_the_fix(tmp_path, rows, expected):
    plan = write_plan(tmp_path, rows)
    done = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(plan), "--out", str(tmp_path / "out")])
    assert done.exit_code == 1
    assert "Traceback" not in done.output
    for text in expected:
        assert text in done.output, done.output
    assert not (tmp_path / "out").exists()


def test_template_round_trip_through_excel(tmp_path, plan_tiny):
    optimum_dir = tmp_path / "optimum"
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(optimum_dir)]).exit_code == 0
    blank = tmp_path / "blank.csv"
    done = runner.invoke(app, ["template", "plan", str(TINY), "--out", str(blank)])
    assert done.exit_code == 0, done.output
    assert pd.read_csv(blank)["kind"].tolist() == ["purchase", "purchase", "purchase", "sale"]
    filled = tmp_path / "filled.xlsx"
    assert runner.invoke(app, ["template", "plan", str(TINY), "--out", str(filled), "--from",
                               str(optimum_dir)]).exit_code == 0
    done = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(filled)])
    assert done.exit_code == 0, done.output
    assert "NPV of total cost: 31,600 USD" in done.output and "meets every rule" in done.output


def test_a_complete_decisions_file_is_accounted_as_it_is(tmp_path):
    out = tmp_path / "r"
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(out)]).exit_code == 0
    plan = pd.read_csv(out / "decisions.csv")
    plan.loc[plan["kind"] == "purchase", "value"] = 5  # activity rows still claim 10 vans of work
    mine = tmp_path / "mine.csv"
    plan.to_csv(mine, index=False)
    done = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(mine)])
    assert done.exit_code == 1 and "2025 duty_time" in done.output


# ---------------------------------------------------------------- report and comparison

@pytest.fixture(scope="module")
def client_and_optimum(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("compare")
    cap = "policy.emission_cap={tco2e: {2026: 20}}"
    plan = root / "plan.csv"
    plan.write_text(HEADER + "purchase,2025,van,bev,,,,5\nsale,2025,van,diesel,,,,5\n", encoding="utf-8")
    client, optimum = root / "client", root / "optimum"
    done = runner.invoke(app, ["evaluate", str(TINY), "--plan", str(plan), "--out", str(client), "--report",
                               "--set", cap])
    assert done.exit_code == 1 and (client / "report.html").is_file(), done.output
    assert runner.invoke(app, ["plan", str(TINY), "--out", str(optimum), "--set", cap]).exit_code == 0
    return client, optimum


def test_the_client_report_is_marked_and_lists_the_broken_rules(client_and_optimum):
    client, _ = client_and_optimum
    html = (client / "report.html").read_text(encoding="utf-8")
    assert "Client plan evaluated: tiny" in html and "client&#39;s plan (plan.csv)" in html
    assert 'id="violations"' in html and "exceed the cap 20.0 tCO2e by 30.0" in html
    assert "breaks 2 rule(s): emission_cap in 2026–2027" in html


def test_compare_says_what_the_client_plan_costs_above_the_optimum(client_and_optimum, tmp_path):
    client, optimum = client_and_optimum
    page = tmp_path / "compare.html"
    done = runner.invoke(app, ["compare", str(client), str(optimum), "--report", str(page)])
    assert done.exit_code == 0, done.output
    # client 35,800 USD (5 BEV, 5 diesel), optimum 31,600 USD (10 BEV): 4,200 more, 13.3 %
    sentence = ("Over 2025–2027 the client's plan costs 4,200 USD more than the optimum (net present cost 35,800 "
                "against 31,600, +13.3%) and does not meet the scenario's rules: it breaks emission_cap in 2026–2027.")
    assert sentence in done.output
    assert "2025 purchase van/bev: 5 vs 10" in done.output
    assert "2025 sale van/diesel model year 2020: 5 vs 10" in done.output
    html = page.read_text(encoding="utf-8")
    assert sentence.replace("'", "&#39;") in html


def test_compare_page_in_every_language(client_and_optimum, tmp_path):
    from fleet_planner.reporting.client_compare import client_comparison
    from fleet_planner.reporting.compare_page import render_comparison

    comparison = client_comparison(*client_and_optimum)
    for lang in ("en", "es", "ja"):
        html = render_comparison(comparison, lang)
        assert f'<html lang="{lang}">' in html and "emission_cap" in html


def test_compare_report_without_a_client_plan_overlays_the_scenarios(client_and_optimum, tmp_path):
    _, optimum = client_and_optimum
    page = tmp_path / "x.html"
    done = runner.invoke(app, ["compare", str(optimum), str(optimum), "--report", str(page)])
    assert done.exit_code == 0, done.output
    assert "Client plan against the optimum" not in page.read_text(encoding="utf-8")
    assert "Scenarios side by side" in page.read_text(encoding="utf-8")


@pytest.mark.browser
def test_compare_page_renders_in_a_headless_browser(client_and_optimum, tmp_path):
    from test_report import run_browser

    client, optimum = client_and_optimum
    page = tmp_path / "compare.html"
    assert runner.invoke(app, ["compare", str(client), str(optimum), "--report", str(page)]).exit_code == 0
    done = run_browser(["--dump-dom", page.as_uri()], tmp_path / "profile")
    dom = done.stdout
    assert "<body" in dom, done.stderr[-2000:]
    errors = re.search(r'data-js-errors="(\d+)"', dom)
    assert errors and errors.group(1) == "0", re.search(r'data-js-error-messages="[^"]*"', dom)
    chart = dom.split('id="chart-client_vs_optimum"', 1)[1][:20_000]
    assert 'class="main-svg"' in chart


def test_reading_a_plan_twice_gives_the_same_decisions(tmp_path):
    plan = write_plan(tmp_path, "purchase,2025,van,bev,,,,2\npurchase,2025,van,bev,,,,3\nsale,2026,van,diesel,,,,1\n")
    read = read_client_plan(plan)
    assert read.decisions().purchases["count"].tolist() == [5.0]  # the same purchase on two rows adds up
    assert read.any_cohort["count"].tolist() == [1.0]
    with pytest.raises(ScenarioError):
        read_client_plan(write_plan(tmp_path, "", name="empty.csv").with_name("missing.csv"))
