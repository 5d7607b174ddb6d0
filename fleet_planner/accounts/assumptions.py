"""The scenario's inputs as the accounts use them: every catalogue money value in the scenario's
money basis, and the calibration figures beside the catalogue's values. Written with every plan
(money_basis.csv, calibration.csv) and shown in the report's appendix."""

from __future__ import annotations

import pandas as pd

from fleet_planner.accounts.calibration import calibration_table
from fleet_planner.accounts.money_basis import money_basis_table
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.schemas.scenario import Scenario


def assumption_tables(scenario: Scenario, catalogue: Catalogue, *, book: PriceBook | None = None
                      ) -> dict[str, pd.DataFrame]:
    """{"money_basis": one row per money value of the scenario's segments and region,
    "calibration": published figures of the scenario's segments beside the catalogue's values}.
    book: the scenario's price book when the caller has one (its lookups are then not repeated)."""
    if book is None or book.scenario is not scenario:
        book = PriceBook(scenario, catalogue)
    segments = set(scenario.demand)
    money = money_basis_table(book)
    first = money["key"].str.split(" / ").str[0]  # rows keyed by segment: only the scenario's segments
    keep = ~first.isin(catalogue.segments["segment"]) | first.isin(segments)
    calibration = calibration_table(book)
    return {"money_basis": money[keep].reset_index(drop=True),
            "calibration": calibration[calibration["segment"].isin(segments)].reset_index(drop=True)}
