"""Activity: per-vehicle limits, variable O&M, and the demand, service and duty-range rules."""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.accounts.fleet import Cohort, FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.rules import series_value
from fleet_planner.schemas.plan import Decisions


def segment_demand_au(book: PriceBook, s: str, y: int) -> float:
    """Activity segment s must deliver in y: the scenario's series, else the existing fleet's
    activity in the first year grown by growth_rate. [au/a]"""
    demand = book.scenario.demand[s]
    if demand.annual_activity_au is not None:
        return series_value(demand.annual_activity_au, y) or 0.0
    typical = float(book.catalogue.segments.set_index("segment").loc[s, "annual_activity_au"])
    fleet = book.scenario.fleet if isinstance(book.scenario.fleet, list) else []
    base = sum(c.count * (c.annual_activity_au if c.annual_activity_au is not None else typical)
               for c in fleet if c.segment == s)
    return base * (1 + demand.growth_rate) ** (y - book.first_year)


def vehicles_required(book: PriceBook, s: str, y: int) -> float | None:
    """Vehicles in service incl. spares (step series), or None. [vehicles]"""
    demand = book.scenario.demand[s]
    vehicles = series_value(demand.vehicles_required_count, y, "step")
    return None if vehicles is None else vehicles * (1 + demand.spare_share)


def duty_bands(book: PriceBook, s: str) -> list[tuple[float, float]]:
    """[(daily activity au/day, share)], ascending; one band at the segment's typical day if none."""
    bands = book.scenario.demand[s].duty_bands or []
    typical = float(book.catalogue.segments.set_index("segment").loc[s, "daily_activity_au"])
    return sorted((b.daily_activity_au, b.share) for b in bands) or [(typical, 1.0)]


def activity_accounts(book: PriceBook, fleet: FleetAccount, decisions: Decisions, ledger: Ledger,
                      violations: list[Violation]) -> dict[tuple[Cohort, int], float]:
    """Activity by cohort and year, checked against each cohort's yearly cap; variable O&M."""
    activity: dict[tuple[Cohort, int], float] = defaultdict(float)
    for r in decisions.activity.itertuples():
        activity[(r.segment, r.technology, int(r.model_year)), int(r.year)] += r.activity_au
    for (cohort, y), amount in activity.items():
        s, t, v = cohort
        count = fleet.stock.get((cohort, y), 0.0)
        cap = book.activity_cap_au(s, t)
        if amount > cap * count + near(amount, cap * count):
            violations.append(Violation("activity_limit", y, f"{s}/{t}/{v}", f"activity {amount:,.0f} "
                                        f"{_unit(book, s)} exceeds {count:g} vehicles x {cap:,.0f} per vehicle"))
        ledger.add(y, s, t, "variable_om", book.variable_om_per_au(s, t) * amount, book.running_discount(y))
    return activity


def service_checks(book: PriceBook, fleet: FleetAccount, activity: dict, decisions: Decisions,
                   violations: list[Violation]) -> dict[tuple[str, int], float]:
    """Demand, service (vehicles incl. spares) and duty-range rules per segment and year; returns
    the demand. Declared unmet demand (allow_unmet_demand) counts as served, and is reported apart."""
    unmet_activity = {(r.segment, int(r.year)): r.activity_au for r in decisions.unmet_activity.itertuples()}
    unmet_vehicles = {(r.segment, int(r.year)): r.count for r in decisions.unmet_vehicles.itertuples()}
    done, vehicles, limited = defaultdict(float), defaultdict(float), defaultdict(list)
    for (cohort, y), amount in activity.items():
        done[cohort[0], y] += amount
        reach = book.usable_range_au(cohort[0], cohort[1])
        if reach is not None:
            limited[cohort[0], y].append((reach, amount))
    for (cohort, y), count in fleet.stock.items():
        vehicles[cohort[0], y] += count
    demand = {}
    for s in book.scenario.demand:
        unit = _unit(book, s)
        for y in book.scenario.years:
            demand[s, y] = need = segment_demand_au(book, s, y)
            served = done[s, y] + unmet_activity.get((s, y), 0.0)
            if served < need - near(served, need):
                violations.append(Violation("demand", y, s, f"activity {served:,.0f} is below demand {need:,.0f} "
                                            f"{unit} (short by {need - served:,.0f})"))
            required = vehicles_required(book, s, y)
            have = vehicles[s, y] + unmet_vehicles.get((s, y), 0.0)
            if required and have < required - near(have, required):
                violations.append(Violation("service", y, s, f"{have:g} vehicles, {required:g} required incl. spares"))
            shorter = 0.0
            for daily, share in duty_bands(book, s):
                short_range = sum(amount for reach, amount in limited[s, y] if reach < daily)
                if short_range > need * shorter + near(short_range, need * shorter):
                    violations.append(Violation("duty_range", y, s, f"vehicles whose range is below {daily:g} {unit}"
                                                f"/day do {short_range:,.0f}, more than the {shorter:.0%} of demand "
                                                "they can serve"))
                shorter += share
    return demand


def _unit(book: PriceBook, s: str) -> str:
    return str(book.catalogue.segments.set_index("segment").loc[s, "activity_unit"])
