"""The proposal pack (issue 14): what to buy when, the cap drawn visibly, grants, the end-of-horizon
value apart, the MRV section, reports per language beside each other, user text as text; rendered in
a headless Chromium in en, es and ja (the shipped bus scenario, solved once)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.reporting import report
from fleet_planner.reporting.actions import action_rows
from fleet_planner.reporting.i18n import LANGUAGES, translator
from fleet_planner.reporting.summary import actions_sentence

ROOT = Path(__file__).resolve().parent.parent
BUS = ROOT / "scenarios" / "senior-bus-santiago.yaml"
TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--virtual-time-budget=15000")
NEW_SECTIONS = ("actions", "grants", "end_value", "mrv")


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def bus_dir(tmp_path_factory) -> Path:
    """The bus scenario planned, its e-minibus project's MRV computed, reports in every language."""
    folder = tmp_path_factory.mktemp("bus") / "result"
    done = run("plan", BUS, "--out", folder)
    assert done.exit_code == 0, done.output
    done = run("mrv", folder, "--project", "minibus_senior:bev:2026-2030", "--mrv-data", ROOT / "mrv")
    assert done.exit_code == 0, done.output
    assert "not an approved JCM methodology" in done.output
    for lang in LANGUAGES:
        assert run("report", folder, "--lang", lang).exit_code == 0
    return folder


def test_each_language_has_its_own_files(bus_dir):
    names = {p.name for p in bus_dir.glob("report*")}
    assert names == {"report.html", "report.xlsx", "report.es.html", "report.es.xlsx", "report.ja.html",
                     "report.ja.xlsx"}
    english = pd.read_excel(bus_dir / "report.xlsx", sheet_name=None)
    spanish = pd.read_excel(bus_dir / "report.es.xlsx", sheet_name=None)
    assert "purchases" in english and "purchases_count" in english["purchases"].columns  # en: the table names
    assert "compras" in spanish and "compras [vehículos]" in spanish["compras"].columns
    assert "mrv_por_año" in spanish and "MRV年別" in pd.ExcelFile(bus_dir / "report.ja.xlsx").sheet_names
    assert "mrv_yearly" in english  # the MRV sheets: summary, yearly ER, parameters, monitoring, inputs
    assert english["mrv_summary"]["method"].iloc[0].endswith("(not an approved JCM methodology)")


def test_report_sections_in_order_and_mrv_label(bus_dir):
    html = (bus_dir / "report.html").read_text(encoding="utf-8")
    order = [html.index(f'<section id="{key}">') for key in ("summary", "actions", "headline", "charts")]
    assert order == sorted(order)
    for key in NEW_SECTIONS:
        assert f'<section id="{key}">' in html, key
    assert "not an approved JCM methodology" in html
    assert "Cost-effectiveness = grant / (yearly ER × legal useful life)" in html
    assert "jcm_model_project" in html  # grants by rule


def test_spanish_axes_do_not_use_si_suffixes(bus_dir):
    html = (bus_dir / "report.es.html").read_text(encoding="utf-8")
    assert '"exponentformat":"none"' in html.replace(" ", "")
    assert '"separators":",."' in html.replace(" ", "")


def test_catalogue_labels_are_translated():
    for lang, text in (("es", "Gas natural con contrato mayorista"), ("ja", "大口契約の天然ガス")):
        assert translator(lang).fuel("cng_bulk").startswith(text)
        assert translator(lang).segment("minibus_senior") != "Municipal minibus, 20-30 seats"


def test_summary_points_to_the_action_table():
    purchases = pd.DataFrame([[2026 + i, f"seg{i}", "bev", 1.0] for i in range(9)],
                             columns=["year", "segment", "technology", "purchases_count"])
    sentence = actions_sentence({"purchases": purchases}, translator("en"))
    assert "3 more actions, all listed in the table “What to buy when” below" in sentence
    assert "and and" not in sentence


