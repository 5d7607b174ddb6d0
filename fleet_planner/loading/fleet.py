"""The existing fleet: cohorts from a CSV file, validated row by row."""

from __future__ import annotations

from pathlib import Path

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.files import read_csv_table, validate_rows
from fleet_planner.schemas.scenario import FleetCohort


def duplicated_cohorts(fleet: list[FleetCohort]) -> list[tuple]:
    seen, duplicated = set(), []
    for cohort in fleet:
        key = (cohort.segment, cohort.technology, cohort.model_year)
        if key in seen:
            duplicated.append(key)
        seen.add(key)
    return duplicated


def load_fleet_csv(path: Path, scenario_file: Path | None = None) -> list[FleetCohort]:
    """Existing fleet cohorts, validated row by row (errors give the line number)."""
    problems: list[str] = []
    display = str(path)
    frame = read_csv_table(path, display, problems)
    if frame is not None:
        typed = validate_rows(frame, FleetCohort, display, problems)  # a header alone is an empty fleet
    if problems:
        raise ScenarioError(problems, during=f"in the fleet file of {scenario_file or 'the scenario'}")
    return [FleetCohort.model_validate({k: v for k, v in r.items() if v == v and v is not None})
            for r in typed.to_dict(orient="records")]
