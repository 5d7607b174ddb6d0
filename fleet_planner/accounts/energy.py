"""Energy, fuel cost, carbon cost and emissions of a plan, and the energy balance of each fuel slot."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.vehicles import cohort_energy_gj_per_au
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.frames import row_tuples
from fleet_planner.loading.rules import fuel_slots
from fleet_planner.schemas.plan import Decisions

BALANCE_TOLERANCE_FACTOR = 10  # fuel splits are continuous; allow 10x the rule tolerance


@dataclass
class EnergyAccount:
    rows: list[tuple] = field(default_factory=list)
    """(year, segment, technology, fuel, GJ, energy cost, ttw tCO2e, wtw tCO2e)"""
    emissions: dict[int, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0.0, 0.0, 0.0]))
    """year -> [ttw, wtw, policy scope] tCO2e"""
    supply_need_gj: dict[tuple[str, str, int], float] = field(default_factory=lambda: defaultdict(float))
    """(segment, fuel, year) -> GJ of fuels that need supply infrastructure"""


def energy_accounts(book: PriceBook, fleet: FleetAccount, activity: dict, decisions: Decisions, ledger: Ledger,
                    violations: list[Violation]) -> EnergyAccount:
    """Fuel use priced and converted to emissions (tank-to-wheel, well-to-wheel, and the policy's
    scope for the carbon price and caps). A GJ of fuel f covers 1 / (its energy multiplier) GJ of the
    need; each slot covers its share (or a share within its range) and together they cover it all;
    fuels with limited supply stay within their yearly limit."""
    scope = book.scenario.policy.emission_scope
    need = defaultdict(float)
    for (cohort, y), amount in activity.items():
        if (cohort, y) in fleet.stock or cohort in fleet.lives:
            need[cohort[0], cohort[1], y] += amount * cohort_energy_gj_per_au(book, fleet, cohort)
    got, bought = defaultdict(float), defaultdict(float)
    account = EnergyAccount()
    slots_of: dict[tuple[str, str, int], dict] = {}

    def slots_in(s: str, t: str, y: int) -> dict:
        if (s, t, y) not in slots_of:
            slots_of[s, t, y] = fuel_slots(book.scenario, book.catalogue, s, t, y)
        return slots_of[s, t, y]

    for r in row_tuples(decisions.fuel_use):
        s, t, y, f, gj = r.segment, r.technology, int(r.year), r.fuel, r.energy_gj
        slots = slots_in(s, t, y)
        slot = next((name for name, option in slots.items() if f in option.fuels), None)
        if slot is None:
            violations.append(Violation("fuel_not_allowed", y, f"{s}/{t}/{f}", f"{gj:,.1f} GJ of {f}, which {t} cannot "
                                        f"use in {y}; ignored in the accounts"))
            continue
        got[s, t, y, slot] += gj / slots[slot].energy_multiplier[f]
        bought[f, y] += gj
        price = book.fuel_price_per_gj(s, f, y)
        ttw = gj * book.emission_t_per_gj(s, t, f, y, "ttw")
        wtw = gj * book.emission_t_per_gj(s, t, f, y, "wtw")
        in_scope = ttw if scope == "ttw" else wtw
        totals = account.emissions[y]
        totals[0], totals[1], totals[2] = totals[0] + ttw, totals[1] + wtw, totals[2] + in_scope
        ledger.add(y, s, t, "energy", price * gj, book.running_discount(y))
        ledger.add(y, s, t, "carbon", book.carbon_price(y) * in_scope, book.running_discount(y))
        account.rows.append((y, s, t, f, gj, price * gj, ttw, wtw))
        if book.needs_supply_infrastructure(f):
            account.supply_need_gj[s, f, y] += gj
    for s, t, y in sorted(set(need) | {key[:3] for key in got}):
        slots = slots_in(s, t, y)
        covered = {slot: got.get((s, t, y, slot), 0.0) for slot in slots}
        _balance(violations, s, t, y, need.get((s, t, y), 0.0), slots, covered)
    for (f, y), gj in bought.items():
        limit = book.supply_limit_gj(f, y)
        if limit is not None and gj > limit + near(gj, limit):
            violations.append(Violation("fuel_supply", y, f, f"{gj:,.1f} GJ used, {limit:,.1f} GJ available a year",
                                        gj - limit, "GJ"))
    return account


def _balance(violations: list[Violation], s: str, t: str, y: int, need: float, slots: dict, covered: dict) -> None:
    """Each slot covers its share (fixed, or within its range) of the need; together all of it."""
    slack = near(need, need) * BALANCE_TOLERANCE_FACTOR
    wrong = False
    for name, slot in slots.items():
        got, low, high = covered[name], slot.share_min * need, slot.share_max * need
        if got < low - slack or got > high + slack:
            wrong = True
            violations.append(Violation("energy_balance", y, f"{s}/{t}/{name}", f"fuel covers {got:,.1f} GJ of the "
                                        f"need, the slot must cover {low:,.1f}-{high:,.1f} GJ"))
    total = sum(covered.values())
    if not wrong and abs(total - need) > slack:
        violations.append(Violation("energy_balance", y, f"{s}/{t}", f"fuel covers {total:,.1f} GJ, the activity "
                                    f"needs {need:,.1f} GJ"))
