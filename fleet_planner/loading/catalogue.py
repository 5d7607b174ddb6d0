"""Load and check the vehicle and fuel catalogues (CSV -> validated pandas tables).

Every problem in every file is collected and reported at once, each with the file, the
row (as the line number a spreadsheet shows), the column, what was found and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import CatalogueError
from fleet_planner.loading.catalogue_checks import check_catalogue
from fleet_planner.loading.files import read_csv_table, validate_rows
from fleet_planner.loading.frames import duplicated_keys, records
from fleet_planner.schemas.catalogue import TABLES


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue tables, one DataFrame per file (columns as in docs/catalogues.md)."""

    tables: dict[str, pd.DataFrame]
    vehicles_dir: Path
    fuels_dir: Path

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.__dict__["tables"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def sources(self) -> pd.DataFrame:
        return pd.concat([self.tables["vehicle_sources"], self.tables["fuel_sources"]], ignore_index=True)

    def constant(self, name: str) -> float:
        table = self.tables["constants"].set_index("constant")
        return float(table.loc[name, "value"])

    @cached_property
    def index(self) -> CatalogueIndex:
        """Dictionaries for fast lookups while preparing a model (built once per catalogue)."""
        return CatalogueIndex.from_tables(self.tables)


@dataclass(frozen=True)
class CatalogueIndex:
    """Row lookups by id: technologies by (segment, technology), types, fuels, fuel slots, regions."""

    technology: dict[tuple[str, str], dict]
    technologies_of_segment: dict[str, list[str]]
    technology_type: dict[str, dict]
    fuel: dict[str, dict]
    priced_fuels: dict[str, set[str]]
    fuel_slots: dict[str, dict[str, tuple[float, list[str], dict[str, float]]]]
    """technology -> slot -> (energy share, fuels, energy multiplier by fuel)."""
    fuel_shares: dict[tuple[str, str, str], dict]
    """(segment, technology, slot) -> fuel_shares.csv row."""
    segment: dict[str, dict]
    """segment -> segments.csv row."""

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> CatalogueIndex:
        technology = {(r["segment"], r["technology"]): r for r in records(tables["technologies"])}
        of_segment: dict[str, list[str]] = {}
        for s, t in technology:
            of_segment.setdefault(s, []).append(t)
        slots: dict[str, dict[str, tuple[float, list[str], dict[str, float]]]] = {}
        for r in records(tables["technology_fuels"].sort_values(["technology", "slot"], kind="mergesort")):
            share, fuels, multipliers = slots.setdefault(r["technology"], {}).get(r["slot"], (r["energy_share"], [], {}))
            slots[r["technology"]][r["slot"]] = (float(share), [*fuels, r["fuel"]],
                                                 {**multipliers, r["fuel"]: float(r["energy_multiplier"])})
        priced: dict[str, set[str]] = {}
        for r in records(tables["prices"][["fuel", "region"]]):
            priced.setdefault(r["region"], set()).add(r["fuel"])
        return cls(
            technology=technology, technologies_of_segment=of_segment,
            technology_type={r["technology"]: r for r in records(tables["technology_types"])},
            fuel={r["fuel"]: r for r in records(tables["fuels"])},
            priced_fuels=priced, fuel_slots=slots,
            fuel_shares={(r["segment"], r["technology"], r["slot"]): r for r in records(tables["fuel_shares"])},
            segment={r["segment"]: r for r in records(tables["segments"])},
        )


def load_catalogue(vehicles_dir: Path | str, fuels_dir: Path | str) -> Catalogue:
    """Read, validate and cross-check both catalogue folders; raise CatalogueError listing every problem."""
    folders = {"vehicles": Path(vehicles_dir), "fuels": Path(fuels_dir)}
    problems: list[str] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, (folder, file, model, unique) in TABLES.items():
        display = f"{folder}/{file}"
        frame = read_csv_table(folders[folder] / file, display, problems)
        if frame is None:
            tables[name] = pd.DataFrame(columns=list(model.model_fields))
            continue
        typed = validate_rows(frame, model, display, problems)
        keys = duplicated_keys(typed, list(unique))
        if keys:
            problems.append(f"{display}: duplicated {list(unique)} {keys[:5]}. Keep one row per key.")
        tables[name] = typed
    if not problems:
        problems.extend(check_catalogue(tables))
    if problems:
        raise CatalogueError(problems, during="in the catalogues")
    return Catalogue(tables=tables, vehicles_dir=folders["vehicles"], fuels_dir=folders["fuels"])
