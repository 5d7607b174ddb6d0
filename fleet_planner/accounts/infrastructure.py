"""Infrastructure accounts: units in place, capacity against need, and costs attributed to what
each option serves. Capacity is checked per need and per option, not as a flow problem (exact
when each need is served by one option, as in the shipped catalogue)."""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.accounts.energy import EnergyAccount
from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.rules import fuel_slots


def infrastructure_accounts(book: PriceBook, fleet: FleetAccount, energy: EnergyAccount,
                            builds: dict[tuple[str, int], float], ledger: Ledger,
                            violations: list[Violation]) -> list[tuple]:
    """Rows (year, option, builds, units, capacity, basis); costs and value left in the ledger."""
    need: dict[tuple, float] = defaultdict(float)
    for (cohort, y), count in fleet.stock.items():
        if book.technology(cohort[0], cohort[1])["charging_required"]:
            need["vehicles", cohort[0], cohort[1], y] += count
    for (s, f, y), gj in energy.supply_need_gj.items():
        need["energy", s, f, y] += gj
    pools = _possible_needs(book)
    capacity: dict[tuple, float] = defaultdict(float)
    rows = []
    last = book.last_year
    for k, option in book.infrastructure().items():
        served = sorted(option.serves & pools[option.basis])
        for y in book.scenario.years:
            built = builds.get((k, y), 0.0)
            units = option.existing_in(y) + sum(builds.get((k, b), 0.0) for b in book.scenario.years
                                                if b <= y < b + option.lifetime_years)
            if built and not served:
                violations.append(Violation("infrastructure_unused", y, k, f"{built:g} units built but nothing in "
                                            "the plan can use this option"))
            for key in served:
                capacity[(option.basis, *key, y)] += units * option.capacity_per_unit
            shares = [(key, need.get((option.basis, *key, y), 0.0)) for key in served]
            total = sum(n for _key, n in shares)
            capex, running = built * option.capex_per_unit, units * option.fixed_om_per_unit_year
            left = -built * option.end_share(y, last, book.scenario.end_of_horizon, book.scenario.discount_rate) \
                * option.capex_per_unit
            for (s, item), n in shares if total > 0 else [(served[0] if served else ("", ""), 0.0)]:
                share = n / total if total > 0 else 1.0
                technology = item if option.basis == "vehicles" else _technology_of_fuel(book, s, item)
                if capex:
                    ledger.add(y, s, technology, "infrastructure", capex * share, book.discount(y))
                if running:
                    ledger.add(y, s, technology, "infrastructure", running * share, book.running_discount(y))
                if left:
                    ledger.add(last, s, technology, "residual_value", left * share, book.discount(last + 1))
            rows.append((y, k, built, units, units * option.capacity_per_unit, option.basis))
    for key, amount in need.items():
        available = capacity.get(key, 0.0)
        if amount > available + near(amount, available):
            basis, s, item, y = key
            unit = "vehicles" if basis == "vehicles" else "GJ"
            violations.append(Violation("infrastructure_capacity", y, f"{s}/{item}", f"needs {amount:,.1f} {unit} of "
                                        f"capacity, {available:,.1f} available", amount - available, unit))
    return rows


def _possible_needs(book: PriceBook) -> dict[str, set[tuple[str, str]]]:
    """(segment, technology) pairs that need charging and (segment, fuel) pairs that need supply
    infrastructure, among the technologies the scenario's segments may use."""
    vehicles, fuels = set(), set()
    for s in book.scenario.demand:
        for t in book.catalogue.index.technologies_of_segment.get(s, []):
            if book.technology(s, t)["charging_required"]:
                vehicles.add((s, t))
            for y in book.scenario.years:
                for slot in fuel_slots(book.scenario, book.catalogue, s, t, y).values():
                    fuels.update((s, f) for f in slot.fuels if book.needs_supply_infrastructure(f))
    return {"vehicles": vehicles, "energy": fuels}


def _technology_of_fuel(book: PriceBook, s: str, f: str) -> str:
    """The first technology of the segment that can burn fuel f (cost attribution only)."""
    for t in sorted(book.catalogue.index.technologies_of_segment.get(s, [])):
        slots = book.catalogue.index.fuel_slots.get(t, {})
        if any(f in fuels for _share, fuels, _multipliers in slots.values()):
            return t
    return ""
