"""Activity: duty bands, the time a vehicle has for its duties, variable O&M, and the demand,
service and duty-vehicle rules.

A vehicle doing a duty of d au/day covers d on each operating day, so in a year it does at most
d x days in that duty, and only if its usable range reaches d.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.accounts.fleet import Cohort, FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.frames import row_tuples
from fleet_planner.loading.rules import series_value
from fleet_planner.schemas.plan import Decisions


def segment_demand_au(book: PriceBook, s: str, y: int) -> float:
    """Activity segment s must deliver in y: the scenario's series, else the existing fleet's
    activity in the first year grown by growth_rate. [au/a]"""
    demand = book.scenario.demand[s]
    if demand.annual_activity_au is not None:
        return series_value(demand.annual_activity_au, y) or 0.0
    typical = book.typical_annual_activity_au(s)
    fleet = book.scenario.fleet if isinstance(book.scenario.fleet, list) else []
    base = sum(c.count * (c.annual_activity_au if c.annual_activity_au is not None else typical)
               for c in fleet if c.segment == s)
    return base * (1 + demand.growth_rate) ** (y - book.first_year)


def vehicles_required(book: PriceBook, s: str, y: int) -> float | None:
    """Vehicles in service incl. spares (step series), or None. [vehicles]"""
    demand = book.scenario.demand[s]
    vehicles = series_value(demand.vehicles_required_count, y, "step")
    return None if vehicles is None else vehicles * (1 + demand.spare_share)


def band_shares(book: PriceBook, s: str, y: int) -> dict[float, float]:
    """{daily activity au/day: share of the year's activity}; one band at the typical day if none."""
    bands = book.scenario.demand[s].duty_bands or []
    if not bands:
        return {book.daily_activity_au(s): 1.0}
    return {b.daily_activity_au: b.share_in(y) for b in bands}


def activity_accounts(book: PriceBook, fleet: FleetAccount, decisions: Decisions, ledger: Ledger,
                      violations: list[Violation]) -> dict[tuple[Cohort, int], float]:
    """Activity by cohort and year (summed over duty bands), checked against range and the time
    the cohort's vehicles have; variable O&M."""
    by_band: dict[tuple[Cohort, float, int], float] = defaultdict(float)
    for r in row_tuples(decisions.activity):
        by_band[(r.segment, r.technology, int(r.model_year)), float(r.daily_activity_au), int(r.year)] += r.activity_au
    assigned, assigned_total = defaultdict(float), defaultdict(float)
    for r in row_tuples(decisions.duty_vehicles):
        cohort = (r.segment, r.technology, int(r.model_year))
        assigned[cohort, float(r.daily_activity_au), int(r.year)] += r.count
        assigned_total[cohort, int(r.year)] += r.count
    activity: dict[tuple[Cohort, int], float] = defaultdict(float)
    time_used: dict[tuple[Cohort, int], float] = defaultdict(float)
    for (cohort, daily, y), amount in by_band.items():
        s, t, v = cohort
        activity[cohort, y] += amount
        reach = book.usable_range_au(s, t)
        if daily not in band_shares(book, s, y):
            violations.append(Violation("duty_band", y, f"{s}/{t}/{v}", f"activity on a {daily:g} {_unit(book, s)}/day "
                                        "duty, which the scenario does not have"))
        elif reach is not None and reach < daily - 1e-9:
            violations.append(Violation("duty_range", y, f"{s}/{t}/{v}", f"{amount:,.0f} {_unit(book, s)} on "
                                        f"{daily:g} {_unit(book, s)}/day duties, beyond its usable range {reach:g}",
                                        amount, _unit(book, s)))
        time_used[cohort, y] += amount / (daily * book.operating_days(s))
        if book.scenario.demand[s].one_duty_per_vehicle:
            _check_whole_vehicles(book, violations, cohort, daily, y, amount, assigned[cohort, daily, y])
    for (cohort, y), vehicles in time_used.items():
        s, t, v = cohort
        count = fleet.stock.get((cohort, y), 0.0)
        if book.scenario.demand[s].one_duty_per_vehicle:
            vehicles = assigned_total[cohort, y]
        if vehicles > count + near(vehicles, count):
            violations.append(Violation("duty_time", y, f"{s}/{t}/{v}", f"its duties need {vehicles:,.2f} vehicles "
                                        f"working every operating day; it has {count:g}"))
    for (cohort, y), amount in activity.items():
        s, t, _v = cohort
        ledger.add(y, s, t, "variable_om", book.variable_om_per_au(s, t) * amount, book.running_discount(y))
    return activity


def _check_whole_vehicles(book: PriceBook, violations: list[Violation], cohort: Cohort, daily: float, y: int,
                          amount: float, vehicles: float) -> None:
    """one_duty_per_vehicle: whole vehicles on the band, each doing at most daily x days."""
    s, t, v = cohort
    most = daily * book.operating_days(s) * vehicles
    if abs(vehicles - round(vehicles)) > 1e-6 or amount > most + near(amount, most):
        violations.append(Violation("duty_vehicles", y, f"{s}/{t}/{v}", f"{amount:,.0f} {_unit(book, s)} on "
                                    f"{daily:g}/day duties with {vehicles:g} whole vehicles (at most {most:,.0f})"))


def service_checks(book: PriceBook, fleet: FleetAccount, decisions: Decisions,
                   violations: list[Violation]) -> dict[tuple[str, int], float]:
    """Demand per duty band, vehicles in service, and range-capable vehicles per band with spares;
    returns the demand. Declared unmet demand (allow_unmet_demand) counts as served."""
    unmet_activity = defaultdict(float)
    for r in row_tuples(decisions.unmet_activity):
        unmet_activity[r.segment, float(r.daily_activity_au), int(r.year)] += r.activity_au
    unmet_vehicles = {(r.segment, int(r.year)): r.count for r in row_tuples(decisions.unmet_vehicles)}
    done = defaultdict(float)
    for r in row_tuples(decisions.activity):
        done[r.segment, float(r.daily_activity_au), int(r.year)] += r.activity_au
    vehicles = defaultdict(float)
    able = defaultdict(float)
    for (cohort, y), count in fleet.stock.items():
        s, t, _v = cohort
        vehicles[s, y] += count
        reach = book.usable_range_au(s, t)
        for daily in band_shares(book, s, y) if s in book.scenario.demand else {}:
            if reach is None or reach >= daily - 1e-9:
                able[s, daily, y] += count
    demand = {}
    for s in book.scenario.demand:
        for y in book.scenario.years:
            demand[s, y] = total = segment_demand_au(book, s, y)
            shares = band_shares(book, s, y)
            for daily, share in shares.items():
                need, served = total * share, done[s, daily, y] + unmet_activity[s, daily, y]
                if served < need - near(served, need):
                    violations.append(Violation("demand", y, s, f"{daily:g} {_unit(book, s)}/day duties: activity "
                                                f"{served:,.0f} is below demand {need:,.0f} "
                                                f"(short by {need - served:,.0f})", need - served, _unit(book, s)))
            required = vehicles_required(book, s, y)
            have = vehicles[s, y] + unmet_vehicles.get((s, y), 0.0)
            if required and have < required - near(have, required):
                violations.append(Violation("service", y, s, f"{have:g} vehicles, {required:g} required incl. spares",
                                            required - have, "vehicles"))
            _check_duty_vehicles(book, violations, s, y, total, shares, able, unmet_vehicles.get((s, y), 0.0))
    return demand


def _check_duty_vehicles(book: PriceBook, violations: list[Violation], s: str, y: int, total: float,
                         shares: dict[float, float], able: dict, unmet: float) -> None:
    """For each band: vehicles reaching it >= (1 + spares) x the duties of it and longer bands."""
    days, spare = book.operating_days(s), 1.0 + book.scenario.demand[s].spare_share
    for daily in sorted(shares):
        needed = spare * sum(total * share / (d * days) for d, share in shares.items() if d >= daily)
        have = able[s, daily, y] + unmet
        if have < needed - near(have, needed):
            violations.append(Violation("duty_vehicles", y, s, f"{have:g} vehicles reach {daily:g} "
                                        f"{_unit(book, s)}/day; its duties and longer ones need {needed:,.2f} "
                                        "incl. spares", needed - have, "vehicles"))


def _unit(book: PriceBook, s: str) -> str:
    return str(book.catalogue.segments.set_index("segment").loc[s, "activity_unit"])