def test_action_rows_keep_conversions_sales_and_builds_apart():
    tables = {
        "purchases": pd.DataFrame([[2026, "t", "bev", 2.0]], columns=["year", "segment", "technology",
                                                                     "purchases_count"]),
        "conversions": pd.DataFrame([["t", "diesel", "ddf", 2015, 2026, 41.0]],
                                    columns=["segment", "from_technology", "to_technology", "model_year", "year",
                                             "conversions_count"]),
        "sales": pd.DataFrame([[2026, "t", "diesel", 2010, 20.0], [2026, "t", "diesel", 2011, 13.0]],
                              columns=["year", "segment", "technology", "model_year", "sales_count"]),
        "infrastructure": pd.DataFrame([[2026, "charger", 1.0]], columns=["year", "infrastructure", "builds_count"]),
    }
    rows = action_rows(tables)
    assert [(r["kind"], r["count"]) for r in rows] == [("buy", 2.0), ("convert", 41.0), ("sell", 33.0),
                                                       ("build", 1.0)]


def test_cap_is_drawn_under_the_plan_with_an_allowed_area(bus_dir):
    from fleet_planner.reporting.charts import figures

    tables = report.read_result_tables(bus_dir)
    fig = figures(tables, {}, {}, translator("en"))["emissions"]
    by_id = {trace.meta["id"]: trace for trace in fig.data}
    assert by_id["cap_area"].fill == "tozeroy"
    assert by_id["cap"].line.width > by_id["plan"].line.width  # visible where the plan sits on the cap
    ids = [trace.meta["id"] for trace in fig.data]
    assert ids.index("cap") < ids.index("plan")  # the plan line is drawn on top


def test_no_cjk_font_warns_how_to_install(bus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "has_cjk_font", lambda: False)
    lines: list[str] = []
    from fleet_planner.loading.catalogue import load_catalogue
    from fleet_planner.loading.scenario import load_scenario

    tables = report.read_result_tables(bus_dir)
    scenario = load_scenario(bus_dir / "scenario.resolved.yaml")
    catalogue = load_catalogue(bus_dir / "inputs" / "vehicles", bus_dir / "inputs" / "fuels")
    report.write_report(tables, scenario, catalogue, tmp_path, lang="ja", log=lines.append)
    assert any("fonts-ipafont-gothic" in line for line in lines)


def test_a_scenario_name_with_html_is_text(bus_dir, tmp_path):
    from fleet_planner.loading.catalogue import load_catalogue
    from fleet_planner.loading.scenario import load_scenario

    name = '<script>document.title="owned"</script><b>Bold</b> & co'
    scenario = load_scenario(bus_dir / "scenario.resolved.yaml")
    scenario = scenario.model_copy(update={"name": name})
    tables = dict(report.read_result_tables(bus_dir))
    tables["summary"] = tables["summary"].assign(scenario=name)
    tables["mrv_summary"] = tables["mrv_summary"].assign(project=name)
    catalogue = load_catalogue(bus_dir / "inputs" / "vehicles", bus_dir / "inputs" / "fuels")
    report.write_report(tables, scenario, catalogue, tmp_path, log=lambda _m: None)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<b>Bold</b>" not in html and '<script>document.title="owned"' not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    dom = browse(["--dump-dom", (tmp_path / "report.html").as_uri()], tmp_path / "profile").stdout
    assert "<title>Fleet transition plan: &lt;script&gt;" in dom  # shown as text, never run
    assert "owned" not in dom.split("</title>")[0].split("<title>")[0]
    assert re.search(r'data-js-errors="0"', dom)


# ---------------------------------------------------------------- in a headless browser

def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("no chromium on PATH")
    raise AssertionError


def browse(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), *BROWSER_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_new_sections_render_without_javascript_errors(bus_dir, lang, tmp_path):
    page = bus_dir / report.output_name("report.html", lang)
    dom = browse(["--dump-dom", page.as_uri()], tmp_path / "profile").stdout
    errors = re.search(r'data-js-errors="(\d+)"', dom)
    assert errors and errors.group(1) == "0", re.search(r'data-js-error-messages="[^"]*"', dom)
    for key in NEW_SECTIONS:
        assert f'<section id="{key}">' in dom, key
    for chart in ("actions", "grants", "emissions"):
        assert 'class="main-svg"' in dom.split(f'id="chart-{chart}"', 1)[1][:20_000], chart


