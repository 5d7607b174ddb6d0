"""The catalogue's rows by key, for the price book's lookups.

A boolean filter over a catalogue table costs about a third of a millisecond; the price book asks
thousands of (segment, technology), (fuel, region) ... questions per plan. Each table is grouped
by the asked columns once, and every later question is a dictionary lookup. Same rows as the
filter (pandas' groupby also leaves out rows with an empty key, as an equality filter does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from fleet_planner.loading.catalogue import Catalogue


class CatalogueRows:
    """rows(table, column=value, ...) -> the table's rows with those values (possibly none)."""

    def __init__(self, catalogue: Catalogue, store: dict | None = None) -> None:
        self.catalogue = catalogue
        self._groups: dict = {} if store is None else store

    def rows(self, table: str, **match: object) -> pd.DataFrame:
        columns = tuple(sorted(match))
        groups = self._groups.get((table, columns))
        if groups is None:
            frame = getattr(self.catalogue, table)
            groups = {key if isinstance(key, tuple) else (key,): group
                      for key, group in frame.groupby(list(columns), sort=False)}
            groups[None] = frame.iloc[0:0]
            self._groups[table, columns] = groups
        found = groups.get(tuple(match[c] for c in columns))
        return groups[None] if found is None else found
