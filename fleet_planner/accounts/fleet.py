"""The fleet as the accounts see it: cohorts, their stock year by year, and whether each decision
of a plan was allowed. Built from the plan's decisions and the scenario's rules alone.

A decision that is not allowed is listed as a violation and left out of the accounts. Timing:
decisions of year y happen at its start; a vehicle bought in y serves in y; a vehicle sold or
converted in y does not serve in y as its old self and must have been owned before y started; a
cohort of model year v serves until v + lifetime - 1 (an existing vehicle older than its lifetime
still serves the first year); a natural-gas cohort must leave the fleet in policy.gas_end_year.

Letters: s segment, t technology, v model year, y year; a cohort is (s, t, v).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.violations import Violation, check_integer, near
from fleet_planner.loading.financing import offered_options
from fleet_planner.loading.frames import row_tuples
from fleet_planner.loading.rules import baseline_can_buy, purchasable_technologies, technology_allowed_in_year
from fleet_planner.schemas.plan import Baseline, Decisions

Cohort = tuple[str, str, int]


@dataclass
class CohortLife:
    """One cohort's life in the plan."""

    origin: str  # existing | new | converted
    start_year: int
    life_end_year: int  # first year it no longer serves
    initial_count: float = 0.0
    lock_until: int | None = None
    donor: Cohort | None = None  # the cohort a converted one came from
    energy_multiplier: float = 1.0
    years: list[int] = field(default_factory=list)  # years it may be in stock
    forced_exit_year: int | None = None  # gas end inside its life
    lease_end_year: int | None = None  # leased: the year its vehicles go back (or may be bought out)
    buy_out: bool = False  # the lease lets the plan buy its vehicles at lease_end_year

    def owned(self, year: int) -> bool:
        """Whether the fleet owns the cohort's vehicles in `year` (leased: only after a buy-out)."""
        return self.lease_end_year is None or (self.buy_out and year >= self.lease_end_year)


@dataclass
class FleetAccount:
    """Stock and flows of a plan by cohort and year, and the rule-checked decisions."""

    lives: dict[Cohort, CohortLife]
    stock: dict[tuple[Cohort, int], float]
    purchases: dict[tuple[str, str, int], float]
    conversions: dict[tuple[str, str, str, int, int], float]  # (s, from, to, v, y)
    sales: dict[tuple[Cohort, int], float]
    buy_outs: dict[Cohort, float] = field(default_factory=dict)  # leased cohort -> vehicles bought at the lease's end
    leased: dict[Cohort, list[tuple[float, int, str]]] = field(default_factory=dict)
    """New cohort -> [(vehicles a lease supplied, the year its term ends, its end: return | transfer | buy_out)]."""

    def leased_in(self, cohort: Cohort, year: int) -> float:
        """Vehicles of the cohort still leased (not the owner's) in `year`."""
        return sum(n for n, end, _kind in self.leased.get(cohort, []) if year < end)


