"""The plan's cash flows: one entry per year, segment, technology and cost category."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

COST_CATEGORIES = ["capex", "subsidy", "conversion", "infrastructure", "financing", "lease", "fixed_om", "variable_om",
                   "wear", "energy", "carbon", "resale", "residual_value"]
"""Categories of the cost table; money received (resale, value left, grants) is negative."""


@dataclass
class Ledger:
    """Cash flows with their discount factors. existing_asset marks the value of vehicles the plan
    did not buy (their purchase is sunk and outside the accounts)."""

    rows: list[tuple] = field(default_factory=list)

    def add(self, year: int, segment: str, technology: str, category: str, cost: float, discount: float, *,
            existing_asset: bool = False) -> None:
        if category not in COST_CATEGORIES:
            msg = f"unknown cost category {category!r}"
            raise ValueError(msg)
        self.rows.append((year, segment, technology, category, cost, discount, existing_asset))

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=["year", "segment", "technology", "category", "cost",
                                                 "discount_factor", "existing_asset_value"])
        frame["discounted_cost"] = frame["cost"] * frame["discount_factor"]
        return frame

    def npv(self) -> float:
        return float(sum(cost * discount for _y, _s, _t, _c, cost, discount, _e in self.rows))
