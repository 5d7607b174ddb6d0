"""The proposal report: one self-contained HTML page, an Excel workbook and optional static images.

`write_report` turns the plan tables of a result (the same DataFrames as its CSV files), the
scenario and the catalogue into:

* `report.html`: summary in three sentences, headline figures vs the baseline, the charts
  (plotly.js embedded once, so the page works offline), the key tables, and an appendix with
  every catalogue row used (source and grade) and the scenario settings;
* `report.xlsx`: one sheet per plan table plus an `assumptions` sheet (fleet_planner.reporting.workbook);
* with `images=True`, `images/<chart>.png|svg|pdf` through kaleido (needs a Chromium).

Like the charts, nothing here imports the solver: the report reads tables only.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import yaml

from fleet_planner.reporting.charts import (
    CHART_NAMES,
    catalogue_colors,
    catalogue_patterns,
    cost_by_group,
    figures,
    milestone_years,
)
from fleet_planner.reporting.workbook import write_workbook
from fleet_planner.exceptions import FleetPlannerError
from fleet_planner.reporting.i18n import Translator, catalogue_names, translator
from fleet_planner.loading.catalogue import Catalogue, load_catalogue
from fleet_planner.schemas.catalogue import TABLES as CATALOGUE_TABLES
from fleet_planner.schemas.scenario import Scenario

Log = Callable[[str], None]

REPORT_HTML = "report.html"
REPORT_XLSX = "report.xlsx"
IMAGES_FOLDER = "images"
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
IMAGE_WIDTH_PX = 1000
PNG_SCALE = 2
"""PNG pixels per layout pixel (sharp enough for print); SVG and PDF are vector."""
NO_CHROMIUM_MESSAGE = ("static images skipped: no Chromium found; install it (Debian/Ubuntu: apt-get install "
                       "chromium) or run `plotly_get_chrome`, or set BROWSER_PATH to a Chrome/Chromium binary")
NO_KALEIDO_MESSAGE = "static images skipped: kaleido is not installed; pip install 'fleet-planner[images]'"
NOT_RESULT_TABLES = frozenset({"decisions", "diagnosis"})
"""CSV files of a result folder that are not plan tables."""
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
SUMMARY_ACTIONS_MAX = 6
"""Actions named in the summary sentence; the rest are counted ('n more')."""
APPENDIX_TABLES: tuple[str, ...] = (
    "segments", "technologies", "technology_years", "residual_values", "conversions", "technology_fuels",
    "infrastructure", "fuels", "prices", "emission_factors", "exchange_rates", "constants",
)
"""Catalogue tables shown in the appendix, in this order (technology_types has no world numbers)."""
GRADES: tuple[str, ...] = ("A", "B", "C", "D")


# ================================================================ entry points

def write_report(tables: Mapping[str, pd.DataFrame], scenario: Scenario, catalogue: Catalogue, folder: Path, *,
                 lang: str = "en", images: bool = False, log: Log = print) -> list[Path]:
    """Write report.html and report.xlsx (and images/ with images=True) into folder; return the paths."""
    folder = Path(folder)
    t = translator(lang, catalogue_names(catalogue.tables))
    charts = figures(tables, catalogue_colors(catalogue.tables), catalogue_patterns(catalogue.tables), t)
    used = used_catalogue_rows(scenario, catalogue)
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / REPORT_HTML
    page.write_text(render_report(tables, scenario, catalogue, used, charts, t), encoding="utf-8")
    workbook = write_workbook(tables, assumptions_frame(used, catalogue, scenario), folder / REPORT_XLSX)
    paths = [page, workbook]
    if images:
        paths += write_images(charts, folder / IMAGES_FOLDER, log=log)
    return paths


def report_from_folder(result_dir: Path, *, lang: str = "en", images: bool = False, log: Log = print) -> list[Path]:
    """Rebuild the report of a result folder written by `fleet-planner plan` (CSV tables,
    scenario.resolved.yaml and the catalogue copy in inputs/) into that folder."""
    from fleet_planner.loading.scenario import load_scenario

    result_dir = Path(result_dir)
    tables = read_result_tables(result_dir)
    scenario = load_scenario(result_dir / "scenario.resolved.yaml")
    catalogue = load_catalogue(result_dir / "inputs" / "vehicles", result_dir / "inputs" / "fuels")
    return write_report(tables, scenario, catalogue, result_dir, lang=lang, images=images, log=log)


def read_result_tables(result_dir: Path) -> dict[str, pd.DataFrame]:
    """The plan tables of a result folder, one DataFrame per CSV file (named by file stem)."""
    result_dir = Path(result_dir)
    if not (result_dir / "summary.csv").is_file() or not (result_dir / "scenario.resolved.yaml").is_file():
        raise FleetPlannerError(f"{result_dir}: not a result folder (no summary.csv or scenario.resolved.yaml); "
                                "give the --out folder of `fleet-planner plan`.")
    return {path.stem: pd.read_csv(path) for path in sorted(result_dir.glob("*.csv"))
            if path.stem not in NOT_RESULT_TABLES}


# ================================================================ the page

def render_report(tables: Mapping[str, pd.DataFrame], scenario: Scenario, catalogue: Catalogue,
                  used: Mapping[str, pd.DataFrame], charts: Mapping[str, go.Figure], t: Translator) -> str:
    """The whole HTML page as a string."""
    title = t("report.title", scenario=scenario.name)
    sections = [
        ("summary", t("section.summary"), summary_section(tables, t)),
        ("headline", t("section.headline"), headline_section(tables, catalogue, t)),
        ("charts", t("section.charts"), charts_section(charts)),
        ("tables", t("section.tables"), key_tables_section(tables, t)),
        ("appendix", t("section.appendix"), appendix_section(scenario, catalogue, used, t)),
    ]
    body = "\n".join(f'<section id="{key}">\n<h2>{_e(heading)}</h2>\n{content}\n</section>'
                     for key, heading, content in sections)
    contents = "".join(f'<li><a href="#{key}">{_e(heading)}</a></li>' for key, heading, _ in sections)
    return (f'<!DOCTYPE html>\n<html lang="{t.lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n"
            f'<body data-js-errors="0">\n<script>{JS_ERROR_RECORDER}</script>\n'
            f"{page_header(scenario, title, t)}\n"
            f'<nav><h2>{_e(t("report.contents"))}</h2><ol>{contents}</ol></nav>\n'
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")


JS_ERROR_RECORDER = """
(function () {
  var count = 0;
  function record(message) {
    count += 1;
    document.body.setAttribute('data-js-errors', String(count));
    var seen = document.body.getAttribute('data-js-error-messages') || '';
    document.body.setAttribute('data-js-error-messages', seen + String(message).slice(0, 200) + ' | ');
  }
  window.addEventListener('error', function (e) { record(e.message || 'error'); });
  window.addEventListener('unhandledrejection', function (e) { record(e.reason || 'unhandled rejection'); });
})();
"""

PAGE_CSS = """
body { font-family: "Noto Sans", Arial, "Liberation Sans", Helvetica, "Noto Sans CJK JP", "IPAexGothic",
       "IPAPGothic", "IPAGothic", "VL PGothic", sans-serif;
       color: #1a1a1a; max-width: 1100px; margin: 0 auto; padding: 1.5em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #1a1a1a; padding-bottom: 0.2em; margin-top: 2em; }
h3 { margin-top: 1.6em; }
.subtitle, .meta { color: #444; margin: 0.2em 0; }
.answer p { font-size: 1.1em; margin: 0.5em 0; }
nav ol { columns: 2; }
nav h2 { border: none; font-size: 1.1em; margin-top: 1em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.88em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #eee; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.wide { overflow-x: auto; }
figure.chart { margin: 1em 0 2em; break-inside: avoid; page-break-inside: avoid; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 0.8em; font-size: 0.82em; overflow-x: auto; }
.grade-D { background: #fbe9e7; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-before: page; }
  section#summary h2, section#headline h2 { break-before: auto; }
  .wide { overflow: visible; }
  table { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 15mm; }
"""


def page_header(scenario: Scenario, title: str, t: Translator) -> str:
    from fleet_planner import __version__

    subtitle = t("report.subtitle", first=scenario.horizon_first_year, last=scenario.horizon_last_year,
                 currency=scenario.currency, base_year=scenario.price_base_year,
                 rate=t.percent(scenario.discount_rate, 1), region=scenario.region)
    description = f'<p class="meta">{_e(scenario.description)}</p>' if scenario.description else ""
    return (f"<header>\n<h1>{_e(title)}</h1>\n{description}\n<p class=\"subtitle\">{_e(subtitle)}</p>\n"
            f'<p class="meta">{_e(t("report.generated_by", version=__version__))}</p>\n</header>')


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# ================================================================ summary: the answer in three sentences

def summary_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> str:
    summary = _summary_row(tables)
    sentences = [
        actions_sentence(tables, t),
        cost_sentence(summary, t),
        emissions_sentence(summary, tables.get("emissions", pd.DataFrame()), t),
    ]
    status = t("report.status", status=_status_text(summary.get("status"), t),
               gap=t.percent(_number(summary.get("mip_gap")), 2))
    paragraphs = "".join(f"<p>{_e(s)}</p>" for s in sentences)
    return f'<div class="answer">{paragraphs}</div>\n<p class="meta">{_e(status)}</p>'


def _summary_row(tables: Mapping[str, pd.DataFrame]) -> dict:
    summary = tables.get("summary")
    if summary is None or summary.empty:
        raise FleetPlannerError("the result has no summary table; re-run `fleet-planner plan`.")
    return summary.iloc[0].to_dict()


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _status_text(status: object, t: Translator) -> str:
    if status in ("optimal", "feasible"):
        return t(f"status.{status}")
    return t("status.other", status=status)


def plan_actions(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Purchases, conversions and early sales grouped by segment and technology, ordered by first year.

    Each action: {kind: buy|convert|sell, segment, technology, to_technology, count, years}."""
    specs = [
        ("buy", "purchases", ["segment", "technology"], "purchases_count"),
        ("convert", "conversions", ["segment", "from_technology", "to_technology"], "conversions_count"),
        ("sell", "sales", ["segment", "technology"], "sales_count"),
    ]
    actions = []
    for kind, name, keys, count_column in specs:
        frame = tables.get(name, pd.DataFrame())
        if frame.empty:
            continue
        frame = frame[frame[count_column] > 0.5]
        for key, group in frame.groupby(keys, sort=False):
            values = dict(zip(keys, key, strict=True))
            actions.append({"kind": kind, "segment": values["segment"],
                            "technology": values.get("technology", values.get("from_technology")),
                            "to_technology": values.get("to_technology"),
                            "count": float(group[count_column].sum()), "years": sorted(group["year"].unique())})
    return sorted(actions, key=lambda a: (["buy", "convert", "sell"].index(a["kind"]), a["years"][0],
                                          a["segment"], a["technology"]))


def actions_sentence(tables: Mapping[str, pd.DataFrame], t: Translator) -> str:
    actions = plan_actions(tables)
    if not actions:
        return t("summary.no_actions")
    phrases = [_action_phrase(a, t) for a in actions[:SUMMARY_ACTIONS_MAX]]
    if len(actions) > SUMMARY_ACTIONS_MAX:
        phrases.append(t("summary.more_actions", count=len(actions) - SUMMARY_ACTIONS_MAX))
    return t("summary.actions", actions=t.join(phrases))


def _action_phrase(action: dict, t: Translator) -> str:
    count = t.number(action["count"], 0 if float(action["count"]).is_integer() else 1)
    common = {"count": count, "segment": t.segment(action["segment"]), "years": t.years(action["years"])}
    if action["kind"] == "convert":
        return t("action.convert", from_technology=t.technology(action["technology"]),
                 to_technology=t.technology(action["to_technology"]), **common)
    return t(f"action.{action['kind']}", technology=t.technology(action["technology"]), **common)


def cost_sentence(summary: Mapping, t: Translator) -> str:
    npv, baseline = _number(summary.get("npv_cost")) or 0.0, _number(summary.get("baseline_npv_cost")) or 0.0
    currency = summary.get("currency", "")
    difference = baseline - npv
    share = t.percent(abs(difference) / abs(baseline), 0) if baseline else "–"
    values = {"npv": t.number(npv), "baseline": t.number(baseline), "difference": t.number(abs(difference)),
              "share": share, "currency": currency}
    if difference >= 0:
        return t("summary.cost_saving", **values)
    abatement = _number(summary.get("abatement_cost_per_tco2e"))
    if abatement is None:
        return t("summary.cost_extra_no_abatement", **values)
    return t("summary.cost_extra", abatement=t.number(abatement, 1), **values)


def emissions_sentence(summary: Mapping, emissions: pd.DataFrame, t: Translator) -> str:
    plan = _number(summary.get("emissions_tco2e")) or 0.0
    baseline = _number(summary.get("baseline_emissions_tco2e")) or 0.0
    difference = baseline - plan
    key = "summary.emissions_below" if difference >= 0 else "summary.emissions_above"
    return t(key, scope=_scope_name(summary, t), first=summary.get("first_year"), last=summary.get("last_year"),
             plan=t.number(plan), baseline=t.number(baseline), difference=t.number(abs(difference)),
             share=t.percent(abs(difference) / baseline, 0) if baseline else "–", cap=cap_phrase(emissions, t))


def _scope_name(summary: Mapping, t: Translator) -> str:
    scope = str(summary.get("emission_scope", "ttw"))
    return t(f"scope.{scope}") if scope in ("ttw", "wtw") else scope


def cap_years_exceeded(emissions: pd.DataFrame) -> tuple[list[int], list[int]]:
    """(years with a cap, years whose plan emissions exceed the cap beyond rounding)."""
    if emissions.empty or "cap_tco2e" not in emissions.columns:
        return [], []
    capped = emissions[pd.to_numeric(emissions["cap_tco2e"], errors="coerce").notna()]
    cap = capped["cap_tco2e"].astype(float)
    over = capped[capped["emissions_tco2e"] > cap + 1e-6 * np.maximum(1.0, cap.abs())]
    return [int(y) for y in capped["year"]], [int(y) for y in over["year"]]


def cap_phrase(emissions: pd.DataFrame, t: Translator) -> str:
    capped, exceeded = cap_years_exceeded(emissions)
    if not capped:
        return t("cap.none")
    if exceeded:
        return t("cap.exceeded", count=len(exceeded), years=t.years(exceeded))
    return t("cap.met")


# ================================================================ headline figures

def headline_section(tables: Mapping[str, pd.DataFrame], catalogue: Catalogue, t: Translator) -> str:
    s = _summary_row(tables)
    currency = s.get("currency", "")
    rows = [
        [t("headline.npv_cost", currency=currency), *_plan_baseline_difference(
            _number(s.get("npv_cost")), _number(s.get("baseline_npv_cost")), t, decimals=0)],
        [t("headline.emissions", first=s.get("first_year"), last=s.get("last_year"), scope=_scope_name(s, t)),
         *_plan_baseline_difference(_number(s.get("emissions_tco2e")), _number(s.get("baseline_emissions_tco2e")),
                                    t, decimals=1)],
    ]
    last_year = s.get("last_year")
    plan_share, baseline_share = zero_emission_shares(tables, catalogue, last_year)
    rows.append([t("headline.zero_emission_share", year=last_year), t.percent(plan_share, 0),
                 t.percent(baseline_share, 0), _signed_points(plan_share, baseline_share, t)])
    rows.append([t("headline.abatement", currency=currency), t.number(_number(s.get("abatement_cost_per_tco2e")), 1),
                 "", ""])
    header = [t("headline.quantity"), t("headline.plan"), t("headline.baseline"), t("headline.difference")]
    return html_table(header, rows, numeric=[False, True, True, True])


def _plan_baseline_difference(plan: float | None, baseline: float | None, t: Translator, *,
                              decimals: int) -> list[str]:
    difference = None if plan is None or baseline is None else plan - baseline
    signed = "–" if difference is None else ("+" if difference > 0 else "") + t.number(difference, decimals)
    return [t.number(plan, decimals), t.number(baseline, decimals), signed]


def _signed_points(plan: float | None, baseline: float | None, t: Translator) -> str:
    if plan is None or baseline is None:
        return "–"
    difference = plan - baseline
    return t("unit.percentage_points", number=("+" if difference > 0 else "") + t.number(100 * difference, 0))


def zero_emission_shares(tables: Mapping[str, pd.DataFrame], catalogue: Catalogue,
                         year: object) -> tuple[float | None, float | None]:
    """Zero-emission share of the vehicles in stock in `year`: plan (plan_by_year) and baseline
    (baseline_fleet x technology_types.zero_emission)."""
    plan_by_year = tables.get("plan_by_year", pd.DataFrame())
    plan = None
    if not plan_by_year.empty and "zero_emission_share" in plan_by_year.columns:
        row = plan_by_year[plan_by_year["year"] == year]
        plan = _number(row["zero_emission_share"].iloc[0]) if not row.empty else None
    baseline_fleet = tables.get("baseline_fleet", pd.DataFrame())
    types = catalogue.tables.get("technology_types", pd.DataFrame())
    if baseline_fleet.empty or types.empty:
        return plan, None
    zero = {str(k): str(v).lower() == "true" for k, v in zip(types["technology"], types["zero_emission"],
                                                             strict=True)}
    stock = baseline_fleet[baseline_fleet["year"] == year]
    total = stock["stock_count"].sum()
    if total <= 0:
        return plan, None
    return plan, float(stock[stock["technology"].map(zero).fillna(False).astype(bool)]["stock_count"].sum() / total)


# ================================================================ charts

def charts_section(charts: Mapping[str, go.Figure]) -> str:
    """Every chart as a plotly div; plotly.js is embedded once, with the first chart."""
    parts = []
    for index, name in enumerate(n for n in CHART_NAMES if n in charts):
        fig = charts[name]
        div = fig.to_html(full_html=False, include_plotlyjs=index == 0, div_id=f"chart-{name}",
                          config=PLOTLY_CONFIG, default_width="100%",
                          default_height=f"{int(fig.layout.height or 450)}px")
        parts.append(f'<figure class="chart" id="figure-{name}">\n{div}\n</figure>')
    return "\n".join(parts)


# ================================================================ key tables

def key_tables_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> str:
    summary = _summary_row(tables)
    currency, scope = summary.get("currency", ""), _scope_name(summary, t)
    parts = [
        (t("table.plan_by_year"), plan_by_year_table(tables.get("plan_by_year", pd.DataFrame()), t, currency,
                                                      scope)),
        (t("table.fleet"), fleet_milestones_table(tables.get("fleet", pd.DataFrame()), t)),
        (t("table.emissions"), emissions_table(tables.get("emissions", pd.DataFrame()), t, scope,
                                                str(summary.get("emission_scope", "ttw")))),
        (t("table.costs", currency=currency), costs_table(tables.get("costs", pd.DataFrame()), t, currency)),
        (t("table.cost_per_activity"), cost_per_activity_table(tables.get("cost_per_activity", pd.DataFrame()),
                                                                t)),
    ]
    return "\n".join(f"<h3>{_e(title)}</h3>\n{content}" for title, content in parts)


PLAN_COLUMNS: tuple[str, ...] = ("year", "purchases_count", "conversions_count", "sales_count", "stock_count",
                                 "zero_emission_share", "capex_net_cost", "total_cost", "total_discounted_cost",
                                 "emissions_tco2e")


def plan_by_year_table(plan: pd.DataFrame, t: Translator, currency: str, scope: str) -> str:
    columns = [c for c in PLAN_COLUMNS if c in plan.columns]
    headers = [t(f"column.{c}", currency=currency, scope=scope) for c in columns]
    return frame_table(plan, columns, headers, t)


def emissions_table(emissions: pd.DataFrame, t: Translator, scope: str, scope_id: str) -> str:
    """Plan (policy scope), cap, baseline, and the plan in the other scope."""
    other = {"ttw": "emissions_wtw_tco2e", "wtw": "emissions_ttw_tco2e"}.get(scope_id)
    columns = [c for c in ("year", "emissions_tco2e", "cap_tco2e", "baseline_tco2e", other)
               if c in emissions.columns]
    return frame_table(emissions, columns, [t(f"column.{c}", scope=scope) for c in columns], t)


def fleet_milestones_table(fleet: pd.DataFrame, t: Translator) -> str:
    """Vehicles in stock by segment and technology at the milestone years (columns)."""
    if fleet.empty:
        return f"<p>{_e(t('table.empty'))}</p>"
    years = milestone_years(sorted(int(y) for y in fleet["year"].unique()), [])
    wide = fleet[fleet["year"].isin(years)].pivot_table(index=["segment", "technology"], columns="year",
                                                         values="stock_count", aggfunc="sum", fill_value=0.0)
    wide = wide[(wide.abs() > 1e-6).any(axis=1)]
    rows = [[t.segment(s), t.technology(tech), *(_format_value("stock_count", v, t) for v in values)]
            for (s, tech), values in zip(wide.index, wide.to_numpy(), strict=True)]
    header = [t("column.segment"), t("column.technology"), *(str(y) for y in wide.columns)]
    return html_table(header, rows, numeric=[False, False, *([True] * len(wide.columns))])


def costs_table(costs: pd.DataFrame, t: Translator, currency: str) -> str:
    """Years x category groups (real), with the net total and the discounted total."""
    if costs.empty:
        return f"<p>{_e(t('table.empty'))}</p>"
    nominal = cost_by_group(costs, "cost")
    discounted = costs.groupby("year")["discounted_cost"].sum()
    header = [t("column.year"), *(t(f"category.{g}") for g in nominal.columns),
              t("column.net_total", currency=currency), t("column.discounted_total", currency=currency)]
    rows = [[str(int(year)), *(t.number(v) for v in values), t.number(values.sum()), t.number(discounted[year])]
            for year, values in zip(nominal.index, nominal.to_numpy(), strict=True)]
    return html_table(header, rows, numeric=[False, *([True] * (len(header) - 1))])


def cost_per_activity_table(cost_per_activity: pd.DataFrame, t: Translator) -> str:
    if cost_per_activity.empty:
        return f"<p>{_e(t('table.empty'))}</p>"
    rows = []
    for r in cost_per_activity.itertuples(index=False):
        unit, currency = r.activity_unit, r.currency
        rows.append([t.segment(r.segment), t.technology(r.technology),
                     f"{t.number(r.cost_per_au, 3)} {currency}/{unit}",
                     f"{t.number(r.discounted_cost)} {currency}", f"{t.number(r.discounted_activity_au)} {unit}"])
    currency = cost_per_activity["currency"].iloc[0]
    header = [t("column.segment"), t("column.technology"), t("column.cost_per_activity"),
              t("column.discounted_cost", currency=currency), t("column.discounted_activity")]
    return html_table(header, rows, numeric=[False, False, True, True, True])


def frame_table(frame: pd.DataFrame, columns: list[str], headers: list[str], t: Translator) -> str:
    if frame.empty:
        return f"<p>{_e(t('table.empty'))}</p>"
    rows = [[_format_value(c, v, t) for c, v in zip(columns, values, strict=True)]
            for values in frame[columns].itertuples(index=False)]
    return html_table(headers, rows, numeric=[c not in ("year", "segment", "technology") for c in columns])


def _format_value(column: str, value: object, t: Translator) -> str:
    """Numbers by the unit in the column name: counts whole, shares in %, money whole, tCO2e 1 decimal."""
    number = _number(value)
    if column in ("year", "model_year"):
        return "–" if number is None else str(int(number))
    if number is None:
        return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if column.endswith("_share"):
        return t.percent(number, 0)
    if column.endswith("_count"):
        return t.number(number, 0 if abs(number - round(number)) < 1e-6 else 1)
    if column.endswith("_tco2e"):
        return t.number(number, 1)
    return t.number(number, 0)


def html_table(header: list[str], rows: list[list[str]], *, numeric: list[bool], breakable_header: bool = False,
               ) -> str:
    """A plain HTML table; breakable_header lets snake_case column names wrap after '_'."""
    head = "".join(f"<th>{_e(h).replace('_', '_<wbr>') if breakable_header else _e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="num">{_e(v)}</td>' if is_number else f"<td>{_e(v)}</td>"
                                    for v, is_number in zip(row, numeric, strict=True)) + "</tr>"
                   for row in rows)
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


# ================================================================ appendix: every assumption with its source

def used_catalogue_rows(scenario: Scenario, catalogue: Catalogue) -> dict[str, pd.DataFrame]:
    """The catalogue rows this scenario uses, by table, each with a `grade` column after source_id.

    Rows are those of the scenario's segments, their allowed and existing technologies (and
    conversion targets), the fuels those technologies may run on, the scenario's region and
    currency; every year row is kept, since years in between are interpolated from them."""
    c = catalogue.tables
    pairs = segment_technologies_used(scenario, catalogue)
    segments = set(scenario.demand)
    technologies = {tech for _, tech in pairs}
    fuels = fuels_used(scenario, catalogue, technologies)
    rows = {
        "segments": c["segments"][c["segments"]["segment"].isin(segments)],
        "technologies": _rows_of_pairs(c["technologies"], pairs),
        "technology_years": _rows_of_pairs(c["technology_years"], pairs),
        "residual_values": c["residual_values"][c["residual_values"]["segment"].isin(segments)],
        "conversions": _conversions_used(scenario, c["conversions"], pairs),
        "technology_fuels": c["technology_fuels"][c["technology_fuels"]["technology"].isin(technologies)
                                                  & c["technology_fuels"]["fuel"].isin(fuels)],
        "infrastructure": _infrastructure_used(scenario, c["infrastructure"], segments),
        "fuels": c["fuels"][c["fuels"]["fuel"].isin(fuels)],
        "prices": c["prices"][c["prices"]["fuel"].isin(fuels) & (c["prices"]["region"] == scenario.region)],
        "emission_factors": c["emission_factors"][c["emission_factors"]["fuel"].isin(fuels)],
        "constants": c["constants"],
    }
    currencies = {scenario.currency}
    for frame in rows.values():
        if "currency" in frame.columns:
            currencies |= set(frame["currency"].dropna().astype(str))
    rows["exchange_rates"] = c["exchange_rates"][c["exchange_rates"]["currency"].isin(currencies)]
    grades = _grades_by_source(catalogue)
    return {name: _with_grade(rows[name].reset_index(drop=True), grades) for name in APPENDIX_TABLES}


def segment_technologies_used(scenario: Scenario, catalogue: Catalogue) -> set[tuple[str, str]]:
    """(segment, technology) pairs the plan may use: allowed ones, existing cohorts, conversion targets."""
    listed = catalogue.tables["technologies"]
    pairs: set[tuple[str, str]] = set()
    for segment, demand in scenario.demand.items():
        in_catalogue = listed.loc[listed["segment"] == segment, "technology"].astype(str)
        allowed = demand.technologies if demand.technologies else list(in_catalogue)
        pairs |= {(segment, tech) for tech in allowed}
    pairs |= {(c.segment, c.technology) for c in _cohorts(scenario) if c.segment in scenario.demand}
    if scenario.policy.allow_conversions:
        conversions = catalogue.tables["conversions"]
        for r in conversions.itertuples(index=False):
            if (r.segment, r.from_technology) in pairs:
                pairs.add((r.segment, r.to_technology))
    return pairs


def fuels_used(scenario: Scenario, catalogue: Catalogue, technologies: set[str]) -> set[str]:
    """Fuels the technologies may run on (technology_fuels.csv), limited by the scenario's fuels.allowed."""
    links = catalogue.tables["technology_fuels"]
    fuels = set(links.loc[links["technology"].isin(technologies), "fuel"].astype(str))
    if scenario.fuels.allowed is not None:
        fuels &= set(scenario.fuels.allowed)
    return fuels


def _cohorts(scenario: Scenario) -> list:
    return scenario.fleet if isinstance(scenario.fleet, list) else []


def _rows_of_pairs(frame: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    keys = list(zip(frame["segment"].astype(str), frame["technology"].astype(str), strict=True))
    return frame[[key in pairs for key in keys]]


def _conversions_used(scenario: Scenario, conversions: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    if not scenario.policy.allow_conversions or conversions.empty:
        return conversions.iloc[0:0]
    keys = zip(conversions["segment"], conversions["from_technology"], conversions["to_technology"], strict=True)
    return conversions[[(s, a) in pairs and (s, b) in pairs for s, a, b in keys]]


def _infrastructure_used(scenario: Scenario, infrastructure: pd.DataFrame, segments: set[str]) -> pd.DataFrame:
    if infrastructure.empty:
        return infrastructure
    options = scenario.infrastructure.options
    chosen = infrastructure if options is None else infrastructure[infrastructure["infrastructure"].isin(options)]

    def serves_a_segment(listed: object) -> bool:
        names = {s.strip() for s in str(listed).split(";")}
        return "*" in names or bool(names & segments)

    return chosen[chosen["segments"].map(serves_a_segment)]


def _grades_by_source(catalogue: Catalogue) -> dict[str, str]:
    sources = catalogue.sources
    return {str(k): str(v) for k, v in zip(sources["source_id"], sources["grade"], strict=True)}


def _source_ids(cell: object) -> list[str]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def _with_grade(frame: pd.DataFrame, grades: Mapping[str, str]) -> pd.DataFrame:
    """frame with a `grade` column right after source_id ('A;D' when a row cites two sources)."""
    if "source_id" not in frame.columns:
        return frame
    frame = frame.copy()
    grade = [";".join(grades.get(i, "?") for i in _source_ids(cell)) for cell in frame["source_id"]]
    frame.insert(frame.columns.get_loc("source_id") + 1, "grade", grade)
    return frame


def appendix_section(scenario: Scenario, catalogue: Catalogue, used: Mapping[str, pd.DataFrame],
                     t: Translator) -> str:
    parts = [f"<p>{_e(t('appendix.intro', currency=scenario.currency, base_year=scenario.price_base_year))}</p>",
             f"<h3>{_e(t('appendix.grades'))}</h3>",
             "<ul>" + "".join(f"<li>{_e(t(f'grade.{g}'))}</li>" for g in GRADES) + "</ul>",
             f"<h3>{_e(t('appendix.sources'))}</h3>", sources_table(catalogue, used, t),
             f"<h3>{_e(t('appendix.catalogue'))}</h3>"]
    for name, frame in used.items():
        folder, file = CATALOGUE_TABLES[name][0], CATALOGUE_TABLES[name][1]
        title = t("appendix.table", title=t(f"catalogue.{name}"), file=f"{folder}/{file}")
        parts.append(f"<h4>{_e(title)}</h4>\n{catalogue_rows_table(frame, t)}")
    parts += [f"<h3>{_e(t('appendix.fleet'))}</h3>", fleet_cohorts_table(scenario, t),
              f"<h3>{_e(t('appendix.scenario'))}</h3>", f"<p>{_e(t('appendix.scenario_intro'))}</p>",
              f"<pre>{_e(scenario_settings_yaml(scenario))}</pre>"]
    return "\n".join(parts)


def sources_used(catalogue: Catalogue, used: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of vehicles/sources.csv and fuels/sources.csv cited by the used catalogue rows."""
    cited = {i for frame in used.values() if "source_id" in frame.columns for cell in frame["source_id"]
             for i in _source_ids(cell)}
    sources = catalogue.sources.drop_duplicates("source_id")
    return sources[sources["source_id"].isin(cited)].sort_values("source_id").reset_index(drop=True)


def sources_table(catalogue: Catalogue, used: Mapping[str, pd.DataFrame], t: Translator) -> str:
    sources = sources_used(catalogue, used)
    if sources.empty:
        return f"<p>{_e(t('table.empty'))}</p>"
    header = [t("column.source_id"), t("column.grade"), t("column.citation"), t("column.source_year"),
              t("column.url")]
    body = []
    for r in sources.itertuples(index=False):
        url = r.url if isinstance(r.url, str) and r.url else ""
        link = f'<a href="{_e(url)}">{_e(url)}</a>' if url.startswith(("http://", "https://")) else _e(url)
        year = "" if _number(r.year) is None else str(int(float(r.year)))
        body.append(f'<tr class="grade-{_e(r.grade)}"><td>{_e(r.source_id)}</td><td>{_e(r.grade)}</td>'
                    f"<td>{_e(r.citation)}</td><td>{year}</td><td>{link}</td></tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def catalogue_rows_table(frame: pd.DataFrame, t: Translator) -> str:
    """Catalogue rows as listed in the CSV (column names as in docs/catalogues.md)."""
    if frame.empty:
        return f"<p>{_e(t('table.empty'))}</p>"
    frame = frame.loc[:, [not frame[c].map(_is_blank).all() for c in frame.columns]]  # all-blank columns say nothing
    rows = [[_catalogue_cell(v) for v in values] for values in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and c != "year" for c in frame.columns]
    return html_table(list(frame.columns), rows, numeric=numeric, breakable_header=True)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _catalogue_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return np.format_float_positional(float(value), trim="-")
    return str(value)


def fleet_cohorts_table(scenario: Scenario, t: Translator) -> str:
    cohorts = _cohorts(scenario)
    if not cohorts:
        return f"<p>{_e(t('appendix.no_fleet'))}</p>"
    header = [t("column.segment"), t("column.technology"), t("column.model_year"), t("column.count"),
              t("column.annual_activity_au"), t("column.lease_end_year")]
    rows = [[t.segment(c.segment), t.technology(c.technology), str(c.model_year), t.number(c.count),
             t.number(c.annual_activity_au), "–" if c.lease_end_year is None else str(c.lease_end_year)]
            for c in cohorts]
    return html_table(header, rows, numeric=[False, False, False, True, True, False])


def scenario_settings(scenario: Scenario) -> dict:
    """The scenario as plain data, without the fleet cohorts (listed separately) and variants;
    catalogue paths as in the result folder's scenario.resolved.yaml (no local paths in a hand-over)."""
    settings = scenario.model_dump(mode="json", exclude={"variants", "fleet"})
    settings["vehicles_catalogue"], settings["fuels_catalogue"] = "inputs/vehicles", "inputs/fuels"
    return settings


def scenario_settings_yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(scenario_settings(scenario), sort_keys=False, allow_unicode=True)


# ================================================================ assumptions sheet

ASSUMPTION_COLUMNS: tuple[str, ...] = ("table", "file", "key", "field", "value", "source_id", "grade", "citation",
                                       "source_year", "url", "notes")


def assumptions_frame(used: Mapping[str, pd.DataFrame], catalogue: Catalogue, scenario: Scenario) -> pd.DataFrame:
    """One row per assumption: every catalogue value used (with its source citation and grade)
    and every scenario setting (source: the scenario file)."""
    sources = catalogue.sources.drop_duplicates("source_id").set_index("source_id")
    records = [record for name, frame in used.items() for record in _catalogue_records(name, frame, sources)]
    records += _scenario_records(scenario)
    return pd.DataFrame.from_records(records, columns=list(ASSUMPTION_COLUMNS))


def _catalogue_records(name: str, frame: pd.DataFrame, sources: pd.DataFrame) -> Iterable[dict]:
    folder, file, _model, keys = CATALOGUE_TABLES[name]
    skip = {*keys, "source_id", "grade", "notes"}
    for row in frame.to_dict(orient="records"):
        ids = _source_ids(row.get("source_id"))
        cited = sources.reindex(ids)
        common = {
            "table": name, "file": f"{folder}/{file}", "key": " / ".join(str(row[k]) for k in keys),
            "source_id": ";".join(ids), "grade": row.get("grade", ""),
            "citation": " | ".join(str(c) for c in cited["citation"].fillna("")),
            "source_year": ";".join("" if pd.isna(y) else str(int(y)) for y in cited["year"]),
            "url": " ".join(str(u) for u in cited["url"].fillna("") if u),
            "notes": "" if pd.isna(row.get("notes", "")) else str(row.get("notes", "")),
        }
        for field, value in row.items():
            if field in skip or value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            yield {**common, "field": field, "value": value}


def _scenario_records(scenario: Scenario) -> list[dict]:
    source = scenario.source_file
    records = []
    for dotted, value in _flatten(scenario_settings(scenario)):
        records.append({"table": "scenario", "file": source, "key": dotted.split(".")[0], "field": dotted,
                        "value": value if isinstance(value, int | float | str) else yaml.safe_dump(value).strip(),
                        "source_id": "", "grade": "", "citation": "scenario", "source_year": "", "url": "",
                        "notes": ""})
    for index, cohort in enumerate(_cohorts(scenario)):
        for field, value in cohort.model_dump().items():
            if value is not None:
                records.append({"table": "scenario", "file": source, "key": f"fleet.{index}",
                                "field": f"fleet.{index}.{field}", "value": value, "source_id": "", "grade": "",
                                "citation": "scenario", "source_year": "", "url": "", "notes": ""})
    return records


def _flatten(data: object, prefix: str = "") -> Iterable[tuple[str, object]]:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif data is not None and data != [] and data != {}:
        yield prefix, data


# ================================================================ static images

def find_chromium() -> str | None:
    """Path of the Chrome/Chromium kaleido will use (BROWSER_PATH, PATH, usual places, or one
    downloaded by `plotly_get_chrome`), or None."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return Chromium.find_browser(skip_local=False)


def write_images(charts: Mapping[str, go.Figure], folder: Path, *, log: Log = print) -> list[Path]:
    """PNG, SVG and PDF of each chart in one kaleido session; without kaleido or Chromium, one
    log line says how to get them and nothing is written."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        log(NO_KALEIDO_MESSAGE)
        return []
    if find_chromium() is None:
        log(NO_CHROMIUM_MESSAGE)
        return []
    import plotly.io as pio

    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(fig, folder / f"{name}.{fmt}", fmt) for name, fig in charts.items() for fmt in IMAGE_FORMATS]
    try:
        pio.write_images([fig for fig, _, _ in jobs], [path for _, path, _ in jobs],
                         width=IMAGE_WIDTH_PX, height=[int(fig.layout.height or 450) for fig, _, _ in jobs],
                         scale=[PNG_SCALE if fmt == "png" else 1 for _, _, fmt in jobs])
    except Exception as exc:  # noqa: BLE001 images are optional: the report must still be written
        log(f"static images skipped: export failed ({str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r})")
        return []
    return [path for _, path, _ in jobs if path.is_file()]
