"""Monte Carlo sweeps (`fleet-planner uncertainty`) on the tiny case: seeded and identical on any
backend and worker count, resumable, hand-checkable, with clear errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import TINY
from typer.testing import CliRunner

from fleet_planner.analysis import backends
from fleet_planner.analysis.sampling import draw_sample, draw_samples, quantile
from fleet_planner.analysis.uncertain_inputs import UncertainInput, default_inputs
from fleet_planner.analysis.uncertainty import plan_sweep, run_sweep
from fleet_planner.cli import app
from fleet_planner.loading.checked import load_and_check
from fleet_planner.reporting.sweep_store import SweepStore

runner = CliRunner()
RESULT_FILES = ("samples.csv", "sample_years.csv", "percentiles.csv", "fan.csv", "sensitivity.csv",
                "uncertainty_summary.csv", "inputs.csv")
DIESEL_PLAN = "capex_multipliers={bev: 5, cng: 5}"
"""Electric and gas vans five times dearer: the tiny plan keeps its ten diesel vans."""


def run(*args: str):
    return runner.invoke(app, ["uncertainty", str(TINY), *args])


def diesel_ranges(tmp_path, low="0.5", high="1.5"):
    path = tmp_path / "ranges.csv"
    path.write_text("input_id,kind,low_multiplier,high_multiplier,distribution\n"
                    f"diesel,fuel_price,{low},{high},uniform\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- sampling

def test_a_sample_depends_on_the_seed_and_its_index_only():
    inputs = [UncertainInput("diesel", "fuel_price", 0.5, 2.0, "lognormal"),
              UncertainInput("bev", "capex", 0.8, 1.2, "triangular")]
    ten = draw_samples(inputs, 0.5, seed=7, samples=10)
    assert ten.iloc[:4].equals(draw_samples(inputs, 0.5, seed=7, samples=4))
    assert draw_sample(inputs, 0.5, 7, 9) == ten.iloc[9].drop("sample").to_dict()
    assert not ten.equals(draw_samples(inputs, 0.5, seed=8, samples=10))


def test_distributions_and_the_fuel_correlation():
    lognormal = UncertainInput("diesel", "fuel_price", 0.5, 2.0, "lognormal")
    assert quantile(lognormal, -1.6448536269514722) == pytest.approx(0.5)
    assert quantile(lognormal, 1.6448536269514722) == pytest.approx(2.0)
    triangular = UncertainInput("bev", "capex", 0.8, 1.4, "triangular")
    assert quantile(triangular, -40) == pytest.approx(0.8) and quantile(triangular, 40) == pytest.approx(1.4)
    assert quantile(triangular, 0.0) == pytest.approx(1.4 - np.sqrt(0.5 * 0.6 * 0.4))  # median of (0.8, 1, 1.4)
    fuels = [UncertainInput(f, "fuel_price", 0.5, 2.0, "lognormal") for f in ("diesel", "cng")]
    drawn = draw_samples([*fuels, UncertainInput("bev", "capex", 0.8, 1.2, "uniform")], 0.5, 1, 4000)
    logs = np.log(drawn[["fuel_price.diesel", "fuel_price.cng"]].to_numpy())
    assert np.corrcoef(logs.T)[0, 1] == pytest.approx(0.5, abs=0.05)
    assert abs(np.corrcoef(drawn["fuel_price.diesel"], drawn["capex.bev"])[0, 1]) < 0.05


def test_default_ranges_follow_the_catalogue_grades(tiny):
    scenario = tiny()
    catalogue, _ = load_and_check(scenario)
    inputs = {i.key: i for i in default_inputs(scenario, catalogue)}
    assert {"fuel_price.diesel", "capex.bev", "discount_rate"} <= set(inputs)
    assert all(i.low <= 1 <= i.high for i in inputs.values())
    assert inputs["discount_rate"].grade == "*"


# ---------------------------------------------------------------- hand check

def test_stress_test_of_a_diesel_plan_is_linear_in_the_diesel_price(tiny, tmp_path):
    """Ten diesel vans, 100,000 km a year at 10 MJ/km = 1,000 GJ/a of diesel at 20 USD/GJ, three
    years, no discounting: NPV = nominal + 60,000 x (m - 1) for a diesel price multiplier m, so P50 is
    nominal + 60,000 x (median m - 1). The baseline buys the same diesel vans: never beaten."""
    from fleet_planner.analysis.uncertain_inputs import read_inputs_file
    from fleet_planner.analysis.uncertainty_summary import sweep_tables

    sweep = plan_sweep(tiny(DIESEL_PLAN), samples=41, seed=3, inputs=read_inputs_file(diesel_ranges(tmp_path)))
    assert set(sweep.nominal.evaluation.tables["fleet"]["technology"]) == {"diesel"}
    nominal = sweep.nominal.summary["npv_cost"]
    records = run_sweep(sweep, {}, lambda _chunk: None)
    tables = sweep_tables(records, sweep.samples, sweep.inputs, mode="stress", seed=3, currency="USD")
    samples = tables["samples"]
    m = samples["fuel_price.diesel_multiplier"]
    assert m.between(0.5, 1.5).all()
    # the accounts round each cost entry to 6 decimals (byte-stable tables): a few 1e-6 in all
    assert np.allclose(samples["npv_cost"], nominal + 60_000 * (m - 1), rtol=0, atol=1e-5)
    p50 = tables["percentiles"].set_index("outcome").loc["npv_cost", "p50"]
    assert p50 == pytest.approx(nominal + 60_000 * (float(np.median(m)) - 1), abs=1e-5)
    assert tables["uncertainty_summary"].iloc[0]["probability_beats_baseline_share"] == 0.0


# ---------------------------------------------------------------- backends, resume

@pytest.fixture(scope="module")
def local_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    yield cluster.scheduler_address
    cluster.close()


def result_bytes(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in RESULT_FILES}


def test_same_seed_same_bytes_on_one_or_two_processes_and_on_dask(tmp_path, local_cluster):
    args = ["--samples", "40", "--seed", "0", "--set", "discount_rate=0.01"]
    one, two, dask = tmp_path / "one", tmp_path / "two", tmp_path / "dask"
    for out, extra in ((one, ["--workers", "1"]), (two, ["--workers", "2"]), (dask, ["--dask", local_cluster])):
        done = run(*args, "--out", str(out), *extra)
        assert done.exit_code == 0, done.output
    assert result_bytes(one) == result_bytes(two) == result_bytes(dask)
    assert not (tmp_path / ".one.sweep").exists()


def test_sensitivity_indices_are_reproducible_and_rank_the_input_that_matters():
    """Seed 0 included (SALib ignores a zero seed); the dummy input shows the noise level."""
    from fleet_planner.analysis.uncertainty_summary import DUMMY, sensitivity_table

    rng = np.random.default_rng(4)
    ok = pd.DataFrame({"fuel_price.diesel_multiplier": rng.uniform(0.5, 2, 300),
                       "capex.bev_multiplier": rng.uniform(0.8, 1.2, 300)})
    ok["npv_saving_cost"] = 1000 * ok["fuel_price.diesel_multiplier"] + 10 * ok["capex.bev_multiplier"]
    inputs = [UncertainInput("diesel", "fuel_price", 0.5, 2, "uniform"), UncertainInput("bev", "capex", 0.8, 1.2,
                                                                                          "uniform")]
    first = sensitivity_table(ok, inputs, seed=0)
    assert first.equals(sensitivity_table(ok, inputs, seed=0))
    delta = first.set_index("input")["delta"]
    assert delta["fuel_price.diesel"] > 0.5 > delta["capex.bev"]
    assert delta[DUMMY] < 0.15


def test_an_interrupted_sweep_resumes_to_the_same_result(tiny, tmp_path):
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    assert run("--samples", "30", "--seed", "5", "--workers", "1", "--out", str(whole)).exit_code == 0
    sweep = plan_sweep(tiny(), samples=30, seed=5)
    store = SweepStore(cut)
    store.open(sweep.fingerprint, resume=False, force=False)
    arrived = []

    def stop_after_two_chunks(chunk):
        store.append(chunk)
        arrived.append(chunk)
        if len(arrived) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, {}, stop_after_two_chunks)
    with (store.folder / "records.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"sample": 29, "npv_co')  # a line cut short by the interruption
    stored = len(store.read())
    assert 0 < stored < 30
    refused = run("--samples", "30", "--seed", "5", "--out", str(cut))
    assert refused.exit_code == 1 and "--resume" in refused.output
    other = run("--samples", "30", "--seed", "6", "--resume", "--out", str(cut))
    assert other.exit_code == 1 and "other settings (seed)" in other.output
    done = run("--samples", "30", "--seed", "5", "--workers", "2", "--resume", "--out", str(cut))
    assert done.exit_code == 0, done.output
    assert f"resuming: {stored} of 30" in done.output
    assert result_bytes(cut) == result_bytes(whole)


# ---------------------------------------------------------------- reoptimise, page

def test_reoptimise_counts_the_technologies_chosen(tmp_path):
    out = tmp_path / "re"
    done = run("--samples", "3", "--mode", "reoptimise", "--workers", "1", "--out", str(out), "--lang", "es")
    assert done.exit_code == 0, done.output
    choices = pd.read_csv(out / "technologies.csv")
    assert choices["chosen_share"].between(0, 1).all() and "bev" in set(choices["technology"])
    page = (out / "uncertainty.es.html").read_text(encoding="utf-8")
    assert "Tecnologías elegidas" in page and 'id="chart-choices"' in page
    assert (out / "uncertainty.es.xlsx").is_file()


@pytest.mark.browser
def test_the_page_renders_without_javascript_errors(tmp_path):
    from test_report import run_browser

    out = tmp_path / "page"
    assert run("--samples", "220", "--workers", "2", "--out", str(out), "--lang", "ja").exit_code == 0
    assert not pd.read_csv(out / "sensitivity.csv").empty
    dom = run_browser(["--dump-dom", (out / "uncertainty.ja.html").as_uri()], tmp_path / "profile").stdout
    assert 'data-js-errors="0"' in dom
    for chart in ("fan", "delta_npv_saving_cost"):
        assert 'class="main-svg"' in dom.split(f'id="chart-{chart}"', 1)[1][:20_000], chart


# ---------------------------------------------------------------- bad input

def test_bad_input_gives_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "bad"
    zero = run("--samples", "0", "--out", str(out))
    assert zero.exit_code == 1 and "--samples 0" in zero.output and "Traceback" not in zero.output
    swapped = run("--samples", "3", "--ranges", str(diesel_ranges(tmp_path, "1.5", "0.5")), "--out", str(out))
    assert swapped.exit_code == 1 and "line 2" in swapped.output and "swap them" in swapped.output
    mode = run("--samples", "3", "--mode", "guess", "--out", str(out))
    assert mode.exit_code == 1 and "--mode 'guess'" in mode.output
    monkeypatch.setattr(backends, "CONNECT_TIMEOUT_S", 1)
    unreachable = run("--samples", "3", "--dask", "tcp://127.0.0.1:9", "--out", str(out))
    assert unreachable.exit_code == 3 and "no Dask scheduler answered" in unreachable.output
    assert "Traceback" not in unreachable.output
    assert not out.exists()
    stored = json.loads((tmp_path / ".bad.sweep" / "sweep.json").read_text()) if (tmp_path / ".bad.sweep").exists() \
        else None
    assert stored is None or stored["samples"] == 3
