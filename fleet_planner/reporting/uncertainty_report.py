"""The result folder of `fleet-planner uncertainty`: the sweep's tables as CSV, one HTML page (fan
chart, percentiles, P(beats baseline), technology choices, sensitivity indices, the ranges with
their sources) in en/es/ja, and an Excel workbook of the same tables.

Written through reporting/results.py's staging (nothing half-written; an earlier result replaced
only with --force). The page uses the report's template environment and table macro; plotly.js is
embedded once, so it works offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from fleet_planner._version import __version__
from fleet_planner.reporting.charts.style import catalogue_colors
from fleet_planner.reporting.charts.uncertainty import plot_choices, plot_fan, plot_sensitivity
from fleet_planner.reporting.i18n import Translator, catalogue_names, translator
from fleet_planner.reporting.report import PLOTLY_CONFIG, output_name, plotly_script, template_environment
from fleet_planner.reporting.results import staged_output, write_resolved_scenario, write_tables
from fleet_planner.reporting.table_data import TableData
from fleet_planner.reporting.workbook import write_workbook

PAGE = "uncertainty.html"
WORKBOOK = "uncertainty.xlsx"
OUTCOME_UNITS = {"npv_cost": "currency", "baseline_npv_cost": "currency", "npv_saving_cost": "currency",
                 "emissions_tco2e": "tCO2e", "baseline_emissions_tco2e": "tCO2e", "avoided_tco2e": "tCO2e"}


def write_uncertainty_result(tables: Mapping[str, pd.DataFrame], scenario, catalogue_tables: Mapping[str, pd.DataFrame],
                             sources: pd.DataFrame, out_dir: Path, *, force: bool, langs: tuple[str, ...] = ("en",),
                             ) -> Path:
    """Write the sweep's tables, the resolved scenario, the page and the workbook (each language) to out_dir."""
    with staged_output(out_dir, force=force) as folder:
        write_tables({**tables, "uncertain_sources": sources}, folder)
        write_resolved_scenario(scenario, folder)
        for lang in langs:
            t = translator(lang, catalogue_names(catalogue_tables))
            page = folder / output_name(PAGE, lang)
            page.write_text(render_uncertainty_page(tables, scenario, catalogue_tables, sources, t), encoding="utf-8")
            write_workbook({k: v for k, v in tables.items() if k != "inputs"}, tables["inputs"],
                           folder / output_name(WORKBOOK, lang), t=None if lang == "en" else t)
    return Path(out_dir)


def render_uncertainty_page(tables: Mapping[str, pd.DataFrame], scenario, catalogue_tables: Mapping[str, pd.DataFrame],
                            sources: pd.DataFrame, t: Translator) -> str:
    """The whole page as a string."""
    summary = tables["uncertainty_summary"].iloc[0]
    currency = str(summary["currency"])
    mode = str(summary["mode"])
    sensitivity = tables["sensitivity"]
    charts = {"fan": plot_fan(tables["fan"], t, currency)}
    if mode == "reoptimise":
        charts["choices"] = plot_choices(tables["technologies"], t, catalogue_colors(catalogue_tables)["technology"])
    for output in sorted(set(sensitivity["output"])) if not sensitivity.empty else []:
        charts[f"delta_{output}"] = plot_sensitivity(sensitivity, t, output)
    context = {
        "lang": t.lang, "title": t("uncertainty.title", scenario=scenario.name),
        "subtitle": t("uncertainty.subtitle", samples=int(summary["samples_count"]), seed=int(summary["seed"]),
                      mode=t(f"uncertainty.mode_{mode}")),
        "generated_by": t("report.generated_by", version=__version__), "empty": t("table.empty"),
        "headings": {key: t(f"uncertainty.section_{key}") for key in
                     ("headline", "percentiles", "fan", "choices", "sensitivity", "inputs", "method")},
        "sentences": headline_sentences(tables, t, currency),
        "percentiles": percentiles_data(tables["percentiles"], t, currency),
        "choices": choices_data(tables.get("technologies"), t) if mode == "reoptimise" else None,
        "sensitivity": sensitivity_data(sensitivity, t),
        "sensitivity_note": t("uncertainty.sensitivity_note") if not sensitivity.empty
        else t("uncertainty.sensitivity_none"),
        "inputs": inputs_data(tables["inputs"], t), "sources": sources_data(sources, t),
        "method": [t("uncertainty.method_sampling"), t("uncertainty.method_modes"),
                   t("uncertainty.method_limits")],
        "charts": {name: chart_html(fig, name) for name, fig in charts.items()},
        "plotly_js": plotly_script(),
    }
    return template_environment().get_template("uncertainty.html.j2").render(context)


