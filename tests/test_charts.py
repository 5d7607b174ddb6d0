"""Charts are drawn from the plan tables alone: expected traces, unit-carrying axis titles, one
colour and pattern per technology in every chart, and graceful empty charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fleet_planner.reporting import charts
from fleet_planner.reporting.i18n import catalogue_names, translator

TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"
CAPPED = ("fuels.price_multipliers.diesel=0.1", "policy.emission_cap={tco2e: {2026: 50}}")
"""Cheap diesel and a 50 tCO2e cap from 2026: the plan keeps 5 diesel vans and adds 5 BEV."""


def _solve(*overrides: str):
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    return optimise(load_scenario(TINY, overrides=list(overrides)))


@pytest.fixture(scope="session")
def tiny_result():
    return _solve()


@pytest.fixture(scope="session")
def capped_result():
    return _solve(*CAPPED)


def _draw(result, lang: str = "en") -> dict:
    tables = result.catalogue.tables
    return charts.figures(result.tables, charts.catalogue_colors(tables), charts.catalogue_patterns(tables),
                          translator(lang, catalogue_names(tables)))


@pytest.fixture(scope="session")
def tiny_figures(tiny_result):
    return _draw(tiny_result)


@pytest.fixture(scope="session")
def capped_figures(capped_result):
    return _draw(capped_result)


def trace_ids(fig) -> list[str]:
    return [trace.meta["id"] for trace in fig.data]


def axis_titles(fig, axis: str) -> set[str]:
    layout = fig.to_dict()["layout"]
    return {value["title"]["text"] for key, value in layout.items()
            if key.startswith(f"{axis}axis") and "title" in value}


def test_every_chart_is_drawn(tiny_figures):
    assert list(tiny_figures) == [*charts.CHART_NAMES, *charts.SECTION_CHARTS]


def test_tiny_charts_have_the_expected_traces(tiny_figures):
    # tiny: the 10 diesel vans are sold in 2025 and replaced by 10 BEV; no cap.
    assert trace_ids(tiny_figures["fleet_composition"]) == ["bev"]
    assert trace_ids(tiny_figures["emissions"]) == ["baseline", "plan", "milestones"]
    # the end-of-horizon value is shown apart (its own report section), not as a cost of the last year
    assert trace_ids(tiny_figures["cost_stack"]) == ["capex_net", "energy", "resale", "net_total"]
    assert trace_ids(tiny_figures["cumulative_cost"]) == ["baseline", "plan"]
    # the plan drops diesel: the baseline's diesel is shown beside the plan's BEV (faded)
    assert trace_ids(tiny_figures["cost_per_activity"]) == ["diesel", "bev"]
    assert trace_ids(tiny_figures["energy_by_fuel"]) == ["electricity_grid"]


def test_traces_carry_the_table_values(tiny_figures):
    fleet = tiny_figures["fleet_composition"].data[0]
    assert list(fleet.x) == [2025, 2026, 2027]
    assert list(fleet.y) == [10, 10, 10]
    cumulative = {trace.meta["id"]: trace.y[-1] for trace in tiny_figures["cumulative_cost"].data}
    assert cumulative == {"plan": pytest.approx(31_600), "baseline": pytest.approx(40_000)}
    stack = {trace.meta["id"]: list(trace.y) for trace in tiny_figures["cost_stack"].data}
    # the residual value of 140,000 in the last year is shown apart, not in the yearly net total
    assert stack["net_total"] == pytest.approx([157_200, 7_200, 7_200])


def test_axis_titles_carry_units(tiny_figures):
    expected_y = {
        "fleet_composition": {"Vehicles [count]"},
        "emissions": {"Emissions [tCO2e]"},
        "cost_stack": {"Cost [USD]"},
        "cumulative_cost": {"Cumulative discounted cost [USD]"},
        "cost_per_activity": {"Cost per km [USD/km]"},
        "energy_by_fuel": {"Energy [GJ]"},
        "cash_flows": {"Cost [USD]"},
        "actions": {"Vehicles [count] (sold below zero)"},
        "grants": {"Grant [USD]"},
    }
    for name, fig in tiny_figures.items():
        assert axis_titles(fig, "y") == expected_y[name], name
        assert axis_titles(fig, "x") == ({"Technology"} if name == "cost_per_activity" else {"Year"}), name


def test_cap_and_its_milestones_are_drawn_when_present(tiny_figures, capped_figures):
    assert "cap" not in trace_ids(tiny_figures["emissions"])
    fig = capped_figures["emissions"]
    cap = next(trace for trace in fig.data if trace.meta["id"] == "cap")
    assert list(cap.y)[1:] == [50, 50]
    assert cap.line.shape == "hv"  # a cap holds for the whole year
    milestones = next(trace for trace in fig.data if trace.meta["id"] == "milestones")
    assert list(milestones.x) == [2025, 2026, 2027]  # first, cap start, last


def test_milestone_years():
    years = list(range(2024, 2037))
    cap = [None] * 4 + [100.0] * 4 + [50.0] * 5
    assert charts.milestone_years(years, cap) == [2024, 2025, 2028, 2030, 2032, 2035, 2036]
    assert charts.milestone_years([], []) == []


def _technology_styles(figures: dict) -> dict[str, set[tuple[str, str]]]:
    """technology -> {(colour, pattern)} over every trace of every chart."""
    styles: dict[str, set[tuple[str, str]]] = {}
    for fig in figures.values():
        for trace in fig.data:
            if trace.meta["kind"] != "technology":
                continue
            if trace.type == "bar":
                style = (trace.marker.color, trace.marker.pattern.shape)
            else:
                style = (trace.fillcolor, trace.fillpattern.shape)
            styles.setdefault(trace.meta["id"], set()).add(style)
    return styles


def test_one_colour_and_pattern_per_technology_everywhere(capped_result, capped_figures):
    types = capped_result.catalogue.tables["technology_types"].set_index("technology")
    styles = _technology_styles(capped_figures)
    assert set(styles) == {"bev", "diesel"}
    for technology, seen in styles.items():
        pattern = types.loc[technology, "pattern"]
        assert seen == {(types.loc[technology, "color"], pattern if isinstance(pattern, str) else "")}, technology


def test_fuels_take_the_catalogue_colour(capped_result, capped_figures):
    fuels = capped_result.catalogue.tables["fuels"].set_index("fuel")["color"]
    for trace in capped_figures["energy_by_fuel"].data:
        assert trace.fillcolor == fuels[trace.meta["id"]]
    assert {t.meta["id"] for t in capped_figures["energy_by_fuel"].data} == {"diesel", "electricity_grid"}


def _two_segment_tables(result) -> dict[str, pd.DataFrame]:
    """The tiny tables plus a second segment 'forklift' measured in operating hours."""
    tables = dict(result.tables)
    fleet = tables["fleet"]
    tables["fleet"] = pd.concat([fleet, fleet.assign(segment="forklift", stock_count=fleet["stock_count"] * 2)],
                                ignore_index=True)
    cpa = tables["cost_per_activity"]
    tables["cost_per_activity"] = pd.concat([cpa, cpa.assign(segment="forklift", activity_unit="h",
                                                             cost_per_au=cpa["cost_per_au"] * 10)],
                                            ignore_index=True)
    return tables


def test_one_panel_per_segment_plus_the_whole_fleet(capped_result):
    cat = capped_result.catalogue.tables
    figs = charts.figures(_two_segment_tables(capped_result), charts.catalogue_colors(cat),
                          charts.catalogue_patterns(cat), translator("en", catalogue_names(cat)))
    fleet = figs["fleet_composition"]
    titles = [a.text for a in fleet.layout.annotations]
    assert titles == ["Test van", "forklift", "Whole fleet"]
    whole = [trace for trace in fleet.data if trace.xaxis == "x3"]
    assert sum(trace.y[-1] for trace in whole) == pytest.approx(30)  # 10 vans + 20 forklifts
    assert sum(trace.showlegend for trace in fleet.data) == 2  # one legend entry per technology
    assert axis_titles(figs["cost_per_activity"], "y") == {"Cost per km [USD/km]",
                                                            "Cost per operating hour [USD/h]"}


def test_missing_or_empty_tables_give_empty_charts_with_titles():
    figs = charts.figures({}, {}, {}, translator("en"))
    assert list(figs) == [*charts.CHART_NAMES, *charts.SECTION_CHARTS]
    for name, fig in figs.items():
        assert len(fig.data) == 0, name
        assert fig.layout.annotations[0].text == "No data for this chart."
        assert fig.layout.title.text
        assert axis_titles(fig, "y"), name


@pytest.mark.parametrize("lang", ["es", "ja"])
def test_charts_are_translated(tiny_result, lang):
    figs = _draw(tiny_result, lang)
    english = _draw(tiny_result, "en")
    for name in charts.CHART_NAMES:
        assert figs[name].layout.title.text != english[name].layout.title.text, name
    assert axis_titles(figs["emissions"], "y") == {"排出量 [tCO2e]" if lang == "ja" else "Emisiones [tCO2e]"}
    assert figs["fleet_composition"].data[0].name != "Battery electric"
