"""Command line: a thin typer shell over the pipeline. Exit codes: 0 ok, 1 bad input,
2 usage, 3 infeasible or solver failure, 130 interrupted. User errors never print a traceback."""

from __future__ import annotations

import functools
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from fleet_planner.exceptions import EXIT_INVALID_INPUT, FleetPlannerError, InfeasibleError, describe_os_error
from fleet_planner.loading.summary import scenario_summary
from fleet_planner.text import visible

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Plan what to buy, convert and retire each year so a fleet meets its service and emission "
         "targets at least total cost.",
)

ScenarioArg = Annotated[Path, typer.Argument(help="Scenario YAML file (paths inside are relative to it).")]
VariantOpt = Annotated[str | None, typer.Option("--variant", help="Apply a named variant from the scenario file.")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="Override a value: KEY.PATH=VALUE (repeatable).")]
EXIT_INTERRUPTED = 130


def echo(message: str = "", *, err: bool = False) -> None:
    """Print; control characters in user text are shown as \\xNN, never obeyed by the terminal."""
    typer.echo(visible(message), err=err)


def guarded(command):
    """Turn user errors into a message and an exit code; Ctrl-C into a clean stop."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        _stop_on_sigterm()
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            echo(f"Error: {describe_os_error(exc)}", err=True)
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        except FleetPlannerError as exc:
            echo(f"Error: {exc}", err=True)
            if isinstance(exc, InfeasibleError) and getattr(exc, "out_note", None):
                echo(exc.out_note, err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            echo("Interrupted: the solver was stopped and nothing was written.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def _stop_on_sigterm() -> None:
    """A termination request (kill, a job scheduler) stops the run like Ctrl-C: the solver worker is
    killed and staging folders are removed."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(_signum, _frame) -> None:
    from fleet_planner.exceptions import TerminationRequest

    raise TerminationRequest


def check_language(lang: str) -> None:
    from fleet_planner.exceptions import ScenarioError
    from fleet_planner.reporting.i18n import LANGUAGES

    if lang not in LANGUAGES:
        raise ScenarioError(f"--lang {lang!r}: not a report language; use one of {', '.join(LANGUAGES)}.")


def _load(scenario: Path, variant: str | None, overrides: list[str] | None):
    from fleet_planner.loading.scenario import load_scenario

    return load_scenario(scenario, variant=variant, overrides=tuple(overrides or ()))


@app.command()
@guarded
def validate(scenario: ScenarioArg, variant: VariantOpt = None, set_: SetOpt = None) -> None:
    """Check SCENARIO against the catalogues; list every problem, or print a summary."""
    from fleet_planner.loading import load_and_check

    loaded = _load(scenario, variant, set_)
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
            load_and_check(_load(path, name, overrides))
        except FleetPlannerError as exc:
            problems += [f"variant {name}: {p}" for p in exc.problems]
    if problems:
        raise ScenarioError(problems, during=f"in the variants of {path}")


@app.command()
@guarded
def catalogue(
    scenario: Annotated[Path | None, typer.Option(help="Show money in this scenario's basis (currency, price base "
                                                      "year, VAT position) and use its catalogues.")] = None,
    vehicles: Annotated[Path, typer.Option(help="Vehicle catalogue folder (without --scenario).")] = Path("vehicles"),
    fuels: Annotated[Path, typer.Option(help="Fuel catalogue folder (without --scenario).")] = Path("fuels"),
    year: Annotated[int, typer.Option(help="Year of prices and factors to show.")] = 2025,
) -> None:
    """List technologies and fuels: prices as given and as used, sources and grades, calibration."""
    from fleet_planner.accounts.calibration import reference_scenario
    from fleet_planner.loading import load_and_check, load_catalogue
    from fleet_planner.reporting.catalogue_view import catalogue_listing

    if scenario is not None:
        loaded = _load(scenario, None, None)
        cat, _warnings = load_and_check(loaded)
    else:
        cat = load_catalogue(vehicles, fuels)
        loaded = reference_scenario(cat)
        echo("Money in the reference basis: USD of 2025, net of VAT, Santiago (give --scenario for another).")
    echo(catalogue_listing(loaded, cat, year))


