"""Read the MRV data folder (mrv/*.csv) and a project given on the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.frames import duplicated_keys
from fleet_planner.loading.files import read_csv_table, validate_rows
from fleet_planner.schemas.mrv import MRV_TABLES, MrvProject

PROJECT_PATTERN = re.compile(r"^(?P<segment>[^:]+):(?P<technologies>[^:]+):(?P<first>\d{4})(-(?P<last>\d{4}))?$")
PERIOD_PATTERN = re.compile(r"^(?P<first>\d{4})-(?P<last>\d{4})$")
PROJECT_HELP = "SEGMENT:TECHNOLOGY[,TECHNOLOGY...]:FIRST-LAST, e.g. minibus_senior:bev:2026-2028"


def load_mrv_data(folder: Path) -> dict[str, pd.DataFrame]:
    """The validated MRV tables; every problem in every file listed at once."""
    folder = Path(folder)
    problems: list[str] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, (file, model, unique) in MRV_TABLES.items():
        display = f"{folder.name or folder}/{file}"
        if not (folder / file).is_file():
            problems.append(f"{display}: not found. Run from the project folder (it holds mrv/) or give "
                            "--mrv-data FOLDER.")
            continue
        frame = read_csv_table(folder / file, display, problems)
        typed = validate_rows(frame, model, display, problems) if frame is not None else None
        if typed is None:
            continue
        keys = duplicated_keys(typed, list(unique))
        if keys:
            problems.append(f"{display}: duplicated {list(unique)} {keys[:5]}. Keep one row per key.")
        tables[name] = typed
    if not problems:
        known = set(tables["mrv_sources"]["source_id"])
        for name in ("mrv_parameters", "mrv_monitoring_list"):
            for row in tables[name].itertuples():
                missing = [s for s in str(row.source_id).split(";") if s not in known]
                if missing:
                    problems.append(f"{MRV_TABLES[name][0]}: source_id {missing} of {row.parameter!r} is not in "
                                    "sources.csv. Add the source or fix the id.")
    if problems:
        raise ScenarioError(problems, during=f"in the MRV data folder {folder}")
    return tables


def parse_project(spec: str, *, crediting: str | None = None, grant: float | None = None,
                  name: str | None = None) -> MrvProject:
    """`minibus_senior:bev:2026-2028` (+ crediting `2026-2035`) -> MrvProject; a bad spec is a user
    error naming the option and the expected form."""
    match = PROJECT_PATTERN.match(spec.strip())
    if match is None:
        raise ScenarioError(f"--project {spec!r}: not understood; give {PROJECT_HELP}.")
    values: dict = {
        "name": name or spec.strip(), "segment": match["segment"].strip(),
        "technologies": tuple(t.strip() for t in match["technologies"].split(",")),
        "first_year": int(match["first"]), "last_year": int(match["last"] or match["first"]), "grant": grant,
    }
    if crediting:
        period = PERIOD_PATTERN.match(crediting.strip())
        if period is None:
            raise ScenarioError(f"--crediting {crediting!r}: not understood; give FIRST-LAST, e.g. 2026-2035.")
        values |= {"crediting_first_year": int(period["first"]), "crediting_last_year": int(period["last"])}
    try:
        return MrvProject.model_validate(values)
    except ValidationError as exc:
        problems = [f"--project {spec!r}: {'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}. "
                    f"Give {PROJECT_HELP}." for e in exc.errors()]
        raise ScenarioError(problems) from None
