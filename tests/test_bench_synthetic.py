"""The benchmark's synthetic catalogue keeps up with the catalogue format (bench/synthetic.py)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_synthetic_case_validates_and_solves(tmp_path):
    # the smallest benchmark size (tiny20: 20 vehicles, 1 segment, 10 years)
    folder = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(folder), "--vehicles", "20",
                    "--segments", "1", "--years", "10"], check=True, capture_output=True)
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.pipeline import optimise

    result = optimise(load_scenario(folder / "scenario.yaml"))
    assert result.summary["status"] == "optimal"
    assert result.evaluation.violations == []


def test_the_even_budget_rule_is_the_tighter_one(tmp_path):
    """`--budget-rule even` keeps the first benchmarks' budget (an even transition), below `peak`."""
    import yaml

    budgets = {}
    for rule in ("peak", "even"):
        folder = tmp_path / rule
        subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(folder), "--vehicles", "200",
                        "--segments", "3", "--years", "15", "--seed", "2", "--budget-rule", rule],
                       check=True, capture_output=True)
        budgets[rule] = yaml.safe_load((folder / "scenario.yaml").read_text())["policy"]["capex_budget"]
    assert 0 < budgets["even"] < budgets["peak"]
