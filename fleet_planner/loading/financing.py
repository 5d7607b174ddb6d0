"""The financing options a scenario offers (vehicles/financing.csv with the scenario's own terms),
and which decisions each may pay for. A rule shared by the model and the accounts; each computes
its own cash flows from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

KINDS = ("purchase", "conversion", "infrastructure")
AMOUNT_MODES = ("loan", "esco", "battery_lease")
"""Modes that finance an amount of money (continuous); a lease finances whole vehicles."""


@dataclass(frozen=True)
class FinancingOption:
    name: str
    mode: str
    applies_to: frozenset[str]
    segments: frozenset[str] | None  # None: every segment
    technologies: frozenset[str] | None  # technologies or infrastructure options; None: all
    rate_share_per_year: float
    tenor_years: int
    down_payment_share: float
    margin_share: float
    payment_share_per_year: float | None
    end: str
    buyout_share: float

    def covers(self, kind: str, segment: str | None, item: str) -> bool:
        """May this option pay for a decision of `kind` on `item` (a technology or an
        infrastructure option) in `segment` (None for infrastructure)?"""
        return (kind in self.applies_to and (self.technologies is None or item in self.technologies)
                and (segment is None or self.segments is None or segment in self.segments))


def _ids(cell) -> frozenset[str] | None:
    parts = frozenset(p.strip() for p in str(cell).split(";") if p.strip())
    return None if parts in (frozenset(), frozenset({"*"})) else parts


def offered_options(scenario: Scenario, catalogue: Catalogue) -> list[FinancingOption]:
    """The options of scenario.financing.offers, with the scenario's terms replacing the catalogue's."""
    table = catalogue.financing.set_index("option")
    options = []
    for name in scenario.financing.offers:
        row = table.loc[name].to_dict()
        terms = scenario.financing.terms.get(name)
        given = terms.model_dump(exclude_none=True) if terms is not None else {}
        row.update(given)
        options.append(FinancingOption(
            name=name, mode=str(row["mode"]), applies_to=_ids(row["applies_to"]) or frozenset(KINDS),
            segments=_ids(row["segments"]), technologies=_ids(row["technologies"]),
            rate_share_per_year=_number(row["rate_share_per_year"]), tenor_years=int(row["tenor_years"]),
            down_payment_share=_number(row["down_payment_share"]), margin_share=_number(row["margin_share"]),
            payment_share_per_year=_number(row.get("payment_share_per_year"), None),
            end=str(row["end"]), buyout_share=_number(row["buyout_share"])))
    return options


def _number(value, default: float | None = 0.0) -> float | None:
    """A catalogue number; a blank cell (None or NaN) is the default."""
    if value is None or value != value:
        return default
    return float(value)
