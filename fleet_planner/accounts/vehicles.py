"""Vehicle money: purchases, conversions, sales, retirement at end of life, fixed O&M and the value
left after the horizon, from the fleet account and the accounts' own price book."""

from __future__ import annotations

from fleet_planner.accounts.fleet import Cohort, FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.loading.frames import row_tuples
from fleet_planner.schemas.plan import Decisions


def original_price(book: PriceBook, fleet: FleetAccount, cohort: Cohort) -> float:
    """What a vehicle of the cohort was bought for; a converted vehicle is worth its donor's price.
    A cohort the plan never holds (activity on it is a broken rule, reported) is priced as bought."""
    life = fleet.lives.get(cohort)
    donor = life.donor if life is not None else None
    return original_price(book, fleet, donor) if donor is not None else book.vehicle_price(*cohort)


def is_sunk(fleet: FleetAccount, cohort: Cohort) -> bool:
    """True if the plan did not buy the vehicle (an existing one, or one converted from it)."""
    life = fleet.lives[cohort]
    return is_sunk(fleet, life.donor) if life.donor is not None else life.origin == "existing"


def vehicle_accounts(book: PriceBook, fleet: FleetAccount, ledger: Ledger) -> None:
    """Capex, conversions, resale, retirement value, fixed O&M and residual value in the ledger.

    A cohort whose life ends inside the horizon is sold for its residual value at that age in
    the year it retires; vehicles still owned after the last year are valued at their residual
    share at that age (both x the original purchase price)."""
    last = book.last_year
    for (s, t, y), n in fleet.purchases.items():
        ledger.add(y, s, t, "capex", book.vehicle_price(s, t, y) * n, book.discount(y))
    for (s, t_from, t_to, _v, y), n in fleet.conversions.items():
        ledger.add(y, s, t_to, "conversion", book.conversion_cost(s, t_from, t_to) * n, book.discount(y))
    for (cohort, y), n in fleet.sales.items():
        s, t, v = cohort
        value = book.residual_share(s, t, y - v) * original_price(book, fleet, cohort)
        ledger.add(y, s, t, "resale", -value * n, book.discount(y), existing_asset=is_sunk(fleet, cohort))
    _lease_accounts(book, fleet, ledger)
    for cohort, life in fleet.lives.items():
        s, t, v = cohort
        retiring = life.years and life.years[-1] == life.life_end_year - 1 and life.years[-1] != last
        retiring = retiring and owned_in(fleet, cohort, life.life_end_year)
        count = fleet.stock.get((cohort, life.life_end_year - 1), 0.0) if retiring else 0.0
        if count:
            value = book.residual_share(s, t, life.life_end_year - v) * original_price(book, fleet, cohort)
            ledger.add(life.life_end_year, s, t, "resale", -value * count, book.discount(life.life_end_year),
                       existing_asset=is_sunk(fleet, cohort))
    for (cohort, y), count in fleet.stock.items():
        s, t, v = cohort
        per_vehicle = book.fixed_om(s, t, y - v) + book.price_share_per_year(s, t, y - v) * original_price(book, fleet, cohort)
        ledger.add(y, s, t, "fixed_om", per_vehicle * count, book.running_discount(y))
        if y == last and owned_in(fleet, cohort, last + 1):
            value = end_floor_share(book, fleet, cohort, last) * original_price(book, fleet, cohort)
            owned = count - fleet.leased_in(cohort, last + 1)  # vehicles still leased are not the owner's
            ledger.add(y, s, t, "residual_value", -value * owned, book.discount(last + 1),
                       existing_asset=is_sunk(fleet, cohort))


def end_floor_share(book: PriceBook, fleet: FleetAccount, cohort: Cohort, year: int) -> float:
    """Share of its price every vehicle left after `year` counts for: its resale value with the
    economic treatment (the service still to give is added for the vehicles in service, see
    in_service_premium), else the treatment's share."""
    s, t, v = cohort
    if book.scenario.end_of_horizon == "economic":
        return book.residual_share(s, t, year + 1 - v)
    return book.end_share(s, t, fleet.lives[cohort].life_end_year - v, year + 1 - v)


def in_service_premium(book: PriceBook, fleet: FleetAccount, decisions: Decisions, year: int) -> dict[Cohort, float]:
    """economic end: the value above resale of the vehicles still in service in `year` (those at
    work on an average day, with the segment's spares, at most the stock), per cohort. [currency]"""
    if book.scenario.end_of_horizon != "economic":
        return {}
    at_work: dict[Cohort, float] = {}
    for r in row_tuples(decisions.activity):
        if int(r.year) == year:
            s = r.segment
            cohort = (s, r.technology, int(r.model_year))
            per_day = r.activity_au / (float(r.daily_activity_au) * book.operating_days(s))
            at_work[cohort] = at_work.get(cohort, 0.0) + per_day * (1 + book.scenario.demand[s].spare_share)
    premium = {}
    for cohort, work in at_work.items():
        count = fleet.stock.get((cohort, year), 0.0) - fleet.leased_in(cohort, year + 1)
        if not count or not owned_in(fleet, cohort, year + 1):
            continue
        s, t, v = cohort
        above = book.end_share(s, t, fleet.lives[cohort].life_end_year - v, year + 1 - v) \
            - book.residual_share(s, t, year + 1 - v)
        if above > 0:
            premium[cohort] = above * original_price(book, fleet, cohort) * min(count, work)
    return premium


def end_service_accounts(book: PriceBook, fleet: FleetAccount, decisions: Decisions, ledger: Ledger) -> None:
    """Book the in-service value after the horizon (economic end of horizon)."""
    last = book.last_year
    for (s, t, _v), value in in_service_premium(book, fleet, decisions, last).items():
        ledger.add(last, s, t, "residual_value", -value, book.discount(last + 1), existing_asset=is_sunk(fleet, (s, t, _v)))


def owned_in(fleet: FleetAccount, cohort: Cohort, year: int) -> bool:
    """Leased vehicles are not the fleet's to sell or value (a converted cohort follows its donor)."""
    life = fleet.lives[cohort]
    return owned_in(fleet, life.donor, year) if life.donor is not None else life.owned(year)


def _lease_accounts(book: PriceBook, fleet: FleetAccount, ledger: Ledger) -> None:
    """Lease payments of the existing fleet in each horizon year before the lease ends (leases do
    not end early), and the price of the vehicles bought out at a buy-out lease's end."""
    for c in book.scenario.fleet if isinstance(book.scenario.fleet, list) else []:
        if c.lease_end_year is None:
            continue
        for y in book.scenario.years:
            if y < c.lease_end_year:
                ledger.add(y, c.segment, c.technology, "lease", c.count * float(c.lease_cost_per_year or 0.0),
                           book.running_discount(y))
        bought = fleet.buy_outs.get((c.segment, c.technology, c.model_year), 0.0)
        if bought:
            ledger.add(c.lease_end_year, c.segment, c.technology, "capex", bought * float(c.buyout_price),
                       book.discount(c.lease_end_year))


def cohort_energy_gj_per_au(book: PriceBook, fleet: FleetAccount, cohort: Cohort) -> float:
    """Energy per activity unit: the model year's value; a converted vehicle uses its donor's x the
    conversion's energy multiplier. [GJ/au]"""
    life = fleet.lives[cohort]
    if life.donor is not None:
        return cohort_energy_gj_per_au(book, fleet, life.donor) * life.energy_multiplier
    return book.energy_gj_per_au(*cohort)
