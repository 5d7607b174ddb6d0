"""The policy's rules on a plan: emission caps, zero-emission share, capex budget, purchase and
sale limits (the baseline has none of them)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from fleet_planner.accounts.energy import EnergyAccount
from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.rules import milestone_value, series_value


def emission_caps(book: PriceBook, base_emissions_tco2e: float | None) -> dict[int, float]:
    """Cap per year [tCO2e]: absolute milestones, or shares of the base emissions (the baseline's
    emissions in base_year, or base_tco2e)."""
    cap = book.scenario.policy.emission_cap
    if cap is None:
        return {}
    if cap.tco2e is not None:
        points, scale = cap.tco2e, 1.0
    else:
        points = cap.share_of_base
        scale = cap.base_tco2e if cap.base_tco2e is not None else base_emissions_tco2e
        if scale is None:
            msg = "caps given as a share of a base year need the baseline's emissions in that year"
            raise ValueError(msg)
    return {y: value * scale for y in book.scenario.years
            if (value := milestone_value(points, y, cap.interpolation)) is not None}


def capex_by_year(book: PriceBook, fleet: FleetAccount, builds: dict[tuple[str, int], float],
                  claims: dict[tuple[str, int], float]) -> dict[int, float]:
    """Owner's capital spending per year: vehicles (bought, and bought out of leases) + conversions +
    infrastructure - grants claimed."""
    spent: dict[int, float] = defaultdict(float)
    for (s, t, y), n in fleet.purchases.items():
        spent[y] += book.vehicle_price(s, t, y) * n
    for c in book.scenario.fleet if isinstance(book.scenario.fleet, list) else []:
        bought = fleet.buy_outs.get((c.segment, c.technology, c.model_year), 0.0)
        if bought:
            spent[int(c.lease_end_year)] += bought * float(c.buyout_price)
    for (s, t_from, t_to, _v, y), n in fleet.conversions.items():
        spent[y] += book.conversion_cost(s, t_from, t_to) * n
    options = book.infrastructure()
    for (k, y), n in builds.items():
        if k in options:
            spent[y] += options[k].capex_per_unit * n
    for (_rule, y), amount in claims.items():
        spent[y] -= amount
    return spent


def policy_checks(book: PriceBook, fleet: FleetAccount, energy: EnergyAccount, caps: dict[int, float],
                  cash: pd.DataFrame, violations: list[Violation]) -> None:
    """Every policy rule of the scenario, year by year."""
    policy = book.scenario.policy
    for y, cap in caps.items():
        emitted = energy.emissions[y][2]
        if emitted > cap + near(emitted, cap):
            violations.append(Violation("emission_cap", y, "fleet", f"emissions {emitted:,.1f} tCO2e exceed the cap "
                                        f"{cap:,.1f} tCO2e by {emitted - cap:,.1f}", emitted - cap, "tCO2e"))
    total, zero = defaultdict(float), defaultdict(float)
    for ((_s, t, _v), y), count in fleet.stock.items():
        total[y] += count
        if book.catalogue.index.technology_type[t]["zero_emission"]:
            zero[y] += count
    for y in book.scenario.years:
        share = milestone_value(policy.zero_emission_share_min, y, "step")
        if share is not None and zero[y] < share * total[y] - near(zero[y], share * total[y]):
            violations.append(Violation("zero_emission_share", y, "fleet", f"{zero[y]:g} of {total[y]:g} vehicles are "
                                        f"zero-emission ({zero[y] / max(total[y], 1):.1%}), below {share:.0%}",
                                        share * total[y] - zero[y], "zero-emission vehicles"))
        _check_cash(book, cash[cash["year"] == y].iloc[0], y, violations)
        _check_shares(book, fleet, y, violations)


def _check_shares(book: PriceBook, fleet: FleetAccount, y: int, violations: list[Violation]) -> None:
    """Zero-emission shares of a segment's stock and of purchases (fleet-wide and per segment)."""
    policy, zero = book.scenario.policy, book.catalogue.index.technology_type
    is_zero = {t: bool(row["zero_emission"]) for t, row in zero.items()}
    stock = [((s, t), n) for ((s, t, _v), yy), n in fleet.stock.items() if yy == y]
    bought = [((s, t), n) for (s, t, yy), n in fleet.purchases.items() if yy == y]
    checks = [("zero_emission_share_segment", s, points, stock)
              for s, points in policy.zero_emission_share_min_by_segment.items()]
    checks.append(("zero_emission_purchases", "fleet", policy.zero_emission_purchase_share_min, bought))
    checks += [("zero_emission_purchases", s, points, bought)
               for s, points in policy.zero_emission_purchase_share_min_by_segment.items()]
    for rule, where, points, items in checks:
        share = milestone_value(points, y, "step")
        mine = [(t, n) for (s, t), n in items if where in ("fleet", s)]
        total, zero_count = sum(n for _t, n in mine), sum(n for t, n in mine if is_zero[t])
        if share is not None and zero_count < share * total - near(zero_count, share * total):
            violations.append(Violation(rule, y, where, f"{zero_count:g} of {total:g} are zero-emission, below "
                                        f"{share:.0%}", share * total - zero_count, "zero-emission vehicles"))


