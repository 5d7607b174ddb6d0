"""Wear by use: the use of a cohort beyond each part's yearly allowance (life in au / the
technology's lifetime in years, per vehicle in stock) costs the part's price / its life in au:
the chassis at what the vehicle was bought for, a component at its replacement price that year."""

from __future__ import annotations

from fleet_planner.accounts.fleet import Cohort, FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.vehicles import original_price


def wear_accounts(book: PriceBook, fleet: FleetAccount, activity: dict[tuple[Cohort, int], float],
                  ledger: Ledger) -> dict[tuple[Cohort, str, int], float]:
    """Book the wear cost of each cohort-year; returns the activity beyond each allowance. [au]"""
    beyond = {}
    for (cohort, y), amount in activity.items():
        s, t, _v = cohort
        vehicles = fleet.stock.get((cohort, y), 0.0)
        life_years = book.lifetime_years(s, t)
        for part, life_au, units in book.wear_parts(s, t):
            excess = max(0.0, amount - life_au / life_years * vehicles)
            if excess <= 0:
                continue
            beyond[cohort, part, y] = excess
            price = original_price(book, fleet, cohort) if part == "chassis" else units * book.component_price(part, y)
            ledger.add(y, s, t, "wear", excess * price / life_au, book.running_discount(y))
    return beyond
