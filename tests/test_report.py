"""The report: a self-contained HTML page in three languages, the Excel workbook, static images,
and (with a Chromium on PATH) the page rendered in a headless browser without JavaScript errors."""

from __future__ import annotations

import json
import re
import shutil
import string
import struct
import subprocess
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from fleet_planner.exceptions import FleetPlannerError
from fleet_planner.reporting import images, report
from fleet_planner.reporting.charts import CHART_NAMES
from fleet_planner.reporting.i18n import LANGUAGES, MESSAGES, MissingTranslationError, Translator, translator

TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--virtual-time-budget=15000")


@pytest.fixture(scope="session")
def tiny_result():
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    return optimise(load_scenario(TINY))


@pytest.fixture(scope="session")
def result_dir(tiny_result, tmp_path_factory) -> Path:
    """A result folder as `fleet-planner plan` writes it, with its report rebuilt from the CSVs."""
    from fleet_planner.reporting.results import write_plan_result

    folder = tmp_path_factory.mktemp("result") / "tiny"
    write_plan_result(tiny_result, folder, force=False)
    report.report_from_folder(folder, lang="en", log=lambda _m: None)
    return folder


@pytest.fixture(scope="session")
def reports(tiny_result, tmp_path_factory) -> dict[str, Path]:
    """The in-process report (as `plan --report` writes it) in every language: lang -> folder."""
    folders = {}
    for lang in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"report_{lang}")
        report.write_report(tiny_result.tables, tiny_result.scenario, tiny_result.catalogue, folder, lang=lang,
                            log=lambda _m: None)
        folders[lang] = folder
    return folders


def html_path(folder: Path) -> Path:
    """The report page of a folder: report.html (en) or report.<lang>.html."""
    return next(folder.glob("report*.html"))


