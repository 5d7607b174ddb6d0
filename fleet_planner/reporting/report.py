"""The proposal report: one self-contained HTML page, an Excel workbook and optional static images.

`write_report` turns the plan tables of a result (the same DataFrames as its CSV files), the
scenario and the catalogue into:

* `report.html`: summary in three sentences, headline figures vs the baseline, the charts
  (plotly.js embedded once, so the page works offline), the key tables, and an appendix with
  every catalogue row used (source and grade) and the scenario settings. The page is a Jinja2
  template (templates/report.html.j2) with autoescape: scenario names, descriptions, notes and
  every other text are escaped; only the chart divs plotly builds from the tables are inserted
  as they are;
* `report.xlsx`: one sheet per plan table plus an `assumptions` sheet (reporting/workbook.py);
* with `images=True`, `images/<chart>.png|svg|pdf` through kaleido (needs a Chromium).

Nothing here imports the solver: the report reads tables only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from fleet_planner._version import __version__
from fleet_planner.accounts.assumptions import assumption_tables
from fleet_planner.exceptions import FleetPlannerError
from fleet_planner.loading.catalogue import Catalogue, load_catalogue
from fleet_planner.reporting.actions import actions_section
from fleet_planner.reporting.appendix import appendix_section, used_catalogue_rows
from fleet_planner.reporting.assumptions import ASSUMPTION_COLUMNS, assumptions_frame
from fleet_planner.reporting.charts import CHART_NAMES, catalogue_colors, catalogue_patterns, figures
from fleet_planner.reporting.financing_view import financing_section
from fleet_planner.reporting.fonts import has_cjk_font
from fleet_planner.reporting.i18n import Translator, catalogue_names, translator
from fleet_planner.reporting.images import find_chromium, write_images
from fleet_planner.reporting.key_tables import key_tables_section
from fleet_planner.reporting.mrv import mrv_section
from fleet_planner.reporting.proposal_sections import end_value_section, grants_section
from fleet_planner.reporting.summary import headline_section, summary_row, summary_section
from fleet_planner.reporting.violations_view import is_client_plan, violations_section
from fleet_planner.reporting.workbook import write_workbook
from fleet_planner.schemas.scenario import Scenario

Log = Callable[[str], None]

REPORT_HTML = "report.html"
REPORT_XLSX = "report.xlsx"
IMAGES_FOLDER = "images"
NOT_RESULT_TABLES = frozenset({"decisions", "diagnosis"})
"""CSV files of a result folder that are not plan tables."""
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
SECTIONS: tuple[str, ...] = ("summary", "actions", "headline", "charts", "end_value", "grants", "financing", "tables",
                             "mrv", "appendix")
"""Report sections in order; grants, end_value and mrv only when the result has them (mrv: after
`fleet-planner mrv`); a client plan's report adds its broken rules after the headline."""

__all__ = ["ASSUMPTION_COLUMNS", "find_chromium", "read_result_tables", "render_report", "report_from_folder",
           "used_catalogue_rows", "write_images", "write_report"]


# ================================================================ entry points

def write_report(tables: Mapping[str, pd.DataFrame], scenario: Scenario, catalogue: Catalogue, folder: Path, *,
                 lang: str = "en", images: bool = False, log: Log = print) -> list[Path]:
    """Write report.html and report.xlsx (and images/ with images=True) into folder; return the paths.
    Another language writes report.<lang>.html, report.<lang>.xlsx and images.<lang>/ beside them."""
    folder = Path(folder)
    t = translator(lang, catalogue_names(catalogue.tables))
    charts = figures(tables, catalogue_colors(catalogue.tables), catalogue_patterns(catalogue.tables), t)
    used = used_catalogue_rows(scenario, catalogue)
    folder.mkdir(parents=True, exist_ok=True)
    if lang == "ja" and has_cjk_font() is not True:
        log(t("report.no_cjk_font"))
    page = folder / output_name(REPORT_HTML, lang)
    page.write_text(render_report(tables, scenario, catalogue, used, charts, t), encoding="utf-8")
    workbook = write_workbook(tables, assumptions_frame(used, catalogue, scenario),
                              folder / output_name(REPORT_XLSX, lang), t=None if lang == "en" else t)
    paths = [page, workbook]
    if images:
        paths += write_images(charts, folder / output_name(IMAGES_FOLDER, lang), log=log)
    return paths