@app.command()
@guarded
def plan(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Result folder to write.")] = Path("results/plan"),
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: Annotated[bool, typer.Option(help="Replace an existing result folder.")] = False,
    solver: Annotated[str | None, typer.Option(help="highs (default) or cbc.")] = None,
    time_limit: Annotated[float | None, typer.Option(help="Solver wall-clock limit [s].")] = None,
    report: Annotated[bool, typer.Option(help="Also write report.html (and report.xlsx).")] = False,
    lang: Annotated[str, typer.Option(help="Report language: en, es or ja.")] = "en",
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
    loaded = _load(scenario, variant, overrides)
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


@app.command()
@guarded
def evaluate(
    scenario: ScenarioArg,
    plan_file: Annotated[Path, typer.Option("--plan", help="The plan to evaluate: fleet decisions (CSV or xlsx; see "
                                                          "`template plan`) or a complete decisions.csv.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write a result folder, as `plan` does.")] = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: Annotated[bool, typer.Option(help="Replace an existing result folder.")] = False,
    report: Annotated[bool, typer.Option(help="Also write report.html (and report.xlsx) into --out.")] = False,
    lang: Annotated[str, typer.Option(help="Report language: en, es or ja.")] = "en",
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
    loaded = _load(scenario, variant, set_)
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


template_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                           help="Write a file to fill in: `template plan` (a client's plan).")
app.add_typer(template_app, name="template")


@template_app.command("plan")
@guarded
def template_plan(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .csv or .xlsx.")],
    from_result: Annotated[Path | None, typer.Option("--from", help="Fill it with the fleet decisions of a result "
                                                                    "folder (e.g. the optimised plan).")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Write a plan template for SCENARIO: one row per decision (purchase, conversion, sale, lease_buy_out,
    infrastructure_build), to fill in and give to `evaluate --plan`."""
    from fleet_planner.exceptions import OutputExistsError
    from fleet_planner.loading import load_and_check
    from fleet_planner.loading.client_plan import plan_template, read_client_plan
    from fleet_planner.reporting.plan_template import write_plan_template

    if Path(out).exists() and not force:
        raise OutputExistsError(f"{out} already exists; give --force to replace it, or choose another --out.")
    loaded = _load(scenario, None, None)
    catalogue, _warnings = load_and_check(loaded)
    frame = plan_template(loaded, catalogue, from_result and read_client_plan(Path(from_result) / "decisions.csv"))
    write_plan_template(frame, Path(out))
    echo(f"wrote {out}: {len(frame)} row(s); fill in `count` (0 or more), add rows as needed, then run "
         f"`fleet-planner evaluate {scenario} --plan {out} --out DIR`.")


@app.command()
@guarded
def report(
    result_dir: Annotated[Path, typer.Argument(help="Result folder written by `plan`.")],
    lang: Annotated[str, typer.Option(help="Report language: en, es or ja.")] = "en",
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


@app.command()
@guarded
def compare(
    results: Annotated[list[Path], typer.Argument(help="Result folders written by `plan` or `evaluate --out`.")],
    report: Annotated[Path | None, typer.Option("--report", help="Also write one HTML page: a client plan "
                                                                 "(evaluate --out) against the optimum (plan), "
                                                                 "or else the scenarios' fleet, emissions and cost "
                                                                 "charts overlaid.")] = None,
    lang: Annotated[str, typer.Option(help="Page language: en, es or ja.")] = "en",
) -> None:
    """Print the headline figures of several result folders side by side, with differences to the first;
    a client plan and an optimised plan also get their cost and emission differences and the fleet
    decisions that differ."""
    from fleet_planner.reporting.client_compare import client_comparison, comparison_text, find_client_and_optimum
    from fleet_planner.reporting.compare import compare_results, format_comparison, write_comparison_report

    check_language(lang)
    echo(format_comparison(compare_results(results)))
    pair = find_client_and_optimum(results)
    if pair is None:
        if report is not None:
            echo(f"wrote {write_comparison_report(results, report, lang=lang)}")
        return
    comparison = client_comparison(*pair)
    echo()
    echo(comparison_text(comparison))
    if report is not None:
        from fleet_planner.reporting.compare_page import write_comparison_page

        echo(f"Comparison page: {write_comparison_page(comparison, report, lang=lang).resolve()}")


@app.command()
@guarded
def mrv(
    result_dir: Annotated[Path, typer.Argument(help="Result folder written by `plan`.")],
    project: Annotated[str, typer.Option(help="The project's decisions: SEGMENT:TECHNOLOGY[,TECHNOLOGY...]:FIRST-LAST "
                                              "(purchases of, and conversions into, those technologies in those "
                                              "years), e.g. minibus_senior:bev:2026-2028.")],
    crediting: Annotated[str | None, typer.Option(help="Crediting period FIRST-LAST (default: from the first year "
                                                       "a project vehicle is in service, for its legal "
                                                       "useful life).")] = None,
    grant: Annotated[float | None, typer.Option(help="The grant in the scenario currency (default: the plan's "
                                                     "subsidies on the project's decisions).")] = None,
    name: Annotated[str | None, typer.Option(help="The project's name in the outputs.")] = None,
    mrv_data: Annotated[Path, typer.Option(help="Folder of the MRV data files (parameters.csv, monitoring.csv, "
                                                "sources.csv).")] = Path("mrv"),
) -> None:
    """JCM-style MRV of a project of the plan (the project's own calculation, not an approved JCM
    methodology): reference, project and reduced emissions per year, the grant's cost-effectiveness
    and the parameters to monitor. Writes mrv_*.csv into RESULT_DIR; `report` then shows them."""
    from fleet_planner.loading.mrv import parse_project
    from fleet_planner.reporting.mrv_run import format_mrv, mrv_from_folder

    chosen = parse_project(project, crediting=crediting, grant=grant, name=name)
    result = mrv_from_folder(Path(result_dir), chosen, mrv_data)
    echo(format_mrv(result))
    echo(f"Tables written to {result_dir}/mrv_*.csv; `fleet-planner report {result_dir}` adds them to the report.")


class _VisibleStream:
    """A text stream that shows control characters as \\xNN (click and typer print user text too)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def visible_streams() -> None:
    """Wrap stdout and stderr so nothing the program prints can drive the terminal."""
    sys.stdout = _VisibleStream(sys.stdout)
    sys.stderr = _VisibleStream(sys.stderr)
