"""Commands that analyse a scenario beyond its one optimum: the cost-emissions frontier (`frontier`),
the sensitivity to uncertain inputs with break-even prices (`sensitivity`) and near-optimal
alternatives (`alternatives`). Each writes its tables (CSV), a page and a workbook to --out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleet_planner.cli_app import (
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

OutOpt = Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Result folder to write.")]
ForceOpt = Annotated[bool, typer.Option(help="Replace an existing result folder.")]
LangOpt = Annotated[str, typer.Option(metavar="LANG", help="Language of the page and workbook: en, es or ja.")]
TimeLimitOpt = Annotated[float | None, typer.Option(metavar="SECONDS", help="Solver wall-clock limit of each solve [s] "
                                                                          "(a plan stopped early is marked feasible).")]


def _say(message: str) -> None:
    echo(f"  {message}", err=True)


def _write(kind: str, tables: dict, scenario, out: Path, *, force: bool, lang: str, settings: list,
           notes: list[str]) -> None:
    """Tables as CSV, the resolved scenario, and the analysis page and workbook, into --out."""
    from fleet_planner.loading.checked import load_and_check
    from fleet_planner.reporting.analysis_pages import AnalysisMeta, write_analysis_outputs
    from fleet_planner.reporting.charts.style import catalogue_colors
    from fleet_planner.reporting.i18n import catalogue_names, translator
    from fleet_planner.reporting.results import staged_output, write_resolved_scenario, write_tables

    catalogue, _warnings = load_and_check(scenario)
    t = translator(lang, catalogue_names(catalogue.tables))
    meta = AnalysisMeta(scenario.name, scenario.currency, scenario.horizon_first_year,
                        scenario.report_last_year or scenario.horizon_last_year, scenario.policy.emission_scope,
                        settings, notes)
    with staged_output(Path(out), force=force) as folder:
        write_tables(tables, folder)
        write_resolved_scenario(scenario, folder)
        paths = write_analysis_outputs(kind, tables, meta, folder, t, catalogue_colors(catalogue.tables))
    for path in paths:
        echo(f"wrote {Path(out) / path.name}", err=True)
    echo(f"Tables written to {out}/")


def _prepare(scenario: Path, variant, set_, out: Path, force: bool, lang: str, time_limit: float | None):
    from fleet_planner.reporting.results import check_output_target

    check_language(lang)
    check_output_target(Path(out), force=force)
    overrides = [*(set_ or []), *([f"solver.time_limit_s={time_limit}"] if time_limit else [])]
    return load_scenario_arg(scenario, variant, overrides)


@command()
@guarded
def frontier(
    scenario: ScenarioArg,
    out: OutOpt = Path("results/frontier"),
    points: Annotated[int, typer.Option(metavar="N", help="Points on the frontier (2-50), least cost and lowest "
                                                           "emissions included.")] = 6,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = "en",
    time_limit: TimeLimitOpt = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Least-cost plans for a series of limits on total emissions, from the least-cost plan's emissions down to
    the lowest reachable; marginal abatement costs between neighbouring points. The limited points are solved
    on --workers processes or a Dask cluster (the same frontier on any)."""
    from fleet_planner.analysis.frontier import check_points, compute_frontier

    check_points(points)
    loaded = _prepare(scenario, variant, set_, out, force, lang, time_limit)
    count, address = where_to_run(workers, dask)
    echo(f"Frontier of {loaded.name} in {points} points, {running_on(count, address)}", err=True)
    result = compute_frontier(loaded, points, progress=_say, workers=count, dask_address=address)
    table, cur = result.table, result.currency
    echo(f"{'point':>5} {'limit tCO2e':>12} {'tCO2e':>12} {'NPV ' + cur:>16} {'MAC ' + cur + '/t':>14}  entering")
    for row in table.to_dict("records"):
        bound = row["emission_limit_tco2e"]
        limit = "none" if bound is None or bound != bound else f"{bound:,.1f}"
        mac = row["marginal_abatement_cost_per_tco2e"]
        mac_text = "" if mac is None or mac != mac else f"{mac:,.1f}"
        echo(f"{row['point']:>5} {limit:>12} {row['emissions_tco2e']:>12,.1f} {row['npv_cost']:>16,.0f} "
             f"{mac_text:>14}  {row['entering']}")
    if result.own_plan is not None:
        target = "" if result.target_tco2e is None else f"; its caps add up to {result.target_tco2e:,.1f} tCO2e"
        echo(f"The scenario's own plan (yearly caps): {result.own_plan.emissions_tco2e:,.1f} tCO2e at "
             f"{result.own_plan.npv_cost:,.0f} {cur}{target}")
    _write("frontier", result.tables, loaded, out, force=force, lang=lang, settings=[("points", points)],
           notes=result.notes)


