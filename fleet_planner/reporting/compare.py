"""Several result folders side by side (`fleet-planner compare`): a terminal table with a difference
column and labelled emission scopes, and (`--report`) one HTML page overlaying the scenarios'
fleet, emissions and cost charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from fleet_planner.exceptions import ScenarioError
from fleet_planner.reporting.i18n import Translator, translator

HEADLINES: list[tuple[str, str, str]] = [  # (summary column, label, kind); money rows per currency
    ("status", "status", "text"),
    ("npv_cost", "NPV of total cost [{currency}]", "money"),
    ("baseline_npv_cost", "NPV, baseline [{currency}]", "money"),
    ("npv_saving_cost", "NPV saving vs baseline [{currency}]", "money"),
    ("abatement_cost_per_tco2e", "abatement cost [{currency}/tCO2e]", "money"),
]
SCOPES = {"ttw": "tank-to-wheel", "wtw": "well-to-wheel"}
LABEL_WIDTH = 44
TRACE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
"""One line style per scenario (in order), the same in every overlay chart."""


def letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"S{index + 1}"


def read_folder(folder: Path) -> dict[str, pd.DataFrame]:
    folder = Path(folder)
    tables = {}
    for name in ("summary", "emissions", "fleet", "cumulative_cost"):
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise ScenarioError(f"{folder}: no {name}.csv; give folders written by `fleet-planner plan`.")
        tables[name] = pd.read_csv(path)
    return tables


def compare_results(folders: list[Path]) -> pd.DataFrame:
    """Rows: headline figures (emissions in both scopes, each labelled); columns: one per folder
    (A, B, ...) and 'B - A' (etc.) where the figures are comparable (same currency, numbers)."""
    if len(folders) < 1:
        raise ScenarioError("give at least one result folder.")
    rows: dict[str, dict] = {}
    names, currencies = [], []
    for index, folder in enumerate(folders):
        tables = read_folder(folder)
        summary, emissions = tables["summary"].iloc[0], tables["emissions"]
        column = letter(index)
        names.append(f"{column} = {summary.get('scenario')} ({Path(folder).name})")
        currencies.append(summary.get("currency"))
        kind = summary.get("plan_kind")
        client = isinstance(kind, str)
        rows.setdefault("plan", {})[column] = kind if client else "optimised"
        rows.setdefault("rules broken", {})[column] = summary.get("rules_broken") if client else 0  # verified optimum
        for key, label, _kind in HEADLINES:
            rows.setdefault(label.format(currency=summary.get("currency")), {})[column] = summary.get(key)
        for scope, long in SCOPES.items():
            rows.setdefault(f"emissions, all years, {long} [tCO2e]", {})[column] = \
                float(emissions[f"emissions_{scope}_tco2e"].sum())
        policy = str(summary.get("emission_scope"))
        rows.setdefault("policy scope (caps, abatement cost)", {})[column] = SCOPES.get(policy, policy)
        rows.setdefault("avoided vs baseline, policy scope [tCO2e]", {})[column] = summary.get("avoided_tco2e")
        for year in [y for y in emissions["year"] if y % 5 == 0 or y == emissions["year"].max()]:
            value = emissions.loc[emissions["year"] == year, "emissions_tco2e"].iloc[0]
            rows.setdefault(f"emissions {year}, policy scope [tCO2e]", {})[column] = value
        fleet = tables["fleet"]
        last = fleet[fleet["year"] == fleet["year"].max()].groupby("technology")["stock_count"].sum()
        rows.setdefault("fleet in last year", {})[column] = ", ".join(f"{t} {n:g}" for t, n in last.items() if n > 0)
    table = pd.DataFrame(rows).T
    table.attrs["names"] = names
    first = table.columns[0]
    for other in list(table.columns[1:]):
        table[f"{other} - {first}"] = [_difference(row[first], row[other]) for _label, row in table.iterrows()]
    return table


def _difference(a, b) -> float | None:
    """b - a for two numbers (money rows are per currency, so only like is compared with like)."""
    if all(isinstance(v, int | float) and v == v for v in (a, b)):
        return float(b) - float(a)
    return None


def format_comparison(table: pd.DataFrame) -> str:
    """The comparison for a terminal: a legend of the columns (A = scenario (folder), ...), then
    the table with labels shortened to LABEL_WIDTH; differences carry their sign."""
    shown = pd.DataFrame(index=[label if len(label) <= LABEL_WIDTH else label[: LABEL_WIDTH - 1] + "…"
                                for label in table.index])
    for column in table.columns:
        signed = " - " in column
        shown[column] = [_text(v, signed) for v in table[column]]
    legend = "\n".join(table.attrs.get("names", []))
    return f"{legend}\n\n{shown.to_string()}"


def _text(value, signed: bool) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float | int):
        return f"{value:+,.0f}" if signed else f"{value:,.0f}"
    return str(value)


# ---------------------------------------------------------------- the overlay page

def overlay_figures(folders: list[Path], t: Translator) -> dict[str, go.Figure]:
    """Fleet (vehicles in service), emissions (both scopes) and cumulative discounted cost of every
    scenario on shared axes; a scenario keeps one line style, a quantity one colour."""
    figures = {name: go.Figure() for name in ("fleet", "emissions", "cost")}
    for index, folder in enumerate(folders):
        tables = read_folder(folder)
        summary = tables["summary"].iloc[0]
        who = f"{letter(index)}: {summary.get('scenario')}"
        dash = TRACE_DASHES[index % len(TRACE_DASHES)]
        fleet = tables["fleet"].groupby("year")["stock_count"].sum()
        figures["fleet"].add_trace(go.Scatter(x=fleet.index, y=fleet.values, name=who, mode="lines+markers",
                                              line={"dash": dash, "color": "#1a1a1a"}))
        emissions = tables["emissions"]
        for scope, color in (("ttw", "#1a1a1a"), ("wtw", "#808080")):
            figures["emissions"].add_trace(go.Scatter(
                x=emissions["year"], y=emissions[f"emissions_{scope}_tco2e"], mode="lines",
                name=f"{who} – {t(f'scope.{scope}')}", line={"dash": dash, "color": color, "width": 2.5}))
        cost = tables["cumulative_cost"]
        figures["cost"].add_trace(go.Scatter(x=cost["year"], y=cost["cumulative_discounted_cost"], mode="lines",
                                             name=f"{who} [{summary.get('currency')}]",
                                             line={"dash": dash, "color": "#0072B2", "width": 2.5}))
    titles = {"fleet": ("compare.chart.fleet", "axis.vehicles"), "emissions": ("compare.chart.emissions",
                                                                               "axis.emissions"),
              "cost": ("compare.chart.cost", "compare.axis.cost")}
    for name, fig in figures.items():
        title, axis = titles[name]
        fig.update_layout(template="plotly_white", title={"text": t(title), "x": 0.01}, height=450,
                          separators=t.plotly_separators, legend={"orientation": "h", "y": -0.2})
        fig.update_yaxes(title_text=t(axis), rangemode="tozero",
                         **({} if t.lang == "en" else {"exponentformat": "none", "separatethousands": True}))
        fig.update_xaxes(title_text=t("axis.year"), tickformat="d")
    return figures


def write_comparison_report(folders: list[Path], path: Path, *, lang: str = "en") -> Path:
    """One self-contained HTML page: the comparison table and the overlay charts."""
    from fleet_planner.reporting.report import chart_div, plotly_script, template_environment
    from fleet_planner.reporting.table_data import TableData

    t = translator(lang)
    table = compare_results(folders)
    rows = [[str(label), *(_cell(v, t) for v in values)] for label, values in zip(table.index, table.to_numpy(),
                                                                                   strict=True)]
    data = TableData(header=[t("compare.column.figure"), *table.columns], rows=rows,
                     numeric=[False, *([True] * len(table.columns))])
    charts = [{"name": name, "html": chart_div(fig, f"compare-{name}")} for name, fig in
              overlay_figures(folders, t).items()]
    currencies = {str(read_folder(f)["summary"].iloc[0].get("currency")) for f in folders}
    html = template_environment().get_template("compare.html.j2").render({
        "lang": t.lang, "title": t("compare.title"), "names": table.attrs["names"], "table": data,
        "charts": charts, "plotly_js": plotly_script(), "empty": t("table.empty"),
        "scopes_note": t("compare.scopes_note"),
        "currency_note": t("compare.currency_note") if len(currencies) > 1 else ""})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _cell(value, t: Translator) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float | int):
        return t.number(float(value))
    return str(value)
