"""The analysis commands end to end: folders, pages in en/es/ja (autoescaped, no missing text, and in a
headless Chromium without JavaScript errors), workbooks, and clear errors with exit code 1."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.reporting.i18n import LANGUAGES

TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"
HOSTILE = "<script>alert(1)</script>"
ONE_YEAR = ["--set", "fleet=[]", "--set", "horizon_last_year=2025", "--set", "demand.van.technologies=[diesel, bev]",
            "--set", "fuels.price_multipliers.diesel=0.5", "--set", f"name={HOSTILE}"]
COMMANDS = {
    "frontier": ["frontier", str(TINY), "--points", "3", *ONE_YEAR],
    "sensitivity": ["sensitivity", str(TINY), "--range", "fuel.diesel=0.8:1.2", *ONE_YEAR],
    "alternatives": ["alternatives", str(TINY), "--slack", "0.1", "--set", f"name={HOSTILE}"],
}
runner = CliRunner()


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each command run once per language (sensitivity without the break-even search but for English)."""
    found = {}
    for kind, args in COMMANDS.items():
        for lang in LANGUAGES:
            out = tmp_path_factory.mktemp(f"{kind}-{lang}") / "out"
            extra = ["--no-break-even"] if kind == "sensitivity" and lang != "en" else []
            done = runner.invoke(app, [*args, *extra, "--out", str(out), "--lang", lang])
            assert done.exit_code == 0, done.output
            found[kind, lang] = out
    return found


def page(folder: Path, kind: str, lang: str) -> Path:
    return folder / (f"{kind}.html" if lang == "en" else f"{kind}.{lang}.html")


@pytest.mark.parametrize("kind", list(COMMANDS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_and_workbook_are_written_and_escaped(folders, kind, lang):
    folder = folders[kind, lang]
    html = page(folder, kind, lang).read_text(encoding="utf-8")
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="chart"' in html
    book = folder / (f"{kind}.xlsx" if lang == "en" else f"{kind}.{lang}.xlsx")
    sheets = pd.read_excel(book, sheet_name=None)
    assert len(sheets) >= 2  # the analysis's tables and the settings


def test_frontier_folder_holds_every_point(folders):
    folder = folders["frontier", "en"]
    frontier = pd.read_csv(folder / "frontier.csv")
    assert frontier["npv_cost"].tolist() == pytest.approx([20_000, 23_600, 27_200])  # 10 diesel at 2,000 -> 10 BEV
    decisions = pd.read_csv(folder / "frontier_decisions.csv")
    assert sorted(decisions["point"].unique()) == [1, 2, 3]


def test_sensitivity_uses_the_given_range(folders):
    inputs = pd.read_csv(folders["sensitivity", "en"] / "sensitivity_inputs.csv").set_index("input")
    assert inputs.loc["fuel.diesel", ["low_value", "high_value"]].tolist() == pytest.approx([0.4, 0.6])
    assert inputs.loc["fuel.diesel", "basis"] == "given with --range"
    assert inputs.loc["capex.bev", "basis"] == "grade D"
    assert not pd.read_csv(folders["sensitivity", "en"] / "break_evens.csv").empty


@pytest.mark.parametrize(("args", "expected"), [
    (["frontier", str(TINY), "--points", "1"], "--points 1"),
    (["alternatives", str(TINY), "--slack", "-0.05"], "--slack -0.05"),
    (["sensitivity", str(TINY), "--range", "fuel.diesel=1.3:0.8"], "swap them"),
    (["sensitivity", str(TINY), "--range", "fuel.diesel=1:1"], "the range is empty"),
    (["sensitivity", str(TINY), "--range", "fuel.diesel=cheap"], "NAME=LOW:HIGH"),
    (["sensitivity", str(TINY), "--set", "capex_multipliers={tram: 2}"], "unknown technology 'tram'"),
])
def test_bad_input_is_a_clear_error(args, expected, tmp_path):
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert done.exit_code == 1, done.output
    assert expected in done.output and "Traceback" not in done.output


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(COMMANDS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_render_in_chromium_without_errors(folders, kind, lang, tmp_path):
    from tests.test_report import run_browser

    done = run_browser(["--dump-dom", page(folders[kind, lang], kind, lang).as_uri()], tmp_path / "profile")
    dom = done.stdout
    assert "<body" in dom, done.stderr[-2000:]
    errors = re.search(r'data-js-errors="(\d+)"', dom)
    assert errors and errors.group(1) == "0", re.search(r'data-js-error-messages="[^"]*"', dom)
    charts = re.findall(r'id="chart-([a-z_]+)"', dom)
    assert charts
    for name in charts:
        assert 'class="main-svg"' in dom.split(f'id="chart-{name}"', 1)[1][:20_000], f"chart {name} did not render"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_frontier_page_with_a_cap_that_leaves_years_open(lang):
    """A cap that does not cover every reported year: the own plan is named without a total."""
    from html import unescape

    from fleet_planner.reporting.analysis_pages import AnalysisMeta, render_analysis_page
    from fleet_planner.reporting.i18n import MESSAGES, translator

    frontier = pd.DataFrame({"point": [1, 2], "emission_limit_tco2e": [None, 0.0], "emissions_tco2e": [100.0, 0.0],
                             "npv_cost": [12_000.0, 27_200.0], "marginal_abatement_cost_per_tco2e": [None, 152.0],
                             "entering": ["", "bev"], "leaving": ["", "diesel"], "purchases_bev_count": [0.0, 10.0],
                             "solver_status": ["optimal"] * 2, "mip_gap": [0.0, 0.0], "currency": ["USD"] * 2})
    target = pd.DataFrame([{"plan": "scenario_targets", "emissions_tco2e": 60.0, "npv_cost": 18_000.0,
                            "target_tco2e": float("nan"), "currency": "USD"}])
    meta = AnalysisMeta("tiny", "USD", 2025, 2025, "ttw", notes=["frontier.note_partial_cap"])
    html = unescape(render_analysis_page("frontier", {"frontier": frontier, "frontier_target": target}, meta,
                                         translator(lang), {}))
    assert MESSAGES[lang]["frontier.note_partial_cap"] in html
    t = translator(lang)
    own = t("frontier.own_sentence_no_total", emissions=t.number(60.0, 1), cost=t.number(18_000), currency="USD")
    assert own in html
    assert t("frontier.mac_range", low=t.number(152), high=t.number(152), currency="USD") in html
