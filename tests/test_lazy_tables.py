"""Plan tables built when first read, the stable order they are written in, and the pipeline's
collector window (accounts/tables.py, pipeline.py)."""

from __future__ import annotations

import gc
import pickle

import numpy as np
import pandas as pd

from fleet_planner.accounts.tables import LazyTables, _in_order, stable
from fleet_planner.pipeline import _older_objects_frozen


def test_a_table_is_built_once_when_first_read_and_made_stable():
    built = []

    def purchases() -> pd.DataFrame:
        built.append("purchases")
        return pd.DataFrame({"year": [2031, 2030], "segment": ["bus", "bus"], "count": [1.0000004, -0.0]})

    tables = LazyTables({"purchases": purchases, "costs": lambda: pd.DataFrame({"year": [2030]})})
    assert built == [] and list(tables) == ["purchases", "costs"] and len(tables) == 2
    first = tables["purchases"]
    assert tables["purchases"] is first and built == ["purchases"]  # once
    assert first["year"].tolist() == [2030, 2031]  # sorted by the key columns
    assert first["count"].tolist() == [0.0, 1.0]  # rounded; -0.0 written as 0.0
    assert str(first["count"].iloc[0]) == "0.0"


def test_set_delete_and_pickle_as_a_plain_dict():
    tables = LazyTables({"a": lambda: pd.DataFrame({"year": [2]})})
    tables["cash_flows"] = frame = pd.DataFrame({"x": [1]})
    assert tables["cash_flows"] is frame
    del tables["a"]
    assert list(tables) == ["cash_flows"]
    copy = pickle.loads(pickle.dumps(tables))
    assert type(copy) is dict and list(copy) == ["cash_flows"] and copy["cash_flows"].equals(frame)


def test_rows_already_in_key_order_are_kept_and_others_sorted():
    ordered = pd.DataFrame({"year": [2030, 2030, 2031], "segment": ["a", "b", "a"]})
    assert _in_order(ordered, ["year", "segment"])
    assert not _in_order(ordered.iloc[::-1], ["year", "segment"])  # not a plain index
    assert not _in_order(pd.DataFrame({"year": [2031, 2030]}), ["year"])
    assert not _in_order(pd.DataFrame({"year": [2030, np.nan]}), ["year"])  # pandas places the empty cell
    assert not _in_order(pd.DataFrame({"year": [2030, "x"]}), ["year"])  # types that do not compare
    mixed = pd.DataFrame({"year": [2031, 2030, np.nan], "v": [1.0, 2.0, 3.0]})
    assert stable(mixed)["v"].tolist() == [2.0, 1.0, 3.0]  # the same order as before the shortcut


def test_the_pipeline_keeps_older_objects_out_of_full_collections_and_gives_them_back():
    assert gc.get_freeze_count() == 0
    with _older_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller that froze objects itself keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        with _older_objects_frozen():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
