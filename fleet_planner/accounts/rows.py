"""The catalogue's rows by key, for the price book's lookups.

A boolean filter over a catalogue table costs about a third of a millisecond; the price book asks
thousands of (segment, technology), (fuel, region) ... questions per plan. Each table is grouped
by the asked columns once, and every later question is a dictionary lookup. Same rows, in the same
order, as the filter (rows with an empty key cell match nothing, as in an equality filter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fleet_planner.loading.frames import column_tuples, has_empty_cell

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
        if groups is None:  # positions of each key's rows; a key's frame is cut when first asked for
            frame = getattr(self.catalogue, table)
            positions: dict = {}
            for position, key in enumerate(column_tuples(frame, list(columns))):
                if not has_empty_cell(key):  # an empty cell never equals a value, as in a filter
                    positions.setdefault(key, []).append(position)
            groups = self._groups[table, columns] = {"frame": frame, "positions": positions, "cut": {}}
        key = tuple(match[c] for c in columns)
        cut = groups["cut"].get(key)
        if cut is None:
            cut = groups["cut"][key] = groups["frame"].iloc[groups["positions"].get(key, [])]
        return cut