class FleetRules:
    """What a scenario allows a plan to do (a baseline allows only its baseline technology and no
    conversions; the like-for-like reference no early sales either)."""

    def __init__(self, book: PriceBook, *, baseline: Baseline) -> None:
        self.book, self.baseline = book, baseline
        self.scenario, self.catalogue = book.scenario, book.catalogue
        self._base_technology = self.catalogue.segments.set_index("segment")["baseline_technology"]

    def gas_blocked(self, t: str, y: int) -> bool:
        end = self.scenario.policy.gas_end_year
        return end is not None and y >= end and bool(self.catalogue.index.technology_type[t]["natural_gas"])

    def may_buy(self, s: str, t: str, y: int) -> bool:
        if s not in self.scenario.demand or not self.book.first_year <= y <= self.book.last_year:
            return False
        if self.baseline:
            return t == self._base_technology[s] and baseline_can_buy(self.scenario, self.catalogue, s, t, y)
        return t in purchasable_technologies(self.scenario, self.catalogue, s, y)

    def may_convert(self, life: CohortLife, s: str, t_from: str, t_to: str, v: int, y: int) -> bool:
        policy = self.scenario.policy
        row = self.book.conversion(s, t_from, t_to)
        if self.baseline or not policy.allow_conversions or row is None:
            return False
        if (life.origin == "new" and y <= v) or not row["min_age_years"] <= y - v <= row["max_age_years"]:
            return False
        if not row["first_year"] <= y <= row["last_year"] or y >= life.life_end_year:
            return False
        if life.lock_until and y < life.lock_until:
            return False
        return technology_allowed_in_year(self.scenario, self.catalogue, s, t_to, y) and not self.gas_blocked(t_to, y)

    def may_sell(self, life: CohortLife, y: int) -> bool:
        if y == life.forced_exit_year:
            return True
        if self.baseline == "like_for_like" or not self.scenario.policy.allow_sales or y not in life.years:
            return False
        return not (life.lock_until and y < life.lock_until)

    def settle_years(self, life: CohortLife, t: str) -> None:
        """Years the cohort may be in stock, and the year the gas end forces it out."""
        first = self.book.first_year
        alive = [y for y in self.scenario.years if life.start_year <= y < life.life_end_year]
        life.years = [y for y in alive if not (self.gas_blocked(t, y) and life.owned(y))]
        if life.years and len(life.years) < len(alive):
            life.forced_exit_year = alive[len(life.years)]
        elif alive and not life.years and life.origin == "existing":
            life.forced_exit_year = first


def fleet_account(rules: FleetRules, decisions: Decisions, violations: list[Violation]) -> FleetAccount:
    """Cohorts and stock of a plan, year by year; decisions that are not allowed become violations."""
    lives = _existing_lives(rules)
    purchases = _purchases(rules, decisions, lives, violations)
    conversions = _conversions(rules, decisions, lives, violations)
    sales = _sales(rules, decisions, lives, violations)
    buy_outs = _buy_outs(decisions, lives, violations)
    leased = _new_leases(rules, decisions, purchases, violations)
    for (_s, t, _v), life in lives.items():
        if not life.years and life.forced_exit_year is None:
            rules.settle_years(life, t)
    account = FleetAccount(lives, {}, purchases, conversions, sales, buy_outs, leased)
    account.stock = _stock(rules, account, violations)
    return account


def _new_leases(rules: FleetRules, decisions: Decisions, purchases: dict,
                violations: list[Violation]) -> dict[Cohort, list[tuple[float, int, str]]]:
    """New vehicles a lease supplies: at most the purchase; the term and end from the offered option
    (an option not offered is reported by the financing accounts)."""
    options = {} if rules.baseline else {o.name: o for o in offered_options(rules.scenario, rules.catalogue)}
    leased: dict[Cohort, list[tuple[float, int, str]]] = defaultdict(list)
    for r in row_tuples(decisions.leases):
        option, cohort = options.get(r.option), (r.segment, r.technology, int(r.year))
        if option is None or option.mode != "lease":
            continue
        leased[cohort].append((float(r.count), cohort[2] + option.tenor_years, option.end))
    for cohort, contracts in leased.items():
        total = sum(n for n, _end, _kind in contracts)
        bought = purchases.get(cohort, 0.0)
        if total > bought + near(total, bought):
            violations.append(Violation("lease_limit", cohort[2], "/".join(map(str, cohort)), f"{total:g} vehicles "
                                        f"leased, but only {bought:g} were acquired"))
    return dict(leased)


