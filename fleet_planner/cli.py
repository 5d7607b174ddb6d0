"""Command line: a thin typer shell over the pipeline (the app, its guard and shared arguments are
in cli_app.py; template, compare and mrv in cli_proposal.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleet_planner.cli_app import (
    EXIT_INTERRUPTED,
    ScenarioArg,
    SetOpt,
    VariantOpt,
    app,
    check_language,
    command,
    echo,
    guarded,
    load_scenario_arg,
)
from fleet_planner.cli_terminal import visible_streams
from fleet_planner.exceptions import EXIT_INVALID_INPUT, FleetPlannerError, InfeasibleError
from fleet_planner.loading.summary import scenario_summary

__all__ = ["app", "visible_streams"]


@command()
@guarded
def validate(scenario: ScenarioArg, variant: VariantOpt = None, set_: SetOpt = None) -> None:
    """Check SCENARIO against the catalogues; list every problem, or print a summary."""
    from fleet_planner.loading import load_and_check

    loaded = load_scenario_arg(scenario, variant, set_)
    _catalogue, warnings = load_and_check(loaded)
    if variant is None:
        _check_every_variant(scenario, loaded, set_)
    echo(f"OK: {scenario} is valid" + ("" if variant else f" (and its {len(loaded.variants)} variant(s))") + ".")
    echo(scenario_summary(loaded))
    for warning in warnings:
        echo(f"Warning: {warning}")


def _check_every_variant(path: Path, loaded, overrides: list[str] | None) -> None:
    """A variant is checked when the scenario is, not first when someone runs it."""
    from fleet_planner.exceptions import ScenarioError
    from fleet_planner.loading import load_and_check

    problems = []
    for name in loaded.variants:
        try:
            load_and_check(load_scenario_arg(path, name, overrides))
        except FleetPlannerError as exc:
            problems += [f"variant {name}: {p}" for p in exc.problems]
    if problems:
        raise ScenarioError(problems, during=f"in the variants of {path}")


@command()
@guarded
def catalogue(
    scenario: Annotated[Path | None, typer.Option(
        metavar="SCENARIO", help="Show money in this scenario's basis (currency, price base year, VAT position) and "
                                 "use its catalogues.")] = None,
    vehicles: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Vehicle catalogue folder (without --scenario); default: the one shipped with "
                            "fleet-planner.")] = None,
    fuels: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Fuel catalogue folder (without --scenario); default: the one shipped with "
                            "fleet-planner.")] = None,
    year: Annotated[int, typer.Option(metavar="YEAR", help="Year of prices and factors to show.")] = 2025,
) -> None:
    """List technologies and fuels: prices as given and as used, sources and grades, calibration."""
    from fleet_planner.accounts.calibration import reference_scenario
    from fleet_planner.loading import load_and_check, load_catalogue
    from fleet_planner.reporting.catalogue_view import catalogue_listing

    if scenario is not None:
        loaded = load_scenario_arg(scenario, None, None)
        cat, _warnings = load_and_check(loaded)
    else:
        from fleet_planner.loading.shipped import shipped_catalogue

        cat = load_catalogue(vehicles or shipped_catalogue("vehicles"), fuels or shipped_catalogue("fuels"))
        loaded = reference_scenario(cat)
        echo("Money in the reference basis: USD of 2025, net of VAT, Santiago (give --scenario for another).")
    echo(catalogue_listing(loaded, cat, year))


@command()
@guarded
def schema(out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Write the schema to "
                                                   "FILE instead of the terminal.")] = None) -> None:
    """Print (or write) the JSON Schema of scenario files, for editor completion (docs/installation.md)."""
    from fleet_planner.schemas.json_schema import scenario_json_schema_text

    if out is None:
        typer.echo(scenario_json_schema_text(), nl=False)
        return
    Path(out).write_text(scenario_json_schema_text(), encoding="utf-8")
    echo(f"wrote {out}")


@command()
@guarded
def plan(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR",
                                      help="Result folder to write.")] = Path("results/plan"),
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: Annotated[bool, typer.Option(help="Replace an existing result folder.")] = False,
    solver: Annotated[str | None, typer.Option(metavar="NAME", help="highs (default) or cbc.")] = None,
    time_limit: Annotated[float | None, typer.Option(metavar="SECONDS", help="Solver wall-clock limit [s].")] = None,
    report: Annotated[bool, typer.Option(help="Also write report.html (and report.xlsx).")] = False,
    lang: Annotated[str, typer.Option(metavar="LANG", help="Report language: en, es or ja.")] = "en",
    images: Annotated[bool, typer.Option(help="Also export PNG/SVG/PDF charts (needs Chromium).")] = False,
) -> None:
    """Optimise SCENARIO and write every table (CSV), the decisions and the resolved scenario to --out."""
    from fleet_planner.pipeline import optimise
    from fleet_planner.reporting.results import write_plan_result

    check_language(lang)
    overrides = list(set_ or [])
    if solver:
        overrides.append(f"solver.name={solver}")
    if time_limit:
        overrides.append(f"solver.time_limit_s={time_limit}")
    from fleet_planner.reporting.results import check_output_target

    check_output_target(Path(out), force=force)  # before solving: a run that cannot be written is not started
    loaded = load_scenario_arg(scenario, variant, overrides)
    echo(f"Planning {loaded.name} ({loaded.horizon_first_year}-{loaded.horizon_last_year})", err=True)
    try:
        result = optimise(loaded, progress=lambda m: echo(f"  {m}", err=True))
    except InfeasibleError as exc:
        if exc.diagnosis is not None:
            # never replace an earlier (good) result with a diagnosis: use a sibling folder then
            target = Path(out) if not Path(out).exists() else Path(out).with_name(Path(out).name + "-diagnosis")
            _write_diagnosis(exc.diagnosis, target, loaded, force=target != Path(out) or force)
            exc.out_note = f"The diagnosis was written to {target}/diagnosis.csv."
        raise

    def extra(folder: Path) -> None:
        if report:
            from fleet_planner.reporting.report import write_report

            paths = write_report(result.tables, loaded, result.catalogue, folder, lang=lang, images=images,
                                 log=lambda m: echo(f"  {m}", err=True))
            for path in paths:
                echo(f"  wrote {out / path.relative_to(folder)}", err=True)

    write_plan_result(result, out, force=force, extra=extra)
    from fleet_planner.reporting.plan_summary import plan_summary

    echo(plan_summary(result))
    echo(f"Tables written to {out}/")
    if report:
        echo(f"Report: {(Path(out) / ('report.html' if lang == 'en' else f'report.{lang}.html')).resolve()}")
    if result.solve.interrupted:
        echo(f"Interrupted: the best plan found so far was written to {out} (run.json: interrupted).", err=True)
        raise typer.Exit(EXIT_INTERRUPTED)


def _write_diagnosis(diagnosis, out: Path, scenario, *, force: bool) -> None:
    from fleet_planner.reporting.results import staged_output, write_resolved_scenario, write_tables

    with staged_output(out, force=force) as folder:
        write_tables(diagnosis.tables(), folder)
        write_resolved_scenario(scenario, folder)


@command()
@guarded
def evaluate(
    scenario: ScenarioArg,
    plan_file: Annotated[Path, typer.Option("--plan", metavar="FILE", help="The plan to evaluate: fleet decisions (CSV or xlsx; see "
                                                          "`template plan`) or a complete decisions.csv.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR",
                                             help="Also write a result folder, as `plan` does.")] = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: Annotated[bool, typer.Option(help="Replace an existing result folder.")] = False,
    report: Annotated[bool, typer.Option(help="Also write report.html (and report.xlsx) into --out.")] = False,
    lang: Annotated[str, typer.Option(metavar="LANG", help="Report language: en, es or ja.")] = "en",
) -> None:
    """Evaluate a client's plan: its fleet decisions fixed, the fleet run as well as the rules allow, every
    cost and emission accounted, every broken rule measured. Exit code 1 when it breaks a rule."""
    from fleet_planner.analysis.client_plan import evaluate_client_plan
    from fleet_planner.exceptions import ScenarioError
    from fleet_planner.loading.client_plan import read_client_plan

    check_language(lang)
    if report and out is None:
        raise ScenarioError("--report needs --out: the report is written into the result folder.")
    if out is not None:
        from fleet_planner.reporting.results import check_output_target

        check_output_target(Path(out), force=force)
    loaded = load_scenario_arg(scenario, variant, set_)
    plan = read_client_plan(plan_file)
    echo(f"Evaluating the client plan {plan_file} for {loaded.name}", err=True)
    result = evaluate_client_plan(loaded, plan, progress=lambda m: echo(f"  {m}", err=True))
    if out is not None:
        from fleet_planner.reporting.report import write_report
        from fleet_planner.reporting.results import write_plan_result

        write_plan_result(result, Path(out), force=force, extra=lambda folder: report and write_report(
            result.tables, loaded, result.catalogue, folder, lang=lang, log=lambda m: echo(f"  {m}", err=True)))
    echo(result.text_summary())
    if out is not None:
        echo(f"Tables written to {out}/" + (f"; report: {(Path(out) / 'report.html').resolve()}" if report else ""))
    if not result.violations.empty:
        raise typer.Exit(EXIT_INVALID_INPUT)


@command()
@guarded
def report(
    result_dir: Annotated[Path, typer.Argument(metavar="RESULT_DIR", help="Result folder written by `plan`.")],
    lang: Annotated[str, typer.Option(metavar="LANG", help="Report language: en, es or ja.")] = "en",
    images: Annotated[bool, typer.Option(help="Also export PNG/SVG/PDF charts (needs Chromium).")] = False,
    pdf: Annotated[bool, typer.Option(help="Also print the whole report to report.pdf (headless Chromium).")] = False,
) -> None:
    """Write report.html (self-contained, offline) and report.xlsx into RESULT_DIR from its tables."""
    from fleet_planner.reporting.report import report_from_folder

    check_language(lang)
    if not (Path(result_dir) / "summary.csv").is_file():
        from fleet_planner.exceptions import ScenarioError

        raise ScenarioError(f"{result_dir}: no summary.csv; give a folder written by `fleet-planner plan`.")
    paths = report_from_folder(Path(result_dir), lang=lang, images=images, log=lambda m: echo(f"  {m}", err=True))
    if pdf:
        from fleet_planner.reporting.pdf import write_pdf

        paths.append(write_pdf(paths[0], paths[0].with_suffix(".pdf")))
    for path in paths:
        echo(f"wrote {path}")


import fleet_planner.cli_proposal  # noqa: E402,F401  (registers template, compare and mrv)
import fleet_planner.cli_analysis  # noqa: E402,F401  (registers frontier, sensitivity and alternatives)
import fleet_planner.cli_uncertainty  # noqa: E402,F401  (registers uncertainty)
