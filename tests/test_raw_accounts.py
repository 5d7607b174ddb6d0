"""A second witness beside the brute-force test: the forklift scenario's plan, written by the
command line, accounted again from the raw CSV and YAML files by tests/raw_accounts.py, which
imports no fleet_planner code. NPV and yearly emissions must agree with summary.csv and
emissions.csv."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from pathlib import Path

import pytest
from raw_accounts import raw_accounts

ROOT = Path(__file__).resolve().parent.parent


def test_the_witness_imports_no_package_code():
    tree = ast.parse((Path(__file__).parent / "raw_accounts.py").read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not [n for n in names if n.startswith("fleet_planner")]


@pytest.fixture(scope="module")
def forklift_result(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("raw") / "forklifts"
    subprocess.run([sys.executable, "-m", "fleet_planner", "plan", str(ROOT / "scenarios" / "logistics-forklifts.yaml"),
                    "--out", str(out)], check=True, capture_output=True)
    return out


def test_raw_csv_accounts_agree_with_the_plan(forklift_result):
    npv, emissions = raw_accounts(ROOT / "scenarios" / "logistics-forklifts.yaml", forklift_result / "decisions.csv")
    with (forklift_result / "summary.csv").open() as handle:
        summary = next(csv.DictReader(handle))
    assert npv == pytest.approx(float(summary["npv_cost"]), rel=1e-8)
    with (forklift_result / "emissions.csv").open() as handle:
        for row in csv.DictReader(handle):
            assert emissions.get(int(row["year"]), 0.0) == pytest.approx(float(row["emissions_tco2e"]), rel=1e-8,
                                                                          abs=1e-6)


def test_the_witness_sees_a_wrong_number(forklift_result, tmp_path):
    """Doubling one fuel row of the plan moves the witness's NPV: it is not an echo of summary.csv."""
    rows = list(csv.DictReader((forklift_result / "decisions.csv").open()))
    fuel = next(r for r in rows if r["kind"] == "fuel" and float(r["value"]) > 0)
    fuel["value"] = str(2 * float(fuel["value"]))
    changed = tmp_path / "decisions.csv"
    with changed.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    npv, _ = raw_accounts(ROOT / "scenarios" / "logistics-forklifts.yaml", changed)
    original, _ = raw_accounts(ROOT / "scenarios" / "logistics-forklifts.yaml", forklift_result / "decisions.csv")
    assert npv > original