def page(folder: Path) -> str:
    return html_path(folder).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """Visible text, roughly: tags dropped, entities decoded."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# ---------------------------------------------------------------- files and self-containment

def test_report_files_are_written(result_dir):
    assert (result_dir / "report.html").stat().st_size > 100_000
    assert (result_dir / "report.xlsx").is_file()
    assert not (result_dir / "images").exists()  # only with images=True


def test_a_folder_that_is_not_a_result_is_a_user_error(tmp_path):
    with pytest.raises(FleetPlannerError, match="not a result folder"):
        report.report_from_folder(tmp_path)


def test_html_is_self_contained(result_dir):
    html = page(result_dir)
    assert not re.search(r"<script[^>]+src=", html), "no external scripts"
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", html), "no external stylesheets"
    assert len(re.findall(r"\* plotly\.js v\d", html)) == 1, "plotly.js embedded exactly once"
    for name in CHART_NAMES:
        assert f'id="chart-{name}"' in html
    assert '<body data-js-errors="0">' in html


def test_summary_answers_in_three_sentences(result_dir):
    summary = text_of(page(result_dir).split('<section id="summary">')[1].split("</section>")[0])
    assert "What to do: buy 10 Battery electric for Test van in 2025; and sell 10 Diesel Test van early in 2025." \
        in summary
    assert "net present cost is 31,600 USD, 8,400 USD (21%) less than the baseline's 40,000 USD." in summary
    assert "Emissions (tank-to-wheel) over 2025–2027 total 0 tCO2e, 300 tCO2e (100%) below the baseline's " \
           "300 tCO2e; no emission cap was set." in summary


def test_summary_reports_a_cap_that_is_met(tmp_path):
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    capped = optimise(load_scenario(TINY, overrides=["fuels.price_multipliers.diesel=0.1",
                                                      "policy.emission_cap={tco2e: {2026: 50}}"]))
    report.write_report(capped.tables, capped.scenario, capped.catalogue, tmp_path, log=lambda _m: None)
    html = page(tmp_path)
    assert "the plan stays within the emission cap in every capped year" in html
    assert "more than the baseline" in html  # the cap costs money
    assert "per tCO2e avoided" in html


def test_key_tables_and_headline_figures(result_dir):
    text = text_of(page(result_dir))
    for heading in ("Headline figures vs baseline", "Plan by year", "Emissions vs cap and baseline",
                    "Costs by category [USD]", "Cost per unit of activity by technology"):
        assert heading in text
    assert "Net present cost [USD] 31,600 40,000 -8,400" in text
    assert "0.272 USD/km" in text


def test_appendix_lists_every_catalogue_value_with_source_and_grade(result_dir, tiny_result):
    html = page(result_dir)
    appendix = text_of(html.split('<section id="appendix">')[1])
    for source in ("tiny_test", "tiny_fuels"):
        assert source in appendix
    assert "Invented round numbers for hand-checkable tests (not real data)" in appendix
    for file in ("vehicles/technologies.csv", "vehicles/technology_years.csv", "fuels/fuels.csv",
                 "fuels/prices.csv", "fuels/emission_factors.csv"):
        assert file in appendix
    assert "discount_rate: 0.0" in appendix  # scenario settings
    assert "vehicles_catalogue: inputs/vehicles" in appendix  # no local paths in a hand-over
    used = report.used_catalogue_rows(tiny_result.scenario, tiny_result.catalogue)
    assert set(used["technology_years"]["technology"]) == {"diesel", "cng", "bev"}
    assert set(used["fuels"]["fuel"]) == {"diesel", "cng", "electricity_grid"}  # no hydrogen: no fcev in van
    assert (used["technology_years"]["grade"] == "D").all()


# ---------------------------------------------------------------- languages

def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_message_exists_in_every_language_with_the_same_fields():
    english = MESSAGES["en"]
    for lang in LANGUAGES:
        assert set(MESSAGES[lang]) == set(english), lang
        for key, template in MESSAGES[lang].items():
            assert _fields(template) == _fields(english[key]), (lang, key)


def test_a_missing_key_raises():
    with pytest.raises(MissingTranslationError, match="no 'es' text"):
        translator("es")("chart.no_such_chart")


def test_an_unknown_language_is_a_user_error():
    with pytest.raises(FleetPlannerError, match="en, es, ja"):
        translator("fr")


def test_numbers_follow_the_language():
    assert translator("en").number(1234567.891, 1) == "1,234,567.9"
    assert translator("es").number(1234567.891, 1) == "1.234.567,9"
    assert translator("es").percent(0.213) == "21 %"
    assert translator("en").number(-0.0001) == "0"
    assert Translator("en").years([2025, 2026, 2027, 2030]) == "2025–2027, 2030"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_renders_without_missing_keys(reports, lang):
    html = page(reports[lang])
    assert f'<html lang="{lang}">' in html
    for key in ("section.summary", "section.appendix", "table.plan_by_year"):
        assert MESSAGES[lang][key] in text_of(html), key
    assert json.dumps(MESSAGES[lang]["chart.fleet_composition"]) in html  # chart titles sit in plotly's JSON
    assert (reports[lang] / report.output_name("report.xlsx", lang)).is_file()


def test_spanish_and_japanese_summaries_are_translated(reports):
    assert "comprar 10 Eléctrico a batería para Test van en 2025" in page(reports["es"])
    assert "31.600 USD" in page(reports["es"])
    assert "2025年にTest van向けバッテリー電気（BEV）を10台購入" in page(reports["ja"])


# ---------------------------------------------------------------- workbook

def test_workbook_reads_back_equal_to_the_csv_tables(result_dir, reports):
    csv_tables = report.read_result_tables(result_dir)
    for folder in (result_dir, reports["en"]):
        sheets = pd.read_excel(folder / "report.xlsx", sheet_name=None)
        assert set(sheets) == {*csv_tables, "assumptions"}
        for name, expected in csv_tables.items():
            got = sheets[name]
            assert list(got.columns) == list(expected.columns), name
            if expected.empty:
                assert got.empty, name
                continue
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, atol=1e-6,
                                          obj=f"sheet {name}")


def test_workbook_has_an_assumptions_sheet_with_sources_and_grades(result_dir):
    assumptions = pd.read_excel(result_dir / "report.xlsx", sheet_name="assumptions")
    assert list(assumptions.columns) == list(report.ASSUMPTION_COLUMNS)
    price = assumptions[(assumptions["table"] == "technology_years") & (assumptions["key"] == "van / bev / 2025")
                        & (assumptions["field"] == "purchase_price")]
    assert price["value"].astype(float).tolist() == [20000]
    assert price["grade"].tolist() == ["D"]
    assert price["citation"].str.contains("Invented round numbers").all()
    assert "discount_rate" in set(assumptions.loc[assumptions["table"] == "scenario", "field"])


def test_workbook_sheets_are_frozen_with_one_header_row(result_dir):
    from openpyxl import load_workbook

    book = load_workbook(result_dir / "report.xlsx")
    assert book.sheetnames[:3] == ["summary", "plan_by_year", "fleet"]
    assert book.sheetnames[-1] == "assumptions"
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2"


# ---------------------------------------------------------------- static images

def test_images_without_chromium_log_one_line_and_the_rest_is_written(tiny_result, tmp_path, monkeypatch):
    monkeypatch.setattr(images, "find_chromium", lambda: None)
    lines: list[str] = []
    paths = report.write_report(tiny_result.tables, tiny_result.scenario, tiny_result.catalogue, tmp_path,
                                images=True, log=lines.append)
    assert [p.name for p in paths] == ["report.html", "report.xlsx"]
    assert len(lines) == 1
    assert "no Chromium found" in lines[0] and "plotly_get_chrome" in lines[0]


def test_images_are_png_svg_and_pdf(tiny_result, tmp_path):
    if report.find_chromium() is None:
        pytest.skip("no Chrome/Chromium for kaleido")
    from fleet_planner.reporting.charts import catalogue_colors, catalogue_patterns, figures

    cat = tiny_result.catalogue.tables
    charts = figures(tiny_result.tables, catalogue_colors(cat), catalogue_patterns(cat))
    chosen = {name: charts[name] for name in ("fleet_composition", "emissions")}  # two charts keep it quick
    paths = report.write_images(chosen, tmp_path / "images", log=pytest.fail)
    assert sorted(p.name for p in paths) == sorted(f"{n}.{f}" for n in chosen for f in ("png", "svg", "pdf"))
    assert (tmp_path / "images" / "emissions.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "images" / "emissions.svg").read_bytes()[:500]
    assert (tmp_path / "images" / "emissions.pdf").read_bytes()[:5] == b"%PDF-"


# ---------------------------------------------------------------- in a headless browser

def chromium() -> str:
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    pytest.skip("no chromium on PATH")
    raise AssertionError  # unreachable


def run_browser(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), *BROWSER_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_chart_renders_without_javascript_errors(reports, lang, tmp_path):
    done = run_browser(["--dump-dom", html_path(reports[lang]).as_uri()], tmp_path / "profile")
    dom = done.stdout
    assert "<body" in dom, done.stderr[-2000:]
    errors = re.search(r'data-js-errors="(\d+)"', dom)
    assert errors and errors.group(1) == "0", re.search(r'data-js-error-messages="[^"]*"', dom)
    for name in CHART_NAMES:
        chart = dom.split(f'id="chart-{name}"', 1)[1][:20_000]
        assert 'class="main-svg"' in chart, f"chart {name} did not render"


@pytest.mark.browser
def test_screenshot_is_a_real_picture(reports, tmp_path):
    shot = tmp_path / "report.png"
    done = run_browser(["--hide-scrollbars", "--window-size=1200,2000", f"--screenshot={shot}",
                        html_path(reports["en"]).as_uri()], tmp_path / "profile")
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 2000)
    assert len(data) > 50_000  # text and charts, not a blank page
