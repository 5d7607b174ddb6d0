"""The shipped catalogues: every row sourced and graded, ids unique, units in column names,
years covered to 2050 by the documented interpolation rule."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import REPO
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.exceptions import CatalogueError
from fleet_planner.loading.catalogue import load_catalogue
from fleet_planner.loading.rules import interpolate_years
from fleet_planner.schemas.catalogue import TABLES

UNIT_SUFFIXES = ("_years", "_share", "_cost", "_price", "_cost_per_year", "_cost_per_au", "_au", "_mj_per_au",
                 "_mj_per_unit", "_kg_per_gj", "_kgco2e_per_gj", "_per_unit", "_per_usd", "_per_unit_year",
                 "_vehicles_per_unit", "_gj_per_year_per_unit", "_gj_per_year", "_days_per_year", "_per_vehicle", "_share_per_year", "_factor", "_multiplier")
NOT_QUANTITIES = {"year", "first_year", "last_year", "price_year", "value", "age_years", "cpi_index", "low", "high"}
# calendar years; constants, taxes and calibration ranges carry their unit in `unit` or by kind; a CPI is an
# index (no unit)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(REPO / "vehicles", REPO / "fuels")


def test_every_data_row_has_a_known_graded_source(catalogue):
    sources = catalogue.sources.set_index("source_id")
    assert sources.index.is_unique
    assert set(sources["grade"]) <= {"A", "B", "C", "D"}
    for name, frame in catalogue.tables.items():
        if "source_id" not in frame.columns or name.endswith("sources"):
            continue
        assert (frame["source_id"].str.len() > 0).all(), name
        for cell in frame["source_id"]:
            for source in cell.split(";"):
                assert source in sources.index, f"{name}: {source}"


def test_weak_sources_say_so(catalogue):
    weak = catalogue.sources[catalogue.sources["grade"] == "D"]
    assert not weak.empty  # planner assumptions exist and are labelled as such
    assert weak["notes"].fillna("").str.len().gt(0).all(), "every D-grade source explains what it assumes"


def test_ids_are_unique_snake_case(catalogue):
    pattern = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    for name, (_folder, _file, _model, unique) in TABLES.items():
        frame = catalogue.tables[name]
        assert not frame.duplicated(list(unique)).any(), name
    for column, table in (("segment", "segments"), ("technology", "technology_types"), ("fuel", "fuels")):
        assert all(pattern.match(x) for x in catalogue.tables[table][column])


def test_numeric_columns_carry_a_unit(catalogue):
    for name, frame in catalogue.tables.items():
        for column in frame.columns:
            if column in NOT_QUANTITIES or not pd.api.types.is_numeric_dtype(frame[column]):
                continue
            if frame[column].dropna().map(lambda x: isinstance(x, bool)).all():
                continue
            assert column.endswith(UNIT_SUFFIXES), f"{name}.{column} has no unit suffix"


def test_required_segments_and_technologies(catalogue):
    segments = set(catalogue.segments["segment"])
    assert {"forklift_2_5t", "truck_rigid_12t", "truck_tractor_40t", "minibus_senior", "bus_12m"} <= segments
    pairs = set(zip(catalogue.technologies["segment"], catalogue.technologies["technology"], strict=True))
    for segment in segments:
        for technology in ("diesel", "ddf", "bev", "fcev"):
            assert (segment, technology) in pairs
    assert ("forklift_2_5t", "lpg") in pairs
    fuels = set(catalogue.fuels["fuel"])
    assert {"diesel", "hvo", "cng", "biomethane", "lpg", "electricity_grid", "electricity_ppa", "hydrogen_grey",
            "hydrogen_green"} <= fuels


def test_years_to_2050_are_covered_by_the_interpolation_rule(catalogue):
    years = list(range(2020, 2051))
    for table, keys, values in (("technology_years", ["segment", "technology"], ["purchase_price", "energy_mj_per_au"]),
                                ("prices", ["fuel", "region"], ["price_per_unit"]),
                                ("emission_factors", ["fuel", "application"], ["ttw_kgco2e_per_gj"])):
        filled = interpolate_years(catalogue.tables[table], keys, values, years)
        groups = catalogue.tables[table].groupby(keys).ngroups
        assert len(filled) == groups * len(years)
        assert filled[values].notna().all().all()


def test_interpolation_rule():
    table = pd.DataFrame({"k": ["a", "a"], "year": [2025, 2035], "v": [10.0, 20.0]})
    out = interpolate_years(table, ["k"], ["v"], [2020, 2025, 2030, 2035, 2050]).set_index("year")["v"]
    assert out.to_dict() == {2020: 10.0, 2025: 10.0, 2030: 15.0, 2035: 20.0, 2050: 20.0}


def test_grid_factor_falls_over_time(catalogue):
    grid = catalogue.emission_factors[catalogue.emission_factors["fuel"] == "electricity_grid"]
    filled = interpolate_years(grid, ["fuel", "application"], ["wtw_kgco2e_per_gj"], [2025, 2030, 2040])
    values = filled["wtw_kgco2e_per_gj"].tolist()
    assert values[0] > values[1] > values[2]


def test_broken_catalogue_lists_every_problem(tmp_path):
    import shutil

    shutil.copytree(REPO / "vehicles", tmp_path / "vehicles")
    shutil.copytree(REPO / "fuels", tmp_path / "fuels")
    techs = tmp_path / "vehicles" / "technologies.csv"
    frame = pd.read_csv(techs, dtype=str, keep_default_na=False)
    frame.loc[0, "lifetime_years"] = "many"
    frame.loc[1, "source_id"] = "no_such_source"
    frame.to_csv(techs, index=False)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path / "vehicles", tmp_path / "fuels")
    text = str(info.value)
    assert "vehicles/technologies.csv line 2, column lifetime_years" in text


def test_catalogue_command_lists_sources_and_grades():
    import os

    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        result = runner.invoke(app, ["catalogue", "--year", "2030"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "minibus_senior" in result.output and "(B)" in result.output and "hydrogen_green" in result.output


def test_no_source_cites_the_projects_own_notes():
    """A source row names a primary or secondary source (or says it is a planner assumption),
    never this project's own reference notes."""
    for folder in ("vehicles", "fuels"):
        for path in (REPO / folder).glob("*.csv"):
            text = path.read_text(encoding="utf-8")
            assert "domain-data" not in text and "peers.md" not in text, path.name