def operational_checks(book: PriceBook, fleet: FleetAccount, violations: list[Violation]) -> None:
    """Limits on how many vehicles are bought and disposed of each year: they bind the plan and
    the baselines alike (an operational freedom, not a target)."""
    policy = book.scenario.policy
    for y in book.scenario.years:
        for rule, series, counts in (("purchases_max", policy.purchases_max_count, fleet.purchases),
                                     ("sales_max", policy.sales_max_count, fleet.sales)):
            limit = series_value(series, y, "step")
            done = sum(n for key, n in counts.items() if key[-1] == y)
            if limit is not None and done > limit + near(done, limit):
                violations.append(Violation(rule, y, "fleet", f"{done:g} vehicles, limit {limit:g}", done - limit,
                                            "vehicles"))
        _check_disposal_share(book, fleet, y, violations)


def _check_disposal_share(book: PriceBook, fleet: FleetAccount, y: int, violations: list[Violation]) -> None:
    policy = book.scenario.policy
    share = milestone_value(policy.sales_max_share, y, "step")
    if share is None:
        return
    start = (sum(c.count for c in book.scenario.fleet) if y == book.first_year and isinstance(book.scenario.fleet, list)
             else sum(n for (_c, yy), n in fleet.stock.items() if yy == y - 1))
    disposed = sum(n for (_c, yy), n in fleet.sales.items() if yy == y)
    if policy.sales_max_counts_retirements:
        disposed += sum(fleet.stock.get((c, y - 1), 0.0) for c, life in fleet.lives.items()
                        if life.life_end_year == y and (c, y) not in fleet.stock and life.owned(y))
    if disposed > share * start + near(disposed, share * start):
        violations.append(Violation("sales_max_share", y, "fleet", f"{disposed:g} vehicles disposed of, more than "
                                    f"{share:.0%} of the {start:g} at the start of the year",
                                    disposed - share * start, "vehicles"))


def _check_cash(book: PriceBook, row, y: int, violations: list[Violation]) -> None:
    """The budget bounds the year's cash out; upfront_max what is paid at the time of the decisions."""
    cur = book.scenario.currency
    budget = series_value(book.scenario.policy.capex_budget, y, "step")
    spent = float(row["total_cost"])
    if budget is not None and spent > budget + near(spent, budget):
        violations.append(Violation("capex_budget", y, "fleet", f"cash out for vehicles and infrastructure {spent:,.0f} "
                                    f"{cur} exceeds the budget {budget:,.0f}", spent - budget, cur))
    most = series_value(book.scenario.financing.upfront_max, y, "step")
    upfront = float(row["upfront_cost"])
    if most is not None and upfront > most + near(upfront, most):
        violations.append(Violation("upfront_max", y, "fleet", f"{upfront:,.0f} {cur} paid up front, more than "
                                    f"{most:,.0f}", upfront - most, cur))
