"""Subsidy (grant) accounts: each claim within what its rule covers, the rule's total cap, and the
grant's effect on the asset's final value.

A rule pays capex_share of the eligible capex of its technologies (purchases, conversions or
infrastructure builds) in its segments and years, capped per unit and in total. A claim is
income in its year; the claimed asset's final value (resale, retirement or value left after the
horizon) falls by its residual share x the claim, because a grant is repaid or forfeited on
disposal. Vehicles that claim a purchase grant are held: neither sold early nor converted (an
exit the gas end forces is allowed); vehicles that claim nothing are free.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.frames import row_tuples
from fleet_planner.schemas.plan import Decisions
from fleet_planner.schemas.scenario import SubsidyRule


def claim_key(claim) -> tuple:
    """The decision a claim row refers to: ("purchase", s, t, y), ("conversion", s, from, to, y)
    or ("infrastructure", k, y)."""
    year = int(claim.year)
    if isinstance(claim.infrastructure, str) and claim.infrastructure:
        return ("infrastructure", claim.infrastructure, year)
    if isinstance(claim.to_technology, str) and claim.to_technology:
        return ("conversion", claim.segment, claim.technology, claim.to_technology, year)
    return ("purchase", claim.segment, claim.technology, year)


def subsidy_accounts(book: PriceBook, fleet: FleetAccount, decisions: Decisions, builds: dict[tuple[str, int], float],
                     ledger: Ledger, violations: list[Violation], *, baseline: str | None) -> dict[tuple[str, int], float]:
    """Claims by (rule, year), checked and booked; the baseline claims nothing."""
    rules = {} if baseline else {rule.name: rule for rule in book.scenario.subsidies}
    conversions = defaultdict(float)
    for (s, t_from, t_to, _v, y), n in fleet.conversions.items():
        conversions[s, t_from, t_to, y] += n
    counts = {"purchase": fleet.purchases, "conversion": conversions, "infrastructure": builds}
    totals: dict[str, float] = defaultdict(float)
    by_rule_year: dict[tuple[str, int], float] = defaultdict(float)
    held: dict[tuple[str, str, int], float] = defaultdict(float)
    for claim in row_tuples(decisions.subsidy_claims):
        key = claim_key(claim)
        rule, year = rules.get(claim.rule), key[-1]
        where = f"{claim.rule}/{'/'.join(str(k) for k in key[1:])}"
        per_unit = _per_unit(book, rule, key) if rule is not None else None
        if per_unit is None:
            violations.append(Violation("subsidy_eligible", year, where, f"claims {claim.amount_cost:,.0f} for a "
                                        "decision the rule does not cover; ignored in the accounts"))
            continue
        eligible = per_unit * counts[key[0]].get(tuple(key[1:]), 0.0)
        if key[0] == "purchase" and per_unit > 0:
            held[key[1:]] = max(held[key[1:]], claim.amount_cost / per_unit)
        if claim.amount_cost > eligible + near(claim.amount_cost, eligible):
            violations.append(Violation("subsidy_eligible", year, where, f"claims {claim.amount_cost:,.0f} but only "
                                        f"{eligible:,.0f} {book.scenario.currency} is eligible"))
        segment, technology = decision_owner(key)
        ledger.add(year, segment, technology, "subsidy", -claim.amount_cost, book.discount(year))
        valued = _value_share(book, fleet, key)
        if valued is not None:
            when, share = valued
            category = "residual_value" if when > book.last_year else "resale"
            ledger.add(min(when, book.last_year), segment, technology, category, share * claim.amount_cost,
                       book.discount(when))
        totals[claim.rule] += claim.amount_cost
        by_rule_year[claim.rule, year] += claim.amount_cost
    leased: dict[tuple[str, str, int], float] = defaultdict(float)
    for r in row_tuples(decisions.leases):
        leased[r.segment, r.technology, int(r.year)] += r.count
    _check_holding(fleet, held, leased, violations)
    for name, total in totals.items():
        cap = rules[name].max_total
        if cap is not None and total > cap + near(total, cap):
            violations.append(Violation("subsidy_cap", None, name, f"claims {total:,.0f} over the horizon, cap "
                                        f"{cap:,.0f} {book.scenario.currency}"))
    return dict(by_rule_year)


def _check_holding(fleet: FleetAccount, held: dict[tuple[str, str, int], float],
                   leased: dict[tuple[str, str, int], float], violations: list[Violation]) -> None:
    """Held vehicles (those that claimed a purchase grant) are neither sold early nor converted."""
    for (s, t, y), vehicles in held.items():
        cohort = (s, t, y)
        exit_year = fleet.lives[cohort].forced_exit_year if cohort in fleet.lives else None
        out = sum(n for (c, year), n in fleet.sales.items() if c == cohort and year != exit_year)
        out += sum(n for (cs, t_from, _to, v, _yy), n in fleet.conversions.items() if (cs, t_from, v) == cohort)
        bought = fleet.purchases.get(cohort, 0.0) - leased.get(cohort, 0.0)  # leased: the lessor's
        if vehicles + out > bought + near(vehicles + out, bought):
            violations.append(Violation("grant_holding", y, f"{s}/{t}/{y}", f"{vehicles:g} vehicles claimed a grant and "
                                        f"{out:g} were sold or converted early, out of {bought:g} bought"))


def _covers(rule: SubsidyRule, kind: str, s: str | None, item: str, y: int) -> bool:
    return ({"purchase": "purchases", "conversion": "conversions", "infrastructure": "infrastructure"}[kind]
            in rule.applies_to and item in rule.technologies and rule.first_year <= y <= rule.last_year
            and (s is None or rule.segments is None or s in rule.segments))


def _per_unit(book: PriceBook, rule: SubsidyRule, key: tuple) -> float | None:
    """Grant per vehicle, conversion or unit: capex_share x capex, capped at max_per_unit; None if
    the rule does not cover the decision."""
    kind, year = key[0], key[-1]
    if kind == "purchase":
        _k, s, t, _y = key
        covered, capex = _covers(rule, kind, s, t, year), book.vehicle_price(s, t, year)
    elif kind == "conversion":
        _k, s, t_from, t_to, _y = key
        covered = _covers(rule, kind, s, t_to, year) and book.conversion(s, t_from, t_to) is not None
        capex = book.conversion_cost(s, t_from, t_to) if covered else 0.0
    else:
        _k, k, _y = key
        options = book.infrastructure()
        covered = _covers(rule, kind, None, k, year) and k in options
        capex = options[k].capex_per_unit if covered else 0.0
    if not covered:
        return None
    if not book.scenario.taxes.vat_recoverable and not rule.vat_eligible:
        capex /= 1.0 + book.vat_rate()  # VAT paid is not eligible capex
    amount = rule.capex_share * capex
    return min(amount, rule.max_per_unit) if rule.max_per_unit is not None else amount


def _value_share(book: PriceBook, fleet: FleetAccount, key: tuple) -> tuple[int, float] | None:
    """(year the claimed asset is valued, share of the claim its value falls by), or None."""
    if key[0] == "purchase":
        _k, s, t, v = key
        life = fleet.lives.get((s, t, v))
        if life is None:
            return None
        if life.forced_exit_year is not None:
            return life.forced_exit_year, book.residual_share(s, t, life.forced_exit_year - v)
        if life.years and life.years[-1] == book.last_year:
            return book.last_year + 1, book.end_share(s, t, life.life_end_year - v, book.last_year + 1 - v)
        if life.years and life.years[-1] == life.life_end_year - 1:
            return life.life_end_year, book.residual_share(s, t, life.life_end_year - v)
        return None
    if key[0] == "infrastructure":
        _k, k, y = key
        share = book.infrastructure()[k].end_share(y, book.last_year, book.scenario.end_of_horizon,
                                                  book.scenario.discount_rate)
        return (book.last_year + 1, share) if share > 0 else None
    return None


def decision_owner(key: tuple) -> tuple[str, str]:
    """(segment, technology or infrastructure option) a decision's costs are booked to."""
    if key[0] == "purchase":
        return key[1], key[2]
    if key[0] == "conversion":
        return key[1], key[3]
    return "", key[1]
