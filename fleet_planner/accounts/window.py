"""Totals over a reporting window shorter than the modelled horizon (scenario report_last_year):
the years after it are a tail that lets decisions near the window's end see what follows.

Inside the window: every cash flow of its years; after it: nothing but the value of what is left
at its end, by the scenario's end_of_horizon treatment (vehicles owned and in the fleet in the
window's last year; infrastructure built in the window and not yet worn out), net of the grants
that paid for it, as the accounts value what is left after the horizon."""

from __future__ import annotations

import pandas as pd

from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.subsidies import claim_key
from fleet_planner.accounts.vehicles import end_floor_share, in_service_premium, original_price, owned_in
from fleet_planner.loading.frames import row_tuples
from fleet_planner.schemas.plan import Decisions

AFTER_HORIZON = "residual_value"  # ledger category of values booked after the last modelled year


def window_npv(book: PriceBook, fleet: FleetAccount, builds: dict[tuple[str, int], float], decisions: Decisions,
               ledger: pd.DataFrame, window_last: int) -> float:
    """Discounted cost of the plan over first year .. window_last, what is left valued at its end."""
    inside = ledger[(ledger["year"] <= window_last) & (ledger["category"] != AFTER_HORIZON)]
    cost = float((inside["cost"] * inside["discount_factor"]).sum())
    return cost - _value_left(book, fleet, builds, decisions, window_last) * book.discount(window_last + 1)


def _value_left(book: PriceBook, fleet: FleetAccount, builds: dict[tuple[str, int], float], decisions: Decisions,
                window_last: int) -> float:
    after = window_last + 1
    value, share_of = 0.0, {}
    for (cohort, y), count in fleet.stock.items():
        if y != window_last or not owned_in(fleet, cohort, after):
            continue
        s, t, v = cohort
        share_of["purchase", s, t, v] = book.end_share(s, t, fleet.lives[cohort].life_end_year - v, after - v)
        value += end_floor_share(book, fleet, cohort, window_last) * original_price(book, fleet, cohort) * count
    value += sum(in_service_premium(book, fleet, decisions, window_last).values())
    options = book.infrastructure()
    mode, rate = book.scenario.end_of_horizon, book.scenario.discount_rate
    for (k, y), built in builds.items():
        if y <= window_last and k in options:
            share = options[k].end_share(y, window_last, mode, rate)
            share_of["infrastructure", k, y] = share
            value += share * options[k].capex_per_unit * built
    for claim in row_tuples(decisions.subsidy_claims):  # a claimed asset is worth its value net of its grant
        value -= share_of.get(claim_key(claim), 0.0) * claim.amount_cost  # (conversion kits are not valued)
    return value