def chart_html(fig, name: str) -> Markup:
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{name}", config=PLOTLY_CONFIG,
                              default_width="100%", default_height=f"{int(fig.layout.height or 450)}px"))


def headline_sentences(tables: Mapping[str, pd.DataFrame], t: Translator, currency: str) -> list[str]:
    summary = tables["uncertainty_summary"].iloc[0]
    with_plan = int(summary["with_plan_count"])
    npv = tables["percentiles"].set_index("outcome").loc["npv_cost"]
    sentences = [t("uncertainty.sentence_beats", share=t.percent(summary["probability_beats_baseline_share"]),
                   count=with_plan),
                 t("uncertainty.sentence_npv", p10=t.number(npv["p10"]), p50=t.number(npv["p50"]),
                   p90=t.number(npv["p90"]), currency=currency)]
    missing = int(summary["samples_count"]) - with_plan
    if missing:
        sentences.append(t("uncertainty.sentence_no_plan", count=missing))
    if summary["mode"] == "stress":
        broken = summary.get("rules_broken_share")
        if broken is not None and pd.notna(broken) and broken > 0:
            sentences.append(t("uncertainty.sentence_rules", share=t.percent(broken)))
        sentences.append(t("uncertainty.note_stress_emissions"))
    return sentences


def percentiles_data(percentiles: pd.DataFrame, t: Translator, currency: str) -> TableData:
    rows = []
    for r in percentiles.itertuples():
        unit = currency if OUTCOME_UNITS.get(r.outcome) == "currency" else "tCO2e"
        decimals = 0 if unit == currency else 1
        rows.append([t(f"uncertainty.outcome_{r.outcome}"), unit,
                     *(t.number(v, decimals) for v in (r.p10, r.p50, r.p90, r.mean))])
    return TableData([t("uncertainty.header_outcome"), t("uncertainty.header_unit"), "P10", "P50", "P90",
                      t("uncertainty.header_mean")], rows, [False, False, True, True, True, True])


def choices_data(technologies: pd.DataFrame | None, t: Translator) -> TableData:
    frame = technologies if technologies is not None else pd.DataFrame(columns=["technology"])
    return TableData([t("uncertainty.header_technology"), t("uncertainty.header_chosen_share"),
                      t("uncertainty.header_mean_vehicles")],
                     [[t.technology(r.technology), t.percent(r.chosen_share), t.number(r.mean_vehicles_count, 1)]
                      for r in frame.itertuples()], [False, True, True])


def sensitivity_data(sensitivity: pd.DataFrame, t: Translator) -> TableData:
    rows = [[t(f"uncertainty.outcome_{r.output}"), r.input, _with_conf(t, r.s1, r.s1_conf),
             _with_conf(t, r.delta, r.delta_conf)]
            for r in sensitivity.sort_values(["output", "s1"], ascending=[True, False]).itertuples()]
    return TableData([t("uncertainty.header_output"), t("uncertainty.header_input"), "S1", "delta"], rows,
                     [False, False, True, True])


def _with_conf(t: Translator, value: float, conf: float) -> str:
    """0.123 ± 0.045, or – where the index was not computed."""
    return "–" if pd.isna(value) else f"{t.number(value, 3)} ± {t.number(conf, 3)}"


def inputs_data(inputs: pd.DataFrame, t: Translator) -> TableData:
    rows = [[r.input, t(f"uncertainty.kind_{r.kind}"), r.grade or "–", t.number(r.low_multiplier, 2),
             t.number(r.high_multiplier, 2), t(f"uncertainty.distribution_{r.distribution}"),
             t.number(r.correlation, 2)] for r in inputs.itertuples()]
    return TableData([t("uncertainty.header_input"), t("uncertainty.header_kind"), t("uncertainty.header_grade"),
                      t("uncertainty.header_low"), t("uncertainty.header_high"), t("uncertainty.header_distribution"),
                      t("uncertainty.header_correlation")], rows, [False, False, False, True, True, False, True])


def sources_data(sources: pd.DataFrame, t: Translator) -> TableData:
    rows = []
    for r in sources.itertuples():
        url = str(r.url) if isinstance(r.url, str) and r.url.startswith(("http://", "https://")) else ""
        rows.append([r.source_id, {"text": r.citation, "href": url} if url else r.citation, str(r.year), r.grade,
                     r.notes if isinstance(r.notes, str) else ""])
    return TableData([t("uncertainty.header_source"), t("uncertainty.header_citation"), t("uncertainty.header_year"),
                      t("uncertainty.header_grade"), t("uncertainty.header_notes")], rows, [False] * 5)