def _existing_lives(rules: FleetRules) -> dict[Cohort, CohortLife]:
    scenario, book = rules.scenario, rules.book
    locks = {(c.segment, c.technology, c.model_year): c.until_year for c in scenario.policy.locked_cohorts}
    lives = {}
    for c in scenario.fleet if isinstance(scenario.fleet, list) else []:
        key = (c.segment, c.technology, c.model_year)
        end = max(c.model_year + book.lifetime_years(c.segment, c.technology), book.first_year + 1)
        buy_out = c.lease_end_year is not None and c.lease_end == "buy_out" and c.lease_end_year < end
        if c.lease_end_year is not None and not buy_out:
            end = c.lease_end_year  # returned to the lessor
        life = CohortLife("existing", book.first_year, end, float(c.count),
                          max(c.lease_end_year or 0, locks.get(key, 0)) or None,
                          lease_end_year=c.lease_end_year, buy_out=buy_out)
        rules.settle_years(life, c.technology)
        lives[key] = life
    return lives


def _purchases(rules: FleetRules, decisions: Decisions, lives: dict[Cohort, CohortLife],
               violations: list[Violation]) -> dict[tuple[str, str, int], float]:
    purchases: dict[tuple[str, str, int], float] = defaultdict(float)
    for r in row_tuples(decisions.purchases):
        s, t, y = r.segment, r.technology, int(r.year)
        if not rules.may_buy(s, t, y):
            violations.append(Violation("purchase_not_allowed", y, f"{s}/{t}", f"{r.count:g} bought, but the "
                                        "technology may not be bought then (availability, purchase window, gas "
                                        "end or fuel availability); ignored in the accounts"))
            continue
        check_integer(violations, "purchase", y, f"{s}/{t}", r.count)
        purchases[s, t, y] += r.count
        if (s, t, y) not in lives:
            life = CohortLife("new", y, y + rules.book.lifetime_years(s, t))
            rules.settle_years(life, t)
            lives[s, t, y] = life
    return purchases


def _conversions(rules: FleetRules, decisions: Decisions, lives: dict[Cohort, CohortLife],
                 violations: list[Violation]) -> dict[tuple[str, str, str, int, int], float]:
    conversions: dict[tuple[str, str, str, int, int], float] = defaultdict(float)
    rows = decisions.conversions.sort_values(["year"], kind="mergesort") if not decisions.conversions.empty \
        else decisions.conversions
    for r in row_tuples(rows):
        s, t_from, t_to, v, y = r.segment, r.technology, r.to_technology, int(r.model_year), int(r.year)
        donor = lives.get((s, t_from, v))
        if donor is None or not rules.may_convert(donor, s, t_from, t_to, v, y):
            violations.append(Violation("conversion_not_allowed", y, f"{s}/{t_from}->{t_to}/{v}",
                                        f"{r.count:g} converted, but this conversion is not allowed then (age, "
                                        "window, lease, grant or policy); ignored in the accounts"))
            continue
        check_integer(violations, "conversion", y, f"{s}/{t_from}/{v}", r.count)
        conversions[s, t_from, t_to, v, y] += r.count
        target = lives.get((s, t_to, v))
        if target is None:
            row = rules.book.conversion(s, t_from, t_to)
            target = CohortLife("converted", y, donor.life_end_year, donor=(s, t_from, v),
                                energy_multiplier=float(row["energy_multiplier"]))
            lives[s, t_to, v] = target
        elif target.origin == "converted":
            target.start_year = min(target.start_year, y)
    for (_s, t, _v), life in lives.items():
        if life.origin == "converted":
            rules.settle_years(life, t)
    return conversions


def _sales(rules: FleetRules, decisions: Decisions, lives: dict[Cohort, CohortLife],
           violations: list[Violation]) -> dict[tuple[Cohort, int], float]:
    sales: dict[tuple[Cohort, int], float] = defaultdict(float)
    for r in row_tuples(decisions.sales):
        cohort, y = (r.segment, r.technology, int(r.model_year)), int(r.year)
        life = lives.get(cohort)
        if life is None or not rules.may_sell(life, y):
            violations.append(Violation("sale_not_allowed", y, "/".join(map(str, cohort)),
                                        f"{r.count:g} sold, but this cohort may not be sold then (locked, not yet "
                                        "owned, or sales not allowed); ignored in the accounts"))
            continue
        check_integer(violations, "sale", y, "/".join(map(str, cohort)), r.count)
        sales[cohort, y] += r.count
    return sales


