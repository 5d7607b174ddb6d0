"""A scenario with its catalogue, checked against it: the hand-off from loading to every later stage."""

from __future__ import annotations

import re

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.catalogue import Catalogue, load_catalogue
from fleet_planner.loading.errors import origin_of
from fleet_planner.loading.scenario_checks import check_scenario
from fleet_planner.schemas.scenario import Scenario


def load_and_check(scenario: Scenario) -> tuple[Catalogue, list[str]]:
    """Load the scenario's catalogues and check the scenario against them (all problems at once).

    Returns the catalogue and the warnings (suspicious but solvable settings)."""
    catalogue = load_catalogue(scenario.vehicles_catalogue, scenario.fuels_catalogue)
    problems, warnings = check_scenario(scenario, catalogue, file=scenario.source_file)
    problems = [blamed(p, scenario) for p in problems]
    if problems:
        raise ScenarioError(problems, during=f"checking {scenario.source_file} against the catalogues")
    return catalogue, warnings


def blamed(problem: str, scenario: Scenario) -> str:
    """A problem with a value that a variant or --set gave names that override, not the file."""
    file = f"{scenario.source_file}: "
    if not problem.startswith(file):
        return problem
    rest = problem[len(file):]
    path = re.sub(r"\[(\d+)\]", r".\1", rest.split(":", 1)[0].split(" ", 1)[0])
    origin = origin_of(path, scenario._origins)
    return f"{origin}: {rest}" if origin else problem
