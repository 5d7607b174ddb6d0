"""Command line: a thin typer shell over the pipeline. Exit codes: 0 ok, 1 bad input,
2 usage, 3 infeasible or solver failure, 130 interrupted. User errors never print a traceback."""

from __future__ import annotations

import functools
import signal
import threading
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from fleet_planner._version import __version__
from fleet_planner.cli_terminal import PlainHelpCommand, describe_os_error, show_library_log, visible_streams
from fleet_planner.exceptions import EXIT_INVALID_INPUT, FleetPlannerError, InfeasibleError
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

ScenarioArg = Annotated[Path, typer.Argument(metavar="SCENARIO", show_default=False,
                                             help="Scenario YAML file (paths inside are relative to it).")]
VariantOpt = Annotated[str | None, typer.Option("--variant", metavar="NAME",
                                                help="Apply a named variant from the scenario file.")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", metavar="KEY.PATH=VALUE",
                                                  help="Override a value, e.g. policy.gas_end_year=2035 (repeatable).")]
EXIT_INTERRUPTED = 130
__all__ = ["app", "visible_streams"]


def command(**settings):
    """Register a command of the app; its help names arguments in plain words (PlainHelpCommand)."""
    return app.command(cls=PlainHelpCommand, **settings)


def _show_version(value: bool) -> None:
    if value:
        echo(f"fleet-planner {__version__}")
        raise typer.Exit


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                   help="Print the version and exit.")] = False) -> None:
    show_library_log()


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
    raise KeyboardInterrupt


def check_language(lang: str) -> None:
    from fleet_planner.exceptions import ScenarioError
    from fleet_planner.reporting.i18n import LANGUAGES

    if lang not in LANGUAGES:
        raise ScenarioError(f"--lang {lang!r}: not a report language; use one of {', '.join(LANGUAGES)}.")


def _load(scenario: Path, variant: str | None, overrides: list[str] | None):
    from fleet_planner.loading.scenario import load_scenario

    return load_scenario(scenario, variant=variant, overrides=tuple(overrides or ()))


@command()
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


