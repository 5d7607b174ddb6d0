"""The workbook's assumptions sheet: every catalogue value used (with its source citation and
grade) and every scenario setting."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd
import yaml

from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.reporting.appendix import _cohorts, _source_ids, scenario_settings
from fleet_planner.schemas.catalogue import TABLES as CATALOGUE_TABLES
from fleet_planner.schemas.scenario import Scenario

ASSUMPTION_COLUMNS: tuple[str, ...] = ("table", "file", "key", "field", "value", "source_id", "grade", "citation",
                                       "source_year", "url", "notes")


def assumptions_frame(used: Mapping[str, pd.DataFrame], catalogue: Catalogue, scenario: Scenario) -> pd.DataFrame:
    """One row per assumption: every catalogue value used (with its source citation and grade)
    and every scenario setting (source: the scenario file)."""
    sources = catalogue.sources.drop_duplicates("source_id").set_index("source_id")
    records = [record for name, frame in used.items() for record in _catalogue_records(name, frame, sources)]
    records += _scenario_records(scenario)
    return pd.DataFrame.from_records(records, columns=list(ASSUMPTION_COLUMNS))


def _catalogue_records(name: str, frame: pd.DataFrame, sources: pd.DataFrame) -> Iterable[dict]:
    folder, file, _model, keys = CATALOGUE_TABLES[name]
    skip = {*keys, "source_id", "grade", "notes"}
    for row in frame.to_dict(orient="records"):
        ids = _source_ids(row.get("source_id"))
        cited = sources.reindex(ids)
        common = {
            "table": name, "file": f"{folder}/{file}", "key": " / ".join(str(row[k]) for k in keys),
            "source_id": ";".join(ids), "grade": row.get("grade", ""),
            "citation": " | ".join(str(c) for c in cited["citation"].fillna("")),
            "source_year": ";".join("" if pd.isna(y) else str(int(y)) for y in cited["year"]),
            "url": " ".join(str(u) for u in cited["url"].fillna("") if u),
            "notes": "" if pd.isna(row.get("notes", "")) else str(row.get("notes", "")),
        }
        for field, value in row.items():
            if field in skip or value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            yield {**common, "field": field, "value": value}


def _scenario_records(scenario: Scenario) -> list[dict]:
    source = scenario.source_file
    records = []
    for dotted, value in _flatten(scenario_settings(scenario)):
        records.append({"table": "scenario", "file": source, "key": dotted.split(".")[0], "field": dotted,
                        "value": value if isinstance(value, int | float | str) else yaml.safe_dump(value).strip(),
                        "source_id": "", "grade": "", "citation": "scenario", "source_year": "", "url": "",
                        "notes": ""})
    for index, cohort in enumerate(_cohorts(scenario)):
        for field, value in cohort.model_dump().items():
            if value is not None:
                records.append({"table": "scenario", "file": source, "key": f"fleet.{index}",
                                "field": f"fleet.{index}.{field}", "value": value, "source_id": "", "grade": "",
                                "citation": "scenario", "source_year": "", "url": "", "notes": ""})
    return records


def _flatten(data: object, prefix: str = "") -> Iterable[tuple[str, object]]:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif data is not None and data != [] and data != {}:
        yield prefix, data
