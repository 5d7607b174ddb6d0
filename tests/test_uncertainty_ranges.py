"""One table of uncertainty ranges (vehicles/uncertainty_ranges.csv, by kind and grade) for both the
sensitivity analysis and the Monte Carlo sweep: the same low and high for the same input, a
catalogue's own table used by both, and every problem in the table named by file, line and column."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import REPO, SCENARIOS, TINY
from typer.testing import CliRunner

from fleet_planner.analysis.ranges import uncertain_inputs
from fleet_planner.analysis.runs import prepare_run
from fleet_planner.analysis.uncertain_inputs import CORRELATIONS_FILE, default_inputs
from fleet_planner.cli import app
from fleet_planner.exceptions import CatalogueError
from fleet_planner.loading.checked import load_and_check
from fleet_planner.loading.ranges import GRADES, KINDS, load_uncertainty_ranges
from fleet_planner.loading.scenario import load_scenario

runner = CliRunner()
HEADER = "kind,grade,low_multiplier,high_multiplier,distribution,rationale,source_id\n"
OWN_RANGES = HEADER + (
    "fuel_price,*,0.6,1.7,uniform,a test range,tiny_test\n"
    "capex,D,0.8,1.3,triangular,a test range,tiny_test\n"
    "capex,*,0.95,1.05,triangular,a test range,tiny_test\n"
    "discount_rate,*,0.5,1.5,uniform,a test range,tiny_test\n")
"""Ranges no shipped row has, citing the tiny catalogue's own source."""


def ranges_of_both(scenario) -> tuple[dict, dict]:
    """{(kind, item): (low, high)} as the sensitivity analysis and as the Monte Carlo take them, in
    multipliers of the scenario's value."""
    catalogue, _ = load_and_check(scenario)
    kinds = {"fuel": "fuel_price", "capex": "capex", "discount_rate": "discount_rate"}
    rate = scenario.discount_rate
    sensitivity = {(kinds[i.kind], i.item or "discount_rate"): (i.low / rate, i.high / rate)
                   if i.kind == "discount_rate" else (i.low, i.high) for i in uncertain_inputs(prepare_run(scenario))[0]}
    monte_carlo = {(i.kind, i.input_id): (i.low, i.high) for i in default_inputs(scenario, catalogue)}
    return sensitivity, monte_carlo


