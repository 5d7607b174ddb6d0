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
    catalogue = with_capex_multipliers(load_catalogue(scenario.vehicles_catalogue, scenario.fuels_catalogue), scenario)
    problems, warnings = check_scenario(scenario, catalogue, file=scenario.source_file)
    problems = [blamed(p, scenario) for p in problems]
    if problems:
        raise ScenarioError(problems, during=f"checking {scenario.source_file} against the catalogues")
    return catalogue, warnings


def with_capex_multipliers(catalogue: Catalogue, scenario: Scenario) -> Catalogue:
    """The catalogue with the scenario's capex_multipliers applied to purchase prices
    (technology_years.csv) and conversion costs (conversions.csv, by the technology converted to),
    so the model and the evaluator price vehicles alike. Unknown technologies are left to the checks."""
    multipliers = scenario.capex_multipliers
    if not multipliers:
        return catalogue
    tables = dict(catalogue.tables)
    for table, technology, price in (("technology_years", "technology", "purchase_price"),
                                     ("conversions", "to_technology", "conversion_cost")):
        frame = tables[table].copy()
        frame[price] = frame[price] * frame[technology].map(multipliers).fillna(1.0)
        tables[table] = frame
    return Catalogue(tables, catalogue.vehicles_dir, catalogue.fuels_dir)


def blamed(problem: str, scenario: Scenario) -> str:
    """A problem with a value that a variant or --set gave names that override, not the file."""
    file = f"{scenario.source_file}: "
    if not problem.startswith(file):
        return problem
    rest = problem[len(file):]
    path = re.sub(r"\[(\d+)\]", r".\1", rest.split(":", 1)[0].split(" ", 1)[0])
    origin = origin_of(path, scenario._origins)
    return f"{origin}: {rest}" if origin else problem
