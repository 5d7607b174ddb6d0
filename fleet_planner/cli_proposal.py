"""Commands that make documents for a proposal: templates to fill in (`template fleet`, `template
plan`), result folders side by side (`compare`) and the JCM-style MRV of a project (`mrv`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleet_planner.cli_app import ScenarioArg, app, check_language, command, echo, guarded, load_scenario_arg
from fleet_planner.cli_terminal import PlainHelpCommand

template_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                           help="Write a file to fill in: `template fleet` (the fleet register) or `template plan` "
                                "(a client's plan).")
app.add_typer(template_app, name="template")


@template_app.command("fleet", cls=PlainHelpCommand)
@guarded
def template_fleet(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="File to write (.csv or .xlsx).")],
    format_: Annotated[str | None, typer.Option("--format", metavar="FORMAT", help="csv or xlsx; default: from "
                                                "the suffix of --out.")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Write an empty, documented file to fill in: the fleet register as CSV or an Excel workbook."""
    from fleet_planner.loading import load_catalogue
    from fleet_planner.loading.shipped import shipped_catalogue
    from fleet_planner.reporting.fleet_template import template_format, write_fleet_template

    fmt = template_format(Path(out), format_)
    catalogue = load_catalogue(shipped_catalogue("vehicles"), shipped_catalogue("fuels")) if fmt == "xlsx" else None
    echo(f"wrote {write_fleet_template(Path(out), fmt, catalogue, force=force)}: fill in one row per cohort "
         "and name it under fleet: in the scenario.")


@template_app.command("plan", cls=PlainHelpCommand)
@guarded
def template_plan(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="File to write: .csv or .xlsx.")],
    from_result: Annotated[Path | None, typer.Option("--from", metavar="RESULT_DIR", help="Fill it with the fleet decisions of a result "
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
    loaded = load_scenario_arg(scenario, None, None)
    catalogue, _warnings = load_and_check(loaded)
    frame = plan_template(loaded, catalogue, from_result and read_client_plan(Path(from_result) / "decisions.csv"))
    write_plan_template(frame, Path(out))
    echo(f"wrote {out}: {len(frame)} row(s); fill in `count` (0 or more), add rows as needed, then run "
         f"`fleet-planner evaluate {scenario} --plan {out} --out DIR`.")


@command()
@guarded
def compare(
    results: Annotated[list[Path], typer.Argument(metavar="RESULT_DIR", help="Result folders written by `plan` or `evaluate --out`.")],
    report: Annotated[Path | None, typer.Option("--report", metavar="PAGE.html", help="Also write one HTML page: a client plan "
                                                                 "(evaluate --out) against the optimum (plan), "
                                                                 "or else the scenarios' fleet, emissions and cost "
                                                                 "charts overlaid.")] = None,
    lang: Annotated[str, typer.Option(metavar="LANG", help="Page language: en, es or ja.")] = "en",
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


@command()
@guarded
def mrv(
    result_dir: Annotated[Path, typer.Argument(metavar="RESULT_DIR", help="Result folder written by `plan`.")],
    project: Annotated[str, typer.Option(metavar="SEGMENT:TECH[,TECH]:FIRST-LAST", help="The project's decisions: SEGMENT:TECHNOLOGY[,TECHNOLOGY...]:FIRST-LAST "
                                              "(purchases of, and conversions into, those technologies in those "
                                              "years), e.g. minibus_senior:bev:2026-2028.")],
    crediting: Annotated[str | None, typer.Option(metavar="FIRST-LAST", help="Crediting period FIRST-LAST (default: from the first year "
                                                       "a project vehicle is in service, for its legal "
                                                       "useful life).")] = None,
    grant: Annotated[float | None, typer.Option(metavar="AMOUNT", help="The grant in the scenario currency (default: the plan's "
                                                     "subsidies on the project's decisions).")] = None,
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="The project's name in the outputs.")] = None,
    mrv_data: Annotated[Path, typer.Option(metavar="DIR", help="Folder of the MRV data files (parameters.csv, monitoring.csv, "
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