def test_records_match_pandas_to_dict_values_and_types():
    import numpy as np
    import pandas as pd

    from fleet_planner.loading.frames import records

    frame = pd.DataFrame({"segment": ["bus", "truck"], "year": [2030, 2031], "share": [0.5, np.nan],
                          "purchasable": [True, False], "note": [None, "x"]})
    expected = frame.to_dict("records")
    got = records(frame)
    assert [list(r) for r in got] == [list(r) for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        for key in theirs:
            assert type(mine[key]) is type(theirs[key])
            assert mine[key] == theirs[key] or (mine[key] != mine[key] and theirs[key] != theirs[key])
    assert records(frame.iloc[0:0]) == [] and records(pd.DataFrame(index=[0, 1])) == [{}, {}]


def test_duplicated_keys_count_empty_cells_as_one_key_like_pandas():
    import numpy as np
    import pandas as pd

    from fleet_planner.loading.frames import duplicated_keys

    frame = pd.DataFrame({"region": ["cl", "cl", "cl", "jp"], "fuel": [np.nan, np.nan, "diesel", "diesel"],
                          "year": [2025, 2025, 2025, 2025]})
    pandas_says = frame[frame.duplicated(["region", "fuel", "year"], keep=False)]
    assert len(pandas_says) == 2
    assert duplicated_keys(frame, ["region", "fuel", "year"]) == [("cl", None, 2025)]
    assert duplicated_keys(frame, ["region", "year"]) == [("cl", 2025)]
    assert duplicated_keys(frame, ["fuel", "region"]) == [(None, "cl")]


def test_catalogue_rows_by_key_are_the_rows_an_equality_filter_gives():
    import numpy as np

    from fleet_planner.accounts.rows import CatalogueRows
    from fleet_planner.loading.checked import load_and_check
    from fleet_planner.loading.scenario import load_scenario

    catalogue, _ = load_and_check(load_scenario(REPO / "scenarios" / "senior-bus-santiago.yaml"))
    rows = CatalogueRows(catalogue)
    asked = 0
    for table, columns in [("technology_years", ["segment", "technology"]), ("taxes", ["region", "tax", "fuel"]),
                           ("taxes", ["region", "tax"]), ("prices", ["fuel", "region"])]:
        frame = getattr(catalogue, table)
        for key in {*zip(*(frame[c] for c in columns), strict=True), tuple("none" for _ in columns)}:
            mask = np.ones(len(frame), dtype=bool)
            for column, value in zip(columns, key, strict=True):
                mask &= (frame[column] == value).to_numpy()
            found = rows.rows(table, **dict(zip(columns, key, strict=True)))
            assert frame[mask].equals(found) and list(frame[mask].index) == list(found.index), (table, key)
            asked += 1
    assert asked > 30