@command()
@guarded
def sensitivity(
    scenario: ScenarioArg,
    out: OutOpt = Path("results/sensitivity"),
    range_: Annotated[list[str] | None, typer.Option("--range", metavar="NAME=LOW:HIGH",
                                                     help="Range of an input instead of its grade's: fuel.ID or "
                                                          "capex.ID as multipliers, discount_rate as rates, e.g. "
                                                          "fuel.diesel=0.8:1.4 (repeatable).")] = None,
    break_even: Annotated[bool, typer.Option(help="Also search the break-even multipliers (more solves).")] = True,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = "en",
    time_limit: TimeLimitOpt = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Tornado of NPV, emissions, zero-emission share and purchases for each uncertain input over its range, and
    the price multipliers at which each technology choice flips; the re-optimisations on --workers processes or
    a Dask cluster (the same tables on any)."""
    from fleet_planner.analysis.ranges import parse_ranges
    from fleet_planner.analysis.sensitivity import compute_sensitivity

    ranges = parse_ranges(list(range_ or []))
    loaded = _prepare(scenario, variant, set_, out, force, lang, time_limit)
    count, address = where_to_run(workers, dask)
    echo(f"Sensitivity of {loaded.name}, {running_on(count, address)}", err=True)
    result = compute_sensitivity(loaded, ranges=ranges, break_evens=break_even, progress=_say, workers=count,
                                 dask_address=address)
    npv = result.tornado[result.tornado["quantity"] == "npv_cost"] if not result.tornado.empty else result.tornado
    echo(f"NPV at the scenario's values: {result.base['npv_cost']:,.0f} {result.currency}")
    for row in npv.to_dict("records"):
        echo(f"  {row['input']} {row['end']} ({row['input_value']:.4g}): NPV {row['result']:,.0f} "
             f"({row['change']:+,.0f})")
    for row in result.break_evens.to_dict("records"):
        state = "bought" if row["adopted"] else "not bought"
        if row["found"]:
            price = "" if row["break_even_price"] != row["break_even_price"] or row["break_even_price"] is None \
                else f" = {row['break_even_price']:,.2f} {row['price_unit']}"
            echo(f"  break-even: {row['technology']} ({state}) flips {row['direction']} {row['input']} multiplier "
                 f"{row['break_even_multiplier']:.4g}{price}")
        else:
            echo(f"  break-even: {row['technology']} ({state}): no flip for {row['input']} in the searched range")
    _write("sensitivity", result.tables, loaded, out, force=force, lang=lang,
           settings=[("break_even_search", break_even),
                     *((f"range {k}", f"{lo}:{hi}") for k, (lo, hi) in ranges.items())],
           notes=result.notes)


@command()
@guarded
def alternatives(
    scenario: ScenarioArg,
    out: OutOpt = Path("results/alternatives"),
    slack: Annotated[float, typer.Option(metavar="SHARE", help="Cost slack over the optimum, as a share "
                                                                "(0.05 = 5 %).")] = 0.05,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = "en",
    time_limit: TimeLimitOpt = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Plans within the cost slack of the optimum that buy as differently as possible, side by side with it;
    solved on --workers processes or a Dask cluster (the same plans on any)."""
    from fleet_planner.analysis.alternatives import check_slack, compute_alternatives

    check_slack(slack)
    loaded = _prepare(scenario, variant, set_, out, force, lang, time_limit)
    count, address = where_to_run(workers, dask)
    echo(f"Alternatives within {slack:.1%} of the optimum of {loaded.name}, {running_on(count, address)}", err=True)
    result = compute_alternatives(loaded, slack, progress=_say, workers=count, dask_address=address)
    for row in result.table.to_dict("records"):
        bought = ", ".join(f"{c[len('purchases_'):-len('_count')]} {row[c]:g}"
                           for c in row if c.startswith("purchases_"))
        echo(f"  {row['plan']}: NPV {row['npv_cost']:,.0f} {result.currency} ({row['cost_above_optimum_share']:+.2%}), "
             f"{row['emissions_tco2e']:,.1f} tCO2e; {bought}")
    _write("alternatives", result.tables, loaded, out, force=force, lang=lang, settings=[("slack_share", slack)],
           notes=[])