def scenario_summary(s) -> str:
    fleet = Counter()
    for cohort in s.fleet:
        fleet[cohort.segment, cohort.technology] += cohort.count
    lines = [f"Scenario: {s.name}",
             f"Horizon: {s.horizon_first_year}-{s.horizon_last_year}; currency {s.currency} "
             f"(price base year {s.price_base_year}); discount rate {s.discount_rate:.1%}; region {s.region}",
             "Segments:"]
    for segment, demand in s.demand.items():
        techs = ", ".join(demand.technologies) if demand.technologies else "all in catalogue"
        existing = ", ".join(f"{t} {n}" for (seg, t), n in sorted(fleet.items()) if seg == segment) or "none"
        lines.append(f"  {segment}: existing fleet {existing}; technologies {techs}")
    p = s.policy
    targets = []
    if p.emission_cap is not None:
        cap = p.emission_cap
        values = cap.tco2e if cap.tco2e is not None else cap.share_of_base or {}
        kind = "tCO2e" if cap.tco2e else f"x base ({cap.base_year or f'{cap.base_tco2e} tCO2e'})"
        targets.append(f"emission cap ({p.emission_scope}, {cap.interpolation}): "
                       + ", ".join(f"{y}: {v:g}" for y, v in sorted(values.items())) + f" {kind}")
    if p.zero_emission_share_min:
        targets.append("zero-emission share: " + ", ".join(f"{y}: {v:.0%}" for y, v in sorted(p.zero_emission_share_min.items())))
    if p.gas_end_year:
        targets.append(f"no natural gas from {p.gas_end_year}")
    if p.capex_budget is not None:
        targets.append("yearly capex budget set")
    if s.subsidies:
        targets.append("subsidies: " + ", ".join(r.name for r in s.subsidies))
    lines.append("Targets: " + ("; ".join(targets) if targets else "none"))
    return "\n".join(lines)


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
        loaded = _load(scenario, None, None)
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
def template(
    kind: Annotated[str, typer.Argument(metavar="KIND", help="What to write: fleet (the fleet register).")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="File to write (.csv or .xlsx).")],
    format_: Annotated[str | None, typer.Option("--format", metavar="FORMAT", help="csv or xlsx; default: from "
                                                "the suffix of --out.")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Write an empty, documented file to fill in: the fleet register as CSV or an Excel workbook."""
    from fleet_planner.exceptions import ScenarioError
    from fleet_planner.loading import load_catalogue
    from fleet_planner.loading.shipped import shipped_catalogue
    from fleet_planner.reporting.fleet_template import template_format, write_fleet_template

    if kind != "fleet":
        raise ScenarioError(f"template {kind!r}: unknown; the one template is: fleet.")
    fmt = template_format(Path(out), format_)
    catalogue = load_catalogue(shipped_catalogue("vehicles"), shipped_catalogue("fuels")) if fmt == "xlsx" else None
    echo(f"wrote {write_fleet_template(Path(out), fmt, catalogue, force=force)}: fill in one row per cohort "
         "and name it under fleet: in the scenario.")


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
    echo(plan_summary(result))
    echo(f"Tables written to {out}/")
    if report:
        echo(f"Report: {(Path(out) / 'report.html').resolve()}")


def _write_diagnosis(diagnosis, out: Path, scenario, *, force: bool) -> None:
    from fleet_planner.reporting.results import staged_output, write_resolved_scenario, write_tables

    with staged_output(out, force=force) as folder:
        write_tables(diagnosis.tables(), folder)
        write_resolved_scenario(scenario, folder)


def plan_summary(result) -> str:
    s = result.summary
    cur = s["currency"]
    lines = [f"Status: {s['status']}" + (f" (MIP gap {s['mip_gap']:.3%})" if s["mip_gap"] is not None else ""),
             f"NPV of total cost: {s['npv_cost']:,.0f} {cur} (baseline {s['baseline_npv_cost']:,.0f}; "
             f"saving {s['npv_saving_cost']:,.0f})",
             f"Emissions over the horizon ({s['emission_scope']}): {s['emissions_tco2e']:,.0f} tCO2e "
             f"(baseline {s['baseline_emissions_tco2e']:,.0f}; avoided {s['avoided_tco2e']:,.0f})"]
    if s["abatement_cost_per_tco2e"] is not None:
        lines.append(f"Abatement cost: {s['abatement_cost_per_tco2e']:,.1f} {cur}/tCO2e avoided")
    lines.append(f"Baseline = the baseline technology with the plan's freedoms (early sales allowed). "
                 f"Like-for-like replacement instead: NPV {s['like_for_like_npv_cost']:,.0f} {cur}, "
                 f"{s['like_for_like_emissions_tco2e']:,.0f} tCO2e"
                 + (f", abatement {s['abatement_cost_vs_like_for_like_per_tco2e']:,.1f} {cur}/tCO2e"
                    if s["abatement_cost_vs_like_for_like_per_tco2e"] is not None else ""))
    em = result.tables["emissions"]
    years = sorted({result.inputs.first_year, *[y for y in em["year"] if y % 5 == 0], result.inputs.last_year})
    lines.append("Emissions at milestone years [tCO2e]: " + ", ".join(
        f"{y}: {em.loc[em['year'] == y, 'emissions_tco2e'].iloc[0]:,.0f}"
        + (f" (cap {c:,.0f})" if (c := em.loc[em['year'] == y, 'cap_tco2e'].iloc[0]) == c and c is not None else "")
        for y in years))
    purchases = result.tables["purchases"]
    conversions = result.tables["conversions"]
    for segment in result.inputs.segments:
        bought = purchases[purchases["segment"] == segment].groupby("technology")["purchases_count"].sum()
        converted = conversions[conversions["segment"] == segment].groupby("to_technology")["conversions_count"].sum()
        text = ", ".join(f"{t} {n:g}" for t, n in bought.items()) or "none"
        if not converted.empty:
            text += "; converted: " + ", ".join(f"{t} {n:g}" for t, n in converted.items())
        lines.append(f"  {segment}: bought {text}")
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    return "\n".join(lines)


@command()
@guarded
def evaluate(
    scenario: ScenarioArg,
    plan_file: Annotated[Path, typer.Option("--plan", metavar="FILE", help="decisions.csv of the plan to evaluate.")],
    variant: VariantOpt = None,
    set_: SetOpt = None,
) -> None:
    """Evaluate a plan written by a user (decisions.csv): its costs, emissions and every rule it breaks."""
    from fleet_planner.loading.plan import read_decisions_csv
    from fleet_planner.pipeline import evaluate as evaluate_plan

    loaded = _load(scenario, variant, set_)
    decisions = read_decisions_csv(plan_file)
    evaluation, baseline = evaluate_plan(loaded, decisions)
    cur = loaded.currency
    echo(f"NPV of total cost: {evaluation.npv_cost:,.0f} {cur} (baseline {baseline.npv_cost:,.0f})")
    em = evaluation.tables["emissions"]
    echo(f"Emissions over the horizon: {em['emissions_tco2e'].sum():,.0f} tCO2e "
         f"(baseline {baseline.tables['emissions']['emissions_tco2e'].sum():,.0f})")
    if evaluation.violations:
        echo(f"The plan breaks {len(evaluation.violations)} rule(s):")
        for violation in sorted(evaluation.violations, key=lambda v: (v.year or 0, v.rule)):
            echo(f"  {violation}")
        raise typer.Exit(EXIT_INVALID_INPUT)
    echo("The plan meets every rule of the scenario.")


@command()
@guarded
def report(
    result_dir: Annotated[Path, typer.Argument(metavar="RESULT_DIR", help="Result folder written by `plan`.")],
    lang: Annotated[str, typer.Option(metavar="LANG", help="Report language: en, es or ja.")] = "en",
    images: Annotated[bool, typer.Option(help="Also export PNG/SVG/PDF charts (needs Chromium).")] = False,
) -> None:
    """Write report.html (self-contained, offline) and report.xlsx into RESULT_DIR from its tables."""
    from fleet_planner.reporting.report import report_from_folder

    check_language(lang)
    if not (Path(result_dir) / "summary.csv").is_file():
        from fleet_planner.exceptions import ScenarioError

        raise ScenarioError(f"{result_dir}: no summary.csv; give a folder written by `fleet-planner plan`.")
    paths = report_from_folder(Path(result_dir), lang=lang, images=images, log=lambda m: echo(f"  {m}", err=True))
    for path in paths:
        echo(f"wrote {path}")


@command()
@guarded
def compare(results: Annotated[list[Path], typer.Argument(metavar="RESULT_DIR",
                                                          help="Result folders written by `plan`.")]) -> None:
    """Print the headline figures of several result folders side by side."""
    from fleet_planner.reporting.compare import compare_results, format_comparison

    echo(format_comparison(compare_results(results)))
