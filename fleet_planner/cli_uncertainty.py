"""`fleet-planner uncertainty`: a Monte Carlo sweep over uncertain inputs, on this machine's
processes or a Dask cluster, stored sample by sample so an interrupted sweep resumes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from fleet_planner.cli_app import (
    EXIT_INTERRUPTED,
    DaskOpt,
    ScenarioArg,
    SetOpt,
    VariantOpt,
    WorkersOpt,
    check_language,
    command,
    echo,
    guarded,
    load_scenario_arg,
    running_on,
    where_to_run,
)

PROGRESS_EVERY_S = 2.0


@command()
@guarded
def uncertainty(
    scenario: ScenarioArg,
    samples: Annotated[int, typer.Option("--samples", "-n", metavar="N", help="Number of samples (1 or more).")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Result folder to write.")],
    mode: Annotated[str, typer.Option(metavar="MODE", help="stress: re-account the chosen plan's decisions in each "
                                      "sample (fast); reoptimise: optimise each sample afresh.")] = "stress",
    seed: Annotated[int, typer.Option(metavar="S", help="Master seed; the same seed gives the same samples and "
                                      "results on any backend and worker count.")] = 0,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
    ranges: Annotated[Path | None, typer.Option(metavar="FILE", help="CSV of the inputs to sample (input_id, kind, "
                                                "low_multiplier, high_multiplier, distribution) instead of the "
                                                "catalogue's ranges by kind and grade "
                                                "(vehicles/uncertainty_ranges.csv).")] = None,
    resume: Annotated[bool, typer.Option(help="Go on from an interrupted sweep into the same --out.")] = False,
    force: Annotated[bool, typer.Option(help="Replace an existing result folder, or discard an interrupted "
                                        "sweep and start again.")] = False,
    lang: Annotated[list[str] | None, typer.Option(metavar="LANG", help="Page language(s): en, es or ja "
                                                   "(repeatable; default en).")] = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
) -> None:
    """Sample uncertain fuel prices, capex and the discount rate; write P10/P50/P90 of cost and emissions,
    the chance the plan beats the baseline, a fan chart and sensitivity indices to --out."""
    from fleet_planner.analysis.uncertain_inputs import read_inputs_file
    from fleet_planner.analysis.uncertainty import plan_sweep
    from fleet_planner.reporting.results import check_output_target
    from fleet_planner.reporting.sweep_store import SweepStore

    langs = tuple(dict.fromkeys(lang or ["en"]))
    for code in langs:
        check_language(code)
    check_output_target(Path(out), force=force)  # before any work: a sweep that cannot be written is not started
    SweepStore(Path(out)).check_start(resume=resume, force=force)
    chosen = read_inputs_file(ranges) if ranges is not None else None
    loaded = load_scenario_arg(scenario, variant, set_)
    count, address = where_to_run(workers, dask)
    echo(f"Uncertainty of {loaded.name}: {samples:,} samples, mode {mode}, seed {seed}, "
         + running_on(count, address), err=True)
    sweep = plan_sweep(loaded, samples=samples, mode=mode, seed=seed, inputs=chosen, inputs_origin=f"--ranges {ranges}",
                       progress=lambda m: echo(f"  {m}", err=True))
    store = SweepStore(Path(out))
    done = store.open(sweep.fingerprint, resume=resume, force=force)
    if done:
        echo(f"  resuming: {len(done):,} of {samples:,} samples already done", err=True)
    records = _run_with_progress(sweep, done, store, count, address)
    _write_result(sweep, records, Path(out), force=force, langs=langs)
    store.remove()


def _run_with_progress(sweep, done: dict, store, workers: int, address: str | None) -> dict:
    """Run the sweep, storing records as they arrive and printing done/total and the time left."""
    from fleet_planner.analysis.uncertainty import run_sweep

    total, start, counted = len(sweep.samples), time.monotonic(), {"done": len(done), "shown": 0.0}
    resumed = len(done)

    def arrived(chunk: list[dict]) -> None:
        store.append(chunk)
        counted["done"] += len(chunk)
        now = time.monotonic() - start
        if now - counted["shown"] >= PROGRESS_EVERY_S or counted["done"] == total:
            counted["shown"] = now
            rate = (counted["done"] - resumed) / max(now, 1e-9)
            left = (total - counted["done"]) / rate if rate > 0 else float("nan")
            echo(f"  {counted['done']:,}/{total:,} samples, {now:,.0f} s, about {left:,.0f} s left", err=True)

    try:
        return run_sweep(sweep, done, arrived, workers=workers, dask_address=address)
    except KeyboardInterrupt:
        echo(f"Interrupted after {counted['done']:,} of {total:,} samples; they are kept in {store.folder}. Run the "
             "same command with --resume to go on.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _write_result(sweep, records: dict, out: Path, *, force: bool, langs: tuple[str, ...]) -> None:
    from fleet_planner.analysis.uncertain_inputs import inputs_table
    from fleet_planner.analysis.uncertainty_summary import sweep_tables
    from fleet_planner.reporting.uncertainty_report import write_uncertainty_result

    nominal = sweep.nominal.summary if sweep.nominal is not None else None
    tables = sweep_tables(records, sweep.samples, sweep.inputs, mode=sweep.mode, seed=sweep.seed,
                          currency=sweep.scenario.currency, nominal=nominal)
    tables["inputs"] = inputs_table(sweep.inputs, sweep.correlation)
    write_uncertainty_result(tables, sweep.scenario, sweep.catalogue.tables, sweep.sources, out, force=force,
                             langs=langs)
    summary = tables["uncertainty_summary"].iloc[0]
    npv = tables["percentiles"].set_index("outcome").loc["npv_cost"]
    echo(f"wrote {out}: P(plan beats baseline) {summary['probability_beats_baseline_share']:.0%}; plan NPV P10 "
         f"{npv['p10']:,.0f}, P50 {npv['p50']:,.0f}, P90 {npv['p90']:,.0f} {sweep.scenario.currency}")
