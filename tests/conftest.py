"""Shared fixtures: the tiny hand-checkable case (tests/data/tiny) with named overrides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fleet_planner.loading.scenario import load_scenario

TESTS_DIR = Path(__file__).parent
DATA_DIR = TESTS_DIR / "data"
TINY = DATA_DIR / "tiny" / "scenario.yaml"
REPO = TESTS_DIR.parent
SCENARIOS = REPO / "scenarios"


@pytest.fixture
def tiny() -> Callable[..., object]:
    """Load the tiny scenario with --set style overrides: tiny("discount_rate=0.05", ...)."""
    return lambda *overrides: load_scenario(TINY, overrides=list(overrides))


@pytest.fixture
def plan_tiny(tiny):
    """Optimise the tiny scenario with overrides and return the PlanResult."""
    from fleet_planner.pipeline import optimise

    return lambda *overrides: optimise(tiny(*overrides))


@pytest.fixture
def shortfall_of(tiny):
    """The first row of the infeasibility diagnosis for `rule` when the tiny scenario with these
    overrides has no plan: shortfall_of("demand", "fleet=[]", ...)."""
    from fleet_planner.exceptions import InfeasibleError
    from fleet_planner.pipeline import optimise

    def diagnosed(rule: str, *overrides):
        with pytest.raises(InfeasibleError) as info:
            optimise(tiny(*overrides))
        table = info.value.diagnosis.shortfalls
        return table[table["rule"] == rule].iloc[0]

    return diagnosed