def output_name(name: str, lang: str) -> str:
    """report.html -> report.es.html (English keeps the plain name), images -> images.es."""
    if lang == "en":
        return name
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{lang}{dot}{suffix}"


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

@cache
def template_environment() -> Environment:
    """Jinja2 environment of the report templates: autoescape on, undefined names are errors."""
    environment = Environment(loader=PackageLoader("fleet_planner.reporting", "templates"),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["wbr"] = lambda text: Markup("_<wbr>").join(escape(str(text)).split("_"))
    return environment


def render_report(tables: Mapping[str, pd.DataFrame], scenario: Scenario, catalogue: Catalogue,
                  used: Mapping[str, pd.DataFrame], charts: Mapping[str, go.Figure], t: Translator) -> str:
    """The whole HTML page as a string."""
    client = is_client_plan(summary_row(tables))
    optional = {"mrv": mrv_section(tables, t), "end_value": end_value_section(tables, t),
                "grants": with_chart(grants_section(tables, t), charts, "grants")}
    keys = [key for key in SECTIONS if key not in optional or optional[key] is not None]
    if client:
        keys.insert(keys.index("headline") + 1, "violations")
    context = {**optional,
        "lang": t.lang, "title": t("report.client_title" if client else "report.title", scenario=scenario.name),
        "description": scenario.description,
        "subtitle": t("report.subtitle", first=scenario.horizon_first_year, last=scenario.horizon_last_year,
                      currency=scenario.currency, base_year=scenario.price_base_year,
                      rate=t.percent(scenario.discount_rate, 1), region=scenario.region),
        "generated_by": t("report.generated_by", version=__version__), "contents": t("report.contents"),
        "sections": [{"key": key, "heading": t(f"section.{key}")} for key in keys],
        "empty": t("table.empty"),
        "summary": summary_section(tables, t),
        "headline": headline_section(tables, catalogue, t),
        "violations": violations_section(tables, t) if client else None,
        "violations_intro": t("violations.intro") if client else "",
        "violations_none": t("violations.none") if client else "",
        "charts": chart_divs(charts),
        "plotly_js": plotly_script(),
        "actions": with_chart(actions_section(tables, t), charts, "actions"),
        "financing": with_chart({**financing_section(tables, t), "comparison_title": t("financing.comparison_title"),
                                 "contracts_title": t("financing.contracts_title"), "note": t("financing.note")},
                                charts, "cash_flows"),
        "key_tables": key_tables_section(tables, t),
        "appendix": appendix_section(scenario, catalogue, used, assumption_tables_of(tables, scenario, catalogue), t),
    }
    return template_environment().get_template("report.html.j2").render(context)


def assumption_tables_of(tables: Mapping[str, pd.DataFrame], scenario: Scenario,
                         catalogue: Catalogue) -> Mapping[str, pd.DataFrame]:
    """The run's money_basis and calibration tables (recomputed for a result folder written
    before they existed)."""
    if "money_basis" in tables and "calibration" in tables:
        return tables
    return assumption_tables(scenario, catalogue)


def chart_divs(charts: Mapping[str, go.Figure]) -> list[dict]:
    """The charts section's charts as plotly divs (trusted markup built by plotly from the plan tables)."""
    return [{"name": name, "html": chart_div(charts[name], name)} for name in CHART_NAMES if name in charts]


def with_chart(section: dict | None, charts: Mapping[str, go.Figure], name: str) -> dict | None:
    """A section's data with its chart's div added (when the chart was drawn)."""
    if section is None or name not in charts:
        return section
    return {**section, "chart": chart_div(charts[name], name)}


def chart_div(fig: go.Figure, name: str) -> Markup:
    """One chart as a plotly div; plotly.js itself is embedded once, in the page's head."""
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{name}", config=PLOTLY_CONFIG,
                              default_width="100%", default_height=f"{int(fig.layout.height or 450)}px"))


@cache
def plotly_script() -> Markup:
    """plotly.js (bundled with the plotly package) as one inline script: the page works offline."""
    from plotly.offline import get_plotlyjs

    return Markup('<script type="text/javascript">') + Markup(get_plotlyjs()) + Markup("</script>")