@pytest.mark.browser
def test_screenshot_of_the_japanese_report(bus_dir, tmp_path):
    shot = tmp_path / "report.ja.png"
    done = browse(["--hide-scrollbars", "--window-size=1200,2400", f"--screenshot={shot}",
                   (bus_dir / "report.ja.html").as_uri()], tmp_path / "profile")
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 2400)
    assert len(data) > 100_000  # text, the action chart and its table, not a blank page


@pytest.mark.browser
def test_compare_report_overlays_the_scenarios(bus_dir, tmp_path):
    other = tmp_path / "copy"
    shutil.copytree(bus_dir, other)
    page = tmp_path / "compare.html"
    done = run("compare", bus_dir, other, "--report", page)
    assert done.exit_code == 0, done.output
    assert "B - A" in done.output and "tank-to-wheel" in done.output and "well-to-wheel" in done.output
    dom = browse(["--dump-dom", page.as_uri()], tmp_path / "profile").stdout
    assert re.search(r'data-js-errors="0"', dom)
    for chart in ("fleet", "emissions", "cost"):
        assert 'class="main-svg"' in dom.split(f'id="chart-compare-{chart}"', 1)[1][:20_000], chart


def test_print_css_hides_toolbars_and_wraps_tables(bus_dir):
    html = (bus_dir / "report.html").read_text(encoding="utf-8")
    printed = html.split("@media print", 2)[2]  # the proposal sheet's print rules
    assert ".modebar" in printed and "display: none" in printed
    assert "white-space: normal" in printed and "break-inside: avoid" in printed
    assert "beforeprint" in html  # charts are fitted to the page before printing


