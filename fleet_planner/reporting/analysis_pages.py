"""The page and workbook of each analysis (frontier, sensitivity, alternatives): one self-contained
HTML page (plotly.js embedded once, every value autoescaped) and one Excel workbook in the
analysis's --out folder, in the report's languages. Built from the analysis's tables only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from fleet_planner._version import __version__
from fleet_planner.reporting.charts.analysis import (
    input_label,
    plan_label,
    plot_alternatives,
    plot_frontier,
    plot_tornado,
    purchase_columns,
    technology_of,
)
from fleet_planner.reporting.charts.style import Colors
from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.report import chart_div, output_name, plotly_script, template_environment
from fleet_planner.reporting.workbook import write_workbook

KINDS = ("frontier", "sensitivity", "alternatives")


@dataclass
class AnalysisMeta:
    """What the page says about the run: scenario, currency, reported years, emission scope, and the
    analysis's settings as (name, value) rows for the workbook's assumptions sheet."""

    scenario: str
    currency: str
    first_year: int
    last_year: int
    scope: str
    settings: list[tuple[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Message keys of notes the analysis left (e.g. frontier.note_no_tradeoff)."""


def html_table(frame: pd.DataFrame, columns: list[tuple[str, str, object]], t: Translator) -> dict:
    """Table data for table.html.j2: columns are (column, heading key, format: 'text', 'int', a
    number of decimals, 'percent' or a function of the value)."""
    rows = []
    for record in frame.to_dict("records"):
        row = []
        for column, _heading, fmt in columns:
            value = record.get(column)
            if callable(fmt):
                row.append(fmt(value))
            elif fmt == "text":
                row.append("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))
            elif fmt == "percent":
                row.append(t.percent(None if pd.isna(value) else float(value), 1))
            else:
                row.append(t.number(None if value is None or pd.isna(value) else float(value),
                                    0 if fmt == "int" else int(fmt)))
        rows.append(row)
    return {"header": [t(heading) for _c, heading, _f in columns], "rows": rows,
            "numeric": [not callable(fmt) and fmt != "text" for _c, _h, fmt in columns],
            "breakable_header": False, "row_classes": None}


def frontier_content(tables: Mapping[str, pd.DataFrame], meta: AnalysisMeta, t: Translator, colors: Colors) -> dict:
    frontier, target, cur = tables["frontier"], tables["frontier_target"], meta.currency
    sentences = []
    if not frontier.empty:
        first, last = frontier.iloc[0], frontier.iloc[-1]
        sentences.append(t("frontier.summary", points=len(frontier), high=t.number(first["emissions_tco2e"], 1),
                           high_cost=t.number(first["npv_cost"]), low=t.number(last["emissions_tco2e"], 1),
                           low_cost=t.number(last["npv_cost"]), currency=cur, first=meta.first_year,
                           last=meta.last_year, scope=meta.scope.upper()))
        macs = frontier["marginal_abatement_cost_per_tco2e"].dropna()
        if not macs.empty:
            sentences.append(t("frontier.mac_range", low=t.number(macs.min()), high=t.number(macs.max()), currency=cur))
    if not target.empty:
        own = target.iloc[0]
        total = pd.notna(own["target_tco2e"])
        sentences.append(t("frontier.own_sentence" if total else "frontier.own_sentence_no_total",
                           emissions=t.number(own["emissions_tco2e"], 1), cost=t.number(own["npv_cost"]), currency=cur,
                           **({"target": t.number(own["target_tco2e"], 1)} if total else {})))
    names = lambda v: t.join(t.technology(x) for x in str(v).split()) if isinstance(v, str) else ""  # noqa: E731
    columns = [("point", "analysis.col_point", "int"), ("emission_limit_tco2e", "frontier.col_limit", 1),
               ("emissions_tco2e", "analysis.col_emissions", 1), ("npv_cost", "analysis.col_npv", "int"),
               ("marginal_abatement_cost_per_tco2e", "frontier.col_mac", "int"),
               ("entering", "frontier.col_entering", names), ("leaving", "frontier.col_leaving", names)]
    columns += [(c, "analysis.col_vehicles", 0) for c in purchase_columns(frontier)]
    table = html_table(frontier, columns, t)
    table["header"] = [*table["header"][:7], *(t("analysis.col_vehicles_of", technology=t.technology(technology_of(c)))
                                               for c in purchase_columns(frontier))]
    return {"sentences": sentences, "charts": [("frontier", plot_frontier(frontier, target, cur, t))],
            "tables": [{"heading": t("frontier.table_heading"), "data": table}]}


def sensitivity_content(tables: Mapping[str, pd.DataFrame], meta: AnalysisMeta, t: Translator, colors: Colors) -> dict:
    tornado, evens, cur = tables["tornado"], tables["break_evens"], meta.currency
    charts = [("tornado_npv", plot_tornado(tornado, "npv_cost", t("sensitivity.chart_npv"),
                                           t("sensitivity.axis_npv", currency=cur), t)),
              ("tornado_emissions", plot_tornado(tornado, "emissions_tco2e", t("sensitivity.chart_emissions"),
                                                 t("sensitivity.axis_emissions"), t))]
    wide = _tornado_wide(tornado)
    columns = [("input", "sensitivity.col_input", lambda v: input_label(v, t)),
               ("basis", "sensitivity.col_basis", "text"),
               ("value_low", "sensitivity.col_low", 3), ("value_high", "sensitivity.col_high", 3),
               ("npv_cost_low", "sensitivity.col_npv_low", "int"), ("npv_cost_high", "sensitivity.col_npv_high", "int"),
               ("emissions_tco2e_low", "sensitivity.col_emissions_low", 1),
               ("emissions_tco2e_high", "sensitivity.col_emissions_high", 1),
               ("zero_emission_share_last_year_low", "sensitivity.col_ze_low", "percent"),
               ("zero_emission_share_last_year_high", "sensitivity.col_ze_high", "percent")]
    inputs = tables["sensitivity_inputs"].set_index("input")["basis"] if not tables["sensitivity_inputs"].empty else {}
    wide["basis"] = [inputs.get(i, "") for i in wide["input"]] if not wide.empty else []
    sentences = [break_even_sentence(row, t) for row in evens.to_dict("records") if row["found"]]
    if not evens.empty and not evens["found"].all():
        sentences.append(t("sensitivity.none_found", factor=t.number(4, 0)))
    be_columns = [("technology", "sensitivity.col_technology", t.technology),
                  ("adopted", "sensitivity.col_adopted", lambda v: t("analysis.yes") if v else t("analysis.no")),
                  ("input", "sensitivity.col_input", lambda v: input_label(v, t)),
                  ("break_even_multiplier", "sensitivity.col_multiplier", 3),
                  ("break_even_price", "sensitivity.col_price", 2), ("price_unit", "sensitivity.col_unit", "text")]
    return {"sentences": sentences, "charts": charts,
            "tables": [{"heading": t("sensitivity.tornado_heading"), "data": html_table(wide, columns, t)},
                       {"heading": t("sensitivity.break_even_heading"), "data": html_table(evens, be_columns, t)}]}


def _tornado_wide(tornado: pd.DataFrame) -> pd.DataFrame:
    """One row per input: its low and high values and the headline quantities at each end."""
    if tornado.empty:
        return pd.DataFrame(columns=["input"])
    rows = {}
    for record in tornado.to_dict("records"):
        row = rows.setdefault(record["input"], {"input": record["input"]})
        row[f"value_{record['end']}"] = record["input_value"]
        row[f"{record['quantity']}_{record['end']}"] = record["result"]
    return pd.DataFrame(list(rows.values()))


def break_even_sentence(row: dict, t: Translator) -> str:
    key = f"sensitivity.be_{'adopted' if row['adopted'] else 'rejected'}_{row['direction']}"
    price = "" if pd.isna(row["break_even_price"]) else t(
        "sensitivity.be_price", price=t.number(row["break_even_price"], 2), unit=row["price_unit"])
    return t(key, technology=t.technology(row["technology"]), input=input_label(row["input"], t),
             multiplier=t.number(row["break_even_multiplier"], 3), price=price)


def alternatives_content(tables: Mapping[str, pd.DataFrame], meta: AnalysisMeta, t: Translator, colors: Colors) -> dict:
    frame = tables["alternatives"]
    columns = [("plan", "alternatives.col_plan", lambda v: plan_label(v, t)), ("npv_cost", "analysis.col_npv", "int"),
               ("cost_above_optimum_share", "alternatives.col_above", "percent"),
               ("emissions_tco2e", "analysis.col_emissions", 1),
               ("first_zero_emission_purchase_year", "alternatives.col_first_ze",
                lambda v: "–" if v is None or pd.isna(v) else str(int(v))),
               ("same_purchases_as_optimum", "alternatives.col_same",
                lambda v: t("analysis.yes") if v else t("analysis.no"))]
    columns += [(c, "analysis.col_vehicles", 0) for c in purchase_columns(frame)]
    table = html_table(frame, columns, t)
    table["header"] = [*table["header"][:6], *(t("analysis.col_vehicles_of", technology=t.technology(technology_of(c)))
                                               for c in purchase_columns(frame))]
    slack = dict(meta.settings).get("slack_share", 0.0)
    sentences = [t("alternatives.summary", count=max(0, len(frame) - 1), slack=t.percent(float(slack), 1))]
    return {"sentences": sentences, "charts": [("alternatives", plot_alternatives(frame, colors, t))],
            "tables": [{"heading": t("alternatives.table_heading"), "data": table}]}


CONTENT = {"frontier": frontier_content, "sensitivity": sensitivity_content, "alternatives": alternatives_content}


def render_analysis_page(kind: str, tables: Mapping[str, pd.DataFrame], meta: AnalysisMeta, t: Translator,
                         colors: Colors) -> str:
    content = CONTENT[kind](tables, meta, t, colors)
    charts: list[tuple[str, go.Figure]] = content["charts"]
    context = {"lang": t.lang, "title": t(f"{kind}.title", scenario=meta.scenario),
               "subtitle": t("analysis.subtitle", first=meta.first_year, last=meta.last_year, currency=meta.currency,
                             scope=meta.scope.upper()),
               "generated_by": t("report.generated_by", version=__version__), "plotly_js": plotly_script(),
               "method": t(f"{kind}.method"), "sentences": content["sentences"],
               "notes": [t(key) for key in meta.notes], "empty": t("table.empty"),
               "charts": [{"name": name, "html": chart_div(fig, name)} for name, fig in charts],
               "tables": content["tables"]}
    return template_environment().get_template("analysis.html.j2").render(context)


def write_analysis_outputs(kind: str, tables: Mapping[str, pd.DataFrame], meta: AnalysisMeta, folder: Path,
                           t: Translator, colors: Colors) -> list[Path]:
    """Write <kind>.html (<kind>.<lang>.html) and <kind>.xlsx into folder; return their paths."""
    folder = Path(folder)
    page = folder / output_name(f"{kind}.html", t.lang)
    page.write_text(render_analysis_page(kind, tables, meta, t, colors), encoding="utf-8")
    settings = pd.DataFrame([("scenario", meta.scenario), ("currency", meta.currency),
                             ("first_year", meta.first_year), ("last_year", meta.last_year),
                             ("emission_scope", meta.scope), *meta.settings], columns=["setting", "value"])
    settings["value"] = settings["value"].astype(str)
    book = write_workbook(dict(tables), settings, folder / output_name(f"{kind}.xlsx", t.lang), t=t)
    return [page, book]
