"""Every shipped scenario validates, solves to optimality, passes the evaluator, and matches its
stored regression tables (regenerate with tests/regenerate_expected.py, see its docstring)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SCENARIOS, TESTS_DIR
from regenerate_expected import EXPECTED, REGRESSION_TABLES, regression_tables
from regenerate_expected import SCENARIOS as CASES
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.optimisation.solve import SolveStatus

runner = CliRunner()


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenario_validates(path):
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_shipped_scenario_matches_regression(name):
    tables = regression_tables(name)  # optimise() already checked the plan with the evaluator
    summary = tables["summary"].iloc[0]
    assert summary["status"] == SolveStatus.OPTIMAL
    for table in REGRESSION_TABLES:
        expected = pd.read_csv(EXPECTED / name / f"{table}.csv")
        actual = pd.read_csv(pd.io.common.StringIO(tables[table].to_csv(index=False, float_format="%.6f")))
        pd.testing.assert_frame_equal(actual, expected, check_dtype=False, rtol=1e-6, atol=1e-6)


def test_regeneration_script_is_documented():
    text = (TESTS_DIR / "regenerate_expected.py").read_text()
    assert "git diff tests/data/expected" in text
