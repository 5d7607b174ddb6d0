"""The page of `fleet-planner compare CLIENT OPTIMUM --report PAGE`: the client's plan against the
optimum, self-contained (plotly.js embedded once), in the report's languages."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from fleet_planner._version import __version__
from fleet_planner.reporting.charts.comparison import plot_client_vs_optimum
from fleet_planner.reporting.client_compare import (
    ClientComparison,
    client_violations_table,
    comparison_sentence,
    decisions_table,
    emissions_sentence,
    headline_table,
)
from fleet_planner.reporting.i18n import translator
from fleet_planner.reporting.report import PLOTLY_CONFIG, template_environment


def render_comparison(c: ClientComparison, lang: str = "en") -> str:
    t = translator(lang)
    chart = plot_client_vs_optimum(c.emissions, t).to_html(full_html=False, include_plotlyjs=True,
                                                           div_id="chart-client_vs_optimum", config=PLOTLY_CONFIG,
                                                           default_width="100%", default_height="450px")
    context = {
        "lang": t.lang, "title": t("client_compare.title", scenario=c.client.get("scenario", "")),
        "folders": t("compare.folders", client=c.client_dir.name, optimum=c.optimum_dir.name),
        "generated_by": t("report.generated_by", version=__version__),
        "sentence": comparison_sentence(c, t), "emissions_sentence": emissions_sentence(c, t),
        "headline_heading": t("compare.section_headline"), "headline": headline_table(c, t),
        "chart": Markup(chart), "empty": t("table.empty"),
        "decisions_heading": t("compare.section_decisions"), "decisions": decisions_table(c, t),
        "no_differences": t("compare.no_differences"),
        "violations_heading": t("compare.section_violations"), "violations": client_violations_table(c, t),
        "violations_none": t("violations.none"),
    }
    return template_environment().get_template("client_compare.html.j2").render(context)


def write_comparison_page(c: ClientComparison, path: Path, *, lang: str = "en") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_comparison(c, lang), encoding="utf-8")
    return path