@pytest.mark.browser
def test_report_pdf_through_headless_chromium(bus_dir, tmp_path):
    chromium()
    folder = tmp_path / "r"
    shutil.copytree(bus_dir, folder)
    done = run("report", folder, "--pdf")
    assert done.exit_code == 0, done.output
    data = (folder / "report.pdf").read_bytes()
    assert data[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 8  # the whole report, on A4 pages


# ---------------------------------------------------------------- small things (item 10)

@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny") / "result"
    assert run("plan", TINY, "--out", folder).exit_code == 0
    return folder


def test_result_folder_is_readable_like_other_files(tiny_dir):
    import os

    umask = os.umask(0)
    os.umask(umask)
    assert tiny_dir.stat().st_mode & 0o777 == 0o777 & ~umask  # not the staging folder's 0700


def test_counts_are_written_as_integers(tiny_dir):
    assert (tiny_dir / "purchases.csv").read_text().splitlines()[1].startswith("2025,van,bev,10,")
    assert ",10\n" in (tiny_dir / "fleet.csv").read_text()


def test_cost_per_activity_shows_the_baseline_technology_the_plan_drops(tiny_dir):
    from fleet_planner.reporting.charts import figures

    tables = report.read_result_tables(tiny_dir)
    assert set(tables["cost_per_activity"]["technology"]) == {"bev"}  # the plan sells its diesel vans
    fig = figures(tables, {}, {}, translator("en"))["cost_per_activity"]
    names = [trace.name for trace in fig.data]
    assert any(name.endswith("(baseline)") for name in names), names


def test_one_colour_one_meaning():
    """Cost groups and grants never take a colour a technology or fuel of the catalogue uses."""
    from fleet_planner.reporting.charts.costs import COST_GROUP_STYLES
    from fleet_planner.reporting.charts.financing import CASH_FLOW_STYLES
    from fleet_planner.reporting.charts.grants import GRANT_COLORS

    def rgb(code: str) -> tuple[int, ...]:
        return tuple(int(code[i:i + 2], 16) for i in (1, 3, 5))

    catalogue = [*pd.read_csv(ROOT / "vehicles" / "technology_types.csv")["color"],
                 *pd.read_csv(ROOT / "fuels" / "fuels.csv")["color"]]
    money = [color for color, _pattern in [*COST_GROUP_STYLES.values(), *CASH_FLOW_STYLES.values()]] + list(GRANT_COLORS)
    for color in money:
        nearest = min(sum((a - b) ** 2 for a, b in zip(rgb(color), rgb(c), strict=True)) ** 0.5 for c in catalogue)
        assert nearest >= 55, color


# ---------------------------------------------------------------- long solves (item 9)

def test_ctrl_c_on_a_solve_with_a_plan_keeps_it_marked_interrupted(tmp_path):
    """The plan's solver finds its plan and then hangs (as on a long solve); Ctrl-C keeps the plan."""
    import json
    import signal
    import sys
    import time

    out = tmp_path / "kept"
    code = (
        "import time\n"
        "import fleet_planner.optimisation.solve as s\n"
        "import fleet_planner.pipeline as p\n"
        "real = s._highs_worker\n"
        "class Held:\n"
        "    def __init__(self, conn): self.conn = conn\n"
        "    def send(self, message):\n"
        "        kind, data = message\n"
        "        if kind == 'final':\n"
        "            self.conn.send(('incumbent', (data['objective'], data['objective'] * 0.9, data['values'])))\n"
        "            time.sleep(60)\n"
        "        self.conn.send(message)\n"
        "def held(arrays, options, conn): real(arrays, options, Held(conn))\n"
        "plain = p.solve_inputs\n"
        "def plan_solve(*args, **kwargs):\n"
        "    if 'progress' in kwargs: s._highs_worker = held\n"  # the plan's solve, not the baselines'
        "    return plain(*args, **kwargs)\n"
        "p.solve_inputs = plan_solve\n"
        "from fleet_planner.cli import app\n"
        f"app(['plan', {str(TINY)!r}, '--out', {str(out)!r}])\n"
    )
    # as from a terminal: a test run started in the background (`make test &`) ignores SIGINT, and a
    # child started so ignores Ctrl-C too (the shell's convention, which Python keeps)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    seen = ""
    while "plan found after" not in seen and time.time() < deadline:
        seen += process.stderr.readline()
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, seen + stderr
    assert "Traceback" not in stderr and "best plan found so far was written" in stderr
    run_json = json.loads((out / "run.json").read_text())
    assert run_json["interrupted"] is True and run_json["status"] == "feasible"
    assert run_json["mip_gap"] == pytest.approx(0.1, rel=1e-6)  # bound 0.9 x the plan's cost
    assert "interrupted (Ctrl-C)" in run_json["message"]
    assert any("interrupted" in w for w in run_json["warnings"])
    assert (out / "purchases.csv").is_file() and "Status: feasible" in stdout


def test_heartbeat_reports_elapsed_bound_and_gap(monkeypatch):
    import time

    import numpy as np

    import fleet_planner.optimisation.solve as s
    from fleet_planner.loading import load_and_check
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.optimisation.build import build_model
    from fleet_planner.optimisation.inputs import prepare_inputs

    scenario = load_scenario(TINY)
    catalogue, _ = load_and_check(scenario)
    model = build_model(prepare_inputs(scenario, catalogue))

    def slow(arrays, options, conn):  # a solver that improves once, reports its bound, then works on
        s._worker_setup(options["parent_pid"])
        conn.send(("incumbent", (10.0, 5.0, np.zeros(len(arrays["col_cost"])))))
        time.sleep(0.5)
        conn.send(("progress", (10.0, 8.0)))
        time.sleep(2.5)
        conn.send(("final", {"status": "optimal", "objective": 10.0, "bound": 9.99, "gap": 0.001, "values": None}))

    monkeypatch.setattr(s, "_highs_worker", slow)
    monkeypatch.setattr(s, "HEARTBEAT_S", 1.0)
    beats = []
    s.solve(model, on_heartbeat=lambda *beat: beats.append(beat))
    assert beats, "no heartbeat during a 3 s solve"
    elapsed, objective, bound, gap = beats[-1]
    assert elapsed >= 1.0 and objective == 10.0 and bound == 8.0 and gap == pytest.approx(0.2)