def _buy_outs(decisions: Decisions, lives: dict[Cohort, CohortLife],
              violations: list[Violation]) -> dict[Cohort, float]:
    """Vehicles of buy-out leases the plan buys, in the lease's end year."""
    bought: dict[Cohort, float] = defaultdict(float)
    for r in row_tuples(decisions.lease_buy_outs):
        cohort, y = (r.segment, r.technology, int(r.model_year)), int(r.year)
        life = lives.get(cohort)
        if life is None or not life.buy_out or y != life.lease_end_year:
            violations.append(Violation("buy_out_not_allowed", y, "/".join(map(str, cohort)),
                                        f"{r.count:g} bought out, but this cohort has no buy-out lease ending in {y}; "
                                        "ignored in the accounts"))
            continue
        check_integer(violations, "lease_buy_out", y, "/".join(map(str, cohort)), r.count)
        bought[cohort] += r.count
    return bought


def _stock(rules: FleetRules, account: FleetAccount, violations: list[Violation]) -> dict[tuple[Cohort, int], float]:
    """Vintage balance: opening stock + purchases (y = v) + conversions in - conversions out - sales.
    Sales and conversions out of a year come from its opening stock; at a buy-out lease's end the
    opening stock is what the plan bought (the rest went back to the lessor); vehicles a lease
    supplied leave at the term's end if they are returned, and are not the owner's to sell or
    convert before."""
    lives, purchases, conversions = account.lives, account.purchases, account.conversions
    sales, buy_outs = account.sales, account.buy_outs
    conv_in, conv_out = defaultdict(float), defaultdict(float)
    for (s, t_from, t_to, v, y), n in conversions.items():
        conv_out[(s, t_from, v), y] += n
        conv_in[(s, t_to, v), y] += n
    stock: dict[tuple[Cohort, int], float] = {}
    gas_end = rules.scenario.policy.gas_end_year
    for cohort, life in lives.items():
        s, t, v = cohort
        count = 0.0
        for y in rules.scenario.years:
            if y >= life.life_end_year:
                break
            opening = life.initial_count if (y == rules.book.first_year and life.origin == "existing") else count
            if life.buy_out and y == life.lease_end_year:
                bought = buy_outs.get(cohort, 0.0)
                if bought > opening + near(bought, opening):
                    violations.append(Violation("buy_out_too_many", y, f"{s}/{t}/{v}", f"{bought:g} bought out of "
                                                f"{opening:g} leased"))
                opening = bought
            leaving = conv_out.get((cohort, y), 0.0) + sales.get((cohort, y), 0.0)
            returned = sum(n for n, end, kind in account.leased.get(cohort, []) if end == y and kind == "return")
            where = f"{s}/{t}/{v}"
            if leaving > opening + near(leaving, opening):
                violations.append(Violation("stock_negative", y, where, f"{leaving:g} vehicles sold or converted, "
                                            f"but only {opening:g} owned at the start of the year"))
            elif leaving and leaving > opening - account.leased_in(cohort, y) + near(leaving, opening):
                violations.append(Violation("lease_locked", y, where, f"{leaving:g} vehicles sold or converted, but "
                                            f"{account.leased_in(cohort, y):g} of the {opening:g} are still leased"))
            leaving += returned
            count = opening + (purchases.get((s, t, y), 0.0) if life.origin == "new" and y == v else 0.0) \
                + conv_in.get((cohort, y), 0.0) - leaving
            if abs(count) > 1e-9 and y not in life.years and y >= life.start_year:
                violations.append(Violation("gas_end", y, where, f"{count:g} natural-gas vehicles still in the fleet "
                                            f"from gas_end_year {gas_end}; sell or convert them", count, "vehicles"))
            if abs(count) > 1e-9:
                stock[cohort, y] = count
    return stock
