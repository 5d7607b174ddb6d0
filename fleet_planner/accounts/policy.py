"""The policy's rules on a plan: emission caps, zero-emission share, capex budget, purchase and
sale limits (the baseline has none of them)."""

from __future__ import annotations

from collections import defaultdict

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
                  spent: dict[int, float], violations: list[Violation]) -> None:
    """Every policy rule of the scenario, year by year."""
    policy = book.scenario.policy
    for y, cap in caps.items():
        emitted = energy.emissions[y][2]
        if emitted > cap + near(emitted, cap):
            violations.append(Violation("emission_cap", y, "fleet", f"emissions {emitted:,.1f} tCO2e exceed the cap "
                                        f"{cap:,.1f} tCO2e by {emitted - cap:,.1f}"))
    total, zero = defaultdict(float), defaultdict(float)
    for ((_s, t, _v), y), count in fleet.stock.items():
        total[y] += count
        if book.catalogue.index.technology_type[t]["zero_emission"]:
            zero[y] += count
    for y in book.scenario.years:
        share = milestone_value(policy.zero_emission_share_min, y, "step")
        if share is not None and zero[y] < share * total[y] - near(zero[y], share * total[y]):
            violations.append(Violation("zero_emission_share", y, "fleet", f"{zero[y]:g} of {total[y]:g} vehicles are "
                                        f"zero-emission ({zero[y] / max(total[y], 1):.1%}), below {share:.0%}"))
        budget = series_value(policy.capex_budget, y, "step")
        if budget is not None and spent[y] > budget + near(spent[y], budget):
            violations.append(Violation("capex_budget", y, "fleet", f"capital spending {spent[y]:,.0f} "
                                        f"{book.scenario.currency} exceeds the budget {budget:,.0f}"))
        for rule, series, counts in (("purchases_max", policy.purchases_max_count, fleet.purchases),
                                     ("sales_max", policy.sales_max_count, fleet.sales)):
            limit = series_value(series, y, "step")
            done = sum(n for key, n in counts.items() if key[-1] == y)
            if limit is not None and done > limit + near(done, limit):
                violations.append(Violation(rule, y, "fleet", f"{done:g} vehicles, limit {limit:g}"))