def own_catalogue(tmp_path, ranges_text: str | None = OWN_RANGES):
    """A copy of the tiny case whose vehicles/ folder holds ranges_text as its uncertainty_ranges.csv."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY.parent, folder)
    if ranges_text is not None:
        (folder / "vehicles" / "uncertainty_ranges.csv").write_text(ranges_text, encoding="utf-8")
    return folder / "scenario.yaml"


def test_sensitivity_and_monte_carlo_take_the_same_range_of_an_input():
    """The senior-bus inputs have grade-B and grade-D capex and grade-D fuel prices: each input gets
    the low and high of its kind and grade in both analyses (the discount rate: its * row)."""
    scenario = load_scenario(SCENARIOS / "senior-bus-santiago.yaml")
    sensitivity, monte_carlo = ranges_of_both(scenario)
    shared = set(sensitivity) & set(monte_carlo)
    assert {("fuel_price", "diesel"), ("capex", "bev"), ("capex", "diesel"), ("discount_rate", "discount_rate")} <= shared
    for key in shared:
        assert sensitivity[key] == pytest.approx(monte_carlo[key]), key
    assert monte_carlo["fuel_price", "diesel"] == pytest.approx((0.5, 2.0))  # grade D, lognormal P5/P95
    assert monte_carlo["capex", "diesel"] == pytest.approx((0.85, 1.2))  # grade B, triangular
    assert monte_carlo["discount_rate", "discount_rate"] == pytest.approx((0.75, 1.25))


def test_a_catalogues_own_ranges_are_used_by_both_analyses(tmp_path):
    scenario = load_scenario(own_catalogue(tmp_path), overrides=["discount_rate=0.04"])
    sensitivity, monte_carlo = ranges_of_both(scenario)
    for found in (sensitivity, monte_carlo):
        assert found["fuel_price", "diesel"] == pytest.approx((0.6, 1.7))  # the * row: every grade
        assert found["capex", "bev"] == pytest.approx((0.8, 1.3))  # the tiny catalogue is grade D
        assert found["discount_rate", "discount_rate"] == pytest.approx((0.5, 1.5))
    catalogue, _ = load_and_check(scenario)
    assert {i.distribution for i in default_inputs(scenario, catalogue) if i.kind == "fuel_price"} == {"uniform"}


def test_an_uncertainty_result_names_the_own_ranges_and_their_sources(tmp_path):
    out = tmp_path / "mc"
    done = runner.invoke(app, ["uncertainty", str(own_catalogue(tmp_path)), "--samples", "2", "--out", str(out)])
    assert done.exit_code == 0, done.output
    inputs = pd.read_csv(out / "inputs.csv").set_index("input")
    assert inputs.loc["fuel_price.diesel", ["low_multiplier", "high_multiplier"]].tolist() == pytest.approx([0.6, 1.7])
    assert inputs.loc["fuel_price.diesel", "distribution"] == "uniform"
    sources = pd.read_csv(out / "uncertain_sources.csv")["source_id"].tolist()
    assert sources == ["tiny_test", "fp_uncertainty_ranges"]  # the ranges' own, then the correlation's
    assert (out / "inputs" / "vehicles" / "uncertainty_ranges.csv").read_text(encoding="utf-8") == OWN_RANGES


@pytest.mark.parametrize("command", [["sensitivity", "--no-break-even"], ["uncertainty", "--samples", "2"]])
def test_the_earlier_grade_only_format_is_a_clear_error(tmp_path, command):
    earlier = "grade,low_multiplier,high_multiplier,source_id,notes\n" + "".join(
        f"{g},0.8,1.2,tiny_test,\n" for g in GRADES)
    scenario = own_catalogue(tmp_path, earlier)
    done = runner.invoke(app, [command[0], str(scenario), *command[1:], "--out", str(tmp_path / "out")])
    assert done.exit_code == 1, done.output
    text = " ".join(done.output.split())
    assert f"{scenario.parent / 'vehicles' / 'uncertainty_ranges.csv'}: column(s) kind, distribution, rationale " \
           "missing: this is the earlier format" in text
    assert "Fix: use the header kind,grade,low_multiplier,high_multiplier,distribution,rationale,source_id" in text
    assert "Traceback" not in done.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("row", "expected"), [
    ("fuel,A,0.9,1.1,uniform,r,tiny_test", "line 2, column kind: 'fuel' is not one of fuel_price, capex"),
    ("capex,E,0.9,1.1,uniform,r,tiny_test", "line 2, column grade: 'E' is not one of A, B, C, D or *"),
    ("discount_rate,A,0.9,1.1,uniform,r,tiny_test", "line 2, column grade: the discount rate has no catalogue row"),
    ("capex,A,0.9,1.1,normal,r,tiny_test", "line 2, column distribution: 'normal' is not one of uniform"),
    ("capex,A,low,1.1,uniform,r,tiny_test", "line 2, columns low_multiplier/high_multiplier: give two numbers"),
    ("capex,A,1.2,0.8,uniform,r,tiny_test", "line 2: low_multiplier 1.2 is above high_multiplier 0.8; swap them"),
    ("capex,A,1.1,1.1,uniform,r,tiny_test", "line 2: the range is empty"),
    ("capex,A,1.1,1.3,uniform,r,tiny_test", "line 2: the range 1.1-1.3 must include 1"),
    ("fuel_price,A,0,2,lognormal,r,tiny_test", "line 2, column low_multiplier: a lognormal range needs a low above 0"),
    ("capex,A,0.9,1.1,uniform,,tiny_test", "line 2, column rationale: empty"),
    ("capex,A,0.9,1.1,uniform,r,", "line 2, column source_id: empty"),
    ("capex,A,0.9,1.1,uniform,r,tiny_test;nobody_2020", "line 2, column source_id: 'nobody_2020' is not in {sources}; add it"),
])
def test_a_bad_row_is_named_by_file_line_and_column(tmp_path, row, expected):
    scenario = own_catalogue(tmp_path, HEADER + row + "\n" + OWN_RANGES.split("\n", 1)[1])
    with pytest.raises(CatalogueError) as caught:
        load_uncertainty_ranges(scenario.parent / "vehicles")
    vehicles = scenario.parent / "vehicles"
    assert f"{vehicles / 'uncertainty_ranges.csv'} {expected.format(sources=vehicles / 'sources.csv')}" in \
        str(caught.value)


def test_every_problem_is_listed_at_once(tmp_path):
    text = HEADER + ("capex,A,1.2,0.8,uniform,r,tiny_test\ncapex,A,0.9,1.1,uniform,r,tiny_test\n"
                     "capex,A,0.9,1.1,uniform,r,tiny_test\nfuel_price,Z,0.9,1.1,uniform,r,tiny_test\n")
    with pytest.raises(CatalogueError) as caught:
        load_uncertainty_ranges(own_catalogue(tmp_path, text).parent / "vehicles")
    problems = caught.value.problems
    assert any("line 2: low_multiplier 1.2 is above" in p for p in problems)
    assert any("line 4: a second row for kind capex, grade A (the first is line 3); keep one." in p for p in problems)
    assert any("line 5, column grade: 'Z'" in p for p in problems)


def test_a_kind_without_a_range_for_a_grade_says_which(tmp_path):
    text = HEADER + "".join(f"fuel_price,{g},0.9,1.1,uniform,r,tiny_test\n" for g in "ABC")
    with pytest.raises(CatalogueError) as caught:
        load_uncertainty_ranges(own_catalogue(tmp_path, text).parent / "vehicles")
    problems = caught.value.problems
    assert any("no range for kind fuel_price, grade D; add a row for it, or one with grade * for every grade of "
               "fuel_price." in p for p in problems)
    assert any("no range for kind discount_rate, grade *; add a row for it." in p for p in problems)


def test_a_catalogue_without_its_own_table_uses_the_shipped_one(tmp_path):
    ranges = load_uncertainty_ranges(own_catalogue(tmp_path, None).parent / "vehicles")
    assert ranges.file == REPO / "vehicles" / "uncertainty_ranges.csv"


def test_the_shipped_ranges_cover_every_kind_and_grade_and_cite_graded_sources():
    ranges = load_uncertainty_ranges()
    for kind in KINDS:
        for grade in GRADES:
            row = ranges.of(kind, grade)
            assert row.low < 1 < row.high and row.rationale and row.source_ids
    assert ranges.of("fuel_price", "A").distribution == "lognormal"
    assert set(ranges.sources["grade"]) <= set(GRADES) and ranges.sources["year"].str.fullmatch(r"\d{4}").all()
    shipped = set(pd.read_csv(REPO / "vehicles" / "sources.csv")["source_id"])
    assert set(pd.read_csv(CORRELATIONS_FILE)["source"]) <= shipped  # the correlation's source, too
    assert not list((REPO / "fleet_planner" / "analysis").glob("uncertain_inputs.csv"))  # one table, not two


def test_a_range_takes_the_uncertainty_commands_name_for_a_fuel():
    """`--range fuel_price.diesel=...` (the name in the Monte Carlo's tables) is the tornado's fuel.diesel."""
    from fleet_planner.analysis.ranges import parse_ranges

    assert parse_ranges(["fuel_price.diesel=0.8:1.4", "capex.bev=0.9:1.2", "discount_rate=0.04:0.1"]) == {
        "fuel.diesel": (0.8, 1.4), "capex.bev": (0.9, 1.2), "discount_rate": (0.04, 0.1)}


def test_a_high_discount_rate_is_held_at_the_largest_rate_in_both_analyses():
    """At a rate of 0.45 the * row's high end (1.25 x) would be 0.5625, above the largest rate a scenario
    allows (0.5): both analyses hold it at 0.5 (the Monte Carlo used to stop with an error)."""
    from fleet_planner.analysis.uncertain_inputs import check_inputs

    scenario = load_scenario(SCENARIOS / "senior-bus-santiago.yaml", overrides=["discount_rate=0.45"])
    sensitivity, monte_carlo = ranges_of_both(scenario)
    for found in (sensitivity, monte_carlo):
        assert found["discount_rate", "discount_rate"] == pytest.approx((0.75, 0.5 / 0.45))
    catalogue, _ = load_and_check(scenario)
    check_inputs(default_inputs(scenario, catalogue), scenario, catalogue, "the catalogue's ranges")
