"""Fleet registers as users keep them: CSV in the dialects Excel writes, Excel workbooks (first or
named sheet), note rows, the dialect named on the terminal, and the empty template to fill in."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from conftest import TINY
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.csv_dialect import decimal_evidence, plain_number
from fleet_planner.loading.fleet import load_fleet_file
from fleet_planner.loading.scenario import load_scenario

runner = CliRunner()
EXPECTED = [("van", "diesel", 2020, 10, 1234.5), ("van", "bev", 2024, 1200, None)]


def cohorts(path):
    return [(c.segment, c.technology, c.model_year, c.count, c.annual_activity_au) for c in load_fleet_file(path)]


def write_bytes(tmp_path, name, text, *, bom=False, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize(("text", "bom"), [
    ("segment,technology,model_year,count,annual_activity_au\nvan,diesel,2020,10,1234.5\nvan,bev,2024,1200,\n", False),
    # Spanish-locale Excel (Chile): ';' separators, decimal comma, '.' grouping, 'CSV UTF-8' adds a BOM
    ("segment;technology;model_year;count;annual_activity_au\r\nvan;diesel;2020;10;1.234,5\r\nvan;bev;2024;1.200;\r\n",
     True),
    # English-locale Excel with grouping: quoted '1,200' and '1,234.5'
    ('segment,technology,model_year,count,annual_activity_au\nvan,diesel,2020,10,"1,234.5"\nvan,bev,2024,"1,200",\n',
     True),
    # tab-separated, grouping with a no-break space
    ("segment\ttechnology\tmodel_year\tcount\tannual_activity_au\nvan\tdiesel\t2020\t10\t1\u00a0234.5\n"
     "van\tbev\t2024\t1200\t\n", False),
])
def test_csv_dialects_read_the_same_fleet(tmp_path, text, bom):
    assert cohorts(write_bytes(tmp_path, "fleet.csv", text, bom=bom)) == EXPECTED


def test_semicolon_file_with_only_whole_numbers_takes_dot_as_grouping(tmp_path):
    path = write_bytes(tmp_path, "fleet.csv", "segment;technology;model_year;count;annual_activity_au\n"
                                              "van;diesel;2020;10;4.000\n")
    assert cohorts(path) == [("van", "diesel", 2020, 10, 4000.0)]


def test_the_dialect_is_logged(tmp_path, caplog):
    path = write_bytes(tmp_path, "fleet.csv", "segment;technology;model_year;count\nvan;diesel;2020;10\n", bom=True)
    with caplog.at_level(logging.INFO, logger="fleet_planner"):
        load_fleet_file(path)
    assert "separator ';'" in caplog.text and "decimal comma (assumed" in caplog.text
    assert "byte-order mark" in caplog.text


def test_mixed_decimal_marks_are_refused_naming_both_cells(tmp_path):
    path = write_bytes(tmp_path, "fleet.csv", "segment;technology;model_year;count;annual_activity_au\n"
                                              "van;diesel;2020;10;1,5\nvan;bev;2024;2;2.25\n")
    with pytest.raises(ScenarioError) as error:
        load_fleet_file(path)
    message = str(error.value)
    assert "decimal point (line 3, column annual_activity_au ('2.25'))" in message
    assert "decimal comma (line 2, column annual_activity_au ('1,5'))" in message


def test_a_wrongly_grouped_number_is_named_not_guessed(tmp_path):
    path = write_bytes(tmp_path, "fleet.csv", "segment;technology;model_year;count\nvan;diesel;2020;1.23.4\n")
    with pytest.raises(ScenarioError) as error:
        load_fleet_file(path)
    assert "line 2, column count" in str(error.value) and "1.23.4" in str(error.value)


@pytest.mark.parametrize(("cell", "mark"), [("12,5", ","), ("0.25", "."), ("1.234", None), ("1,234", None),
                                            ("1.234,5", ","), ("1,234.5", "."), ("1.234.567", ","), ("0,250", ","),
                                            ("2020", None), ("abc", None)])
def test_decimal_evidence(cell, mark):
    assert decimal_evidence(cell) == mark


@pytest.mark.parametrize(("cell", "decimal", "plain"), [("1.234,5", ",", "1234.5"), ("1,234.5", ".", "1234.5"),
                                                        ("-12,5", ",", "-12.5"), ("1 234", ".", "1234"),
                                                        ("12,34,5", ".", "12,34,5"), ("x", ",", "x")])
def test_plain_number(cell, decimal, plain):
    assert plain_number(cell, decimal) == plain


def _workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


HEADER = ["segment", "technology", "model_year", "count", "annual_activity_au"]


def test_workbook_first_sheet_and_named_sheet(tmp_path):
    path = _workbook(tmp_path / "register.xlsx", {
        "2026": [HEADER, ["van", "diesel", 2020, 10, 1234.5], [None] * 5, ["van", "bev", 2024.0, 1200, None]],
        "Fleet 2027": [HEADER, ["# counted in March", None, None, None, None], ["van", "bev", 2024, 3, "2.000,5"]],
    })
    assert cohorts(path) == EXPECTED
    assert cohorts(tmp_path / "register.xlsx#Fleet 2027") == [("van", "bev", 2024, 3, 2000.5)]


def test_workbook_errors_name_the_sheet_and_the_row(tmp_path):
    path = _workbook(tmp_path / "register.xlsx", {"Fleet": [HEADER, ["van", "diesel", 2020, "ten", None]]})
    with pytest.raises(ScenarioError) as error:
        load_fleet_file(tmp_path / "register.xlsx#Flota")
    assert "no sheet named 'Flota'" in str(error.value) and "['Fleet']" in str(error.value)
    with pytest.raises(ScenarioError) as error:
        load_fleet_file(path)
    assert "line 2, column count" in str(error.value) and "'ten'" in str(error.value)


def test_other_spreadsheets_and_broken_workbooks_are_refused_with_the_fix(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 not read")
    (tmp_path / "broken.xlsx").write_text("not a zip")
    (tmp_path / "fleet.csv").write_text("segment,technology,model_year,count\n")
    for name, fragment in (("old.xls", "save it as an Excel Workbook (.xlsx) or as CSV"),
                           ("broken.xlsx", "not a readable Excel workbook"),
                           ("fleet.csv#Sheet1", "is not an Excel workbook")):
        with pytest.raises(ScenarioError) as error:
            load_fleet_file(tmp_path / name)
        assert fragment in str(error.value), name


def test_scenario_names_a_workbook_sheet_and_the_cli_says_how_it_read_it(tmp_path):
    _workbook(tmp_path / "register.xlsx", {"a": [HEADER], "vans": [HEADER, ["van", "diesel", 2020, 10, None]]})
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(TINY.read_text()
                        .replace("vehicles_catalogue: vehicles", f"vehicles_catalogue: {TINY.parent}/vehicles")
                        .replace("fuels_catalogue: fuels", f"fuels_catalogue: {TINY.parent}/fuels")
                        .replace("fleet:\n  - {segment: van, technology: diesel, model_year: 2020, count: 10}\n",
                                 "fleet: register.xlsx#vans\n"))
    assert load_scenario(scenario).fleet[0].count == 10
    result = runner.invoke(app, ["validate", str(scenario)])
    assert result.exit_code == 0, result.output
    assert "read as an Excel workbook: sheet 'vans'" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_is_empty_documented_and_reads_back_as_an_empty_fleet(tmp_path, fmt):
    out = tmp_path / f"fleet.{fmt}"
    result = runner.invoke(app, ["template", "fleet", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_fleet_file(out) == []
    columns = ["segment", "technology", "model_year", "count", "annual_activity_au", "lease_end_year",
               "lease_cost_per_year", "lease_end", "buyout_price"]
    if fmt == "csv":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].split(",") == columns and lines[1].startswith("# Segment id") and len(lines) == 2
    else:
        book = load_workbook(out)
        assert book.sheetnames[0] == "fleet" and [c.value for c in book["fleet"][1]] == columns
        described = pd.read_excel(out, sheet_name="columns")
        assert list(described["column"]) == columns and described["meaning"].str.len().min() > 10
        ids = pd.read_excel(out, sheet_name="segments and technologies")
        assert {"forklift_2_5t", "truck_rigid_12t"} <= set(ids["segment"]) and "bev" in set(ids["technology"])
    again = runner.invoke(app, ["template", "fleet", "--out", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_template_filled_in_plans_like_the_same_fleet_in_yaml(tmp_path):
    out = tmp_path / "fleet.xlsx"
    assert runner.invoke(app, ["template", "fleet", "--out", str(out)]).exit_code == 0
    book = load_workbook(out)
    book["fleet"].append(["van", "diesel", 2020, 10])
    book.save(out)
    assert cohorts(out) == [("van", "diesel", 2020, 10, None)]


def test_template_format_must_match_the_file_name(tmp_path):
    result = runner.invoke(app, ["template", "fleet", "--format", "csv", "--out", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 1 and "make them agree" in result.output
    result = runner.invoke(app, ["template", "vehicles", "--out", str(tmp_path / "f.csv")])
    assert result.exit_code == 2 and "No such command 'vehicles'" in result.output  # the templates: fleet, plan


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_text_never_becomes_a_formula(tmp_path, monkeypatch, fmt):
    from fleet_planner.reporting import fleet_template

    planted = pd.DataFrame({"column": ["segment", "technology"], "required": ["yes", "yes"],
                            "meaning": ["x", '=HYPERLINK("http://example.invalid","click")']})
    monkeypatch.setattr(fleet_template, "fleet_columns", lambda: planted)
    out = fleet_template.write_fleet_template(tmp_path / f"t.{fmt}", fmt)
    if fmt == "csv":
        assert "'=HYPERLINK" in out.read_text(encoding="utf-8")
    else:
        cell = load_workbook(out)["columns"]["C3"]
        assert cell.data_type == "s" and str(cell.value).startswith("'=HYPERLINK")
