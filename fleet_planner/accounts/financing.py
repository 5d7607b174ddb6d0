"""Financing as the accounts see it, from the plan's decisions alone: what each loan, ESCO contract,
battery lease and vehicle lease costs the owner, when it is paid, and whether the plan respects
each option's limits (docs/model.md, Financing).

The accounts write each cash flow out year by year (payment k of a loan taken in y falls at the
end of year y + k - 1, discounted by (1 + r)^-(y - first + k)) rather than through the model's
present-value factors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.subsidies import claim_key, decision_owner
from fleet_planner.accounts.violations import Violation, near
from fleet_planner.loading.financing import AMOUNT_MODES, FinancingOption, offered_options
from fleet_planner.loading.frames import row_tuples
from fleet_planner.schemas.plan import Decisions

CASH_FLOW_COLUMNS = ["year", "cash_capex_cost", "down_payments_cost", "loan_payments_cost", "esco_fees_cost",
                     "battery_lease_payments_cost", "lease_payments_cost", "lease_buy_outs_cost", "total_cost",
                     "upfront_cost", "currency"]
CONTRACT_COLUMNS = ["option", "mode", "decision", "item", "year", "count", "financed_cost", "down_payment_cost",
                    "yearly_payment_cost", "years", "extra_npv_cost", "implied_return_share", "currency"]
PAYMENT_COLUMN = {"loan": "loan_payments_cost", "esco": "esco_fees_cost", "battery_lease": "battery_lease_payments_cost"}


@dataclass
class FinancingAccount:
    upfront: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    """Money financing pays at once instead of the owner (a negative up-front cash flow). [currency]"""
    flows: dict[tuple[int, str], float] = field(default_factory=lambda: defaultdict(float))
    """(year, cash-flow column) -> payments; the year after the horizon holds all later ones. [currency]"""
    contracts: list[tuple] = field(default_factory=list)
    """Rows of the contracts table (CONTRACT_COLUMNS without the currency)."""


def financing_accounts(book: PriceBook, fleet: FleetAccount, decisions: Decisions, builds: dict,
                       ledger: Ledger, violations: list[Violation]) -> FinancingAccount:
    """Check and book every financed amount and lease of the plan. The offers are market terms, so a
    baseline may use them as the plan may (only the cash limits, like budgets, are the plan's)."""
    options = {o.name: o for o in offered_options(book.scenario, book.catalogue)}
    account = FinancingAccount()
    granted: dict[tuple, float] = defaultdict(float)
    for claim in row_tuples(decisions.subsidy_claims):
        granted[claim_key(claim)] += claim.amount_cost
    financed: dict[tuple, float] = defaultdict(float)
    for row in row_tuples(decisions.financing):
        key, option = claim_key(row), options.get(row.option)
        if option is None or option.mode not in AMOUNT_MODES or not _covers(option, key):
            violations.append(Violation("financing_not_offered", key[-1], row.option, f"{row.amount_cost:,.0f} financed "
                                        "by an option the scenario does not offer for this decision; ignored"))
            continue
        financed[key] += row.amount_cost
        if option.mode == "battery_lease":
            _check_battery(book, fleet, key, row.amount_cost, violations)
        _book_amount(book, option, key, row.amount_cost, ledger, account)
    _book_leases(book, fleet, decisions, options, ledger, account, violations)
    for key, amount in financed.items():
        most = _price_of(book, key) * _owned_count(fleet, decisions, key, builds) - granted.get(key, 0.0)
        if amount > most + near(amount, most):
            violations.append(Violation("financing_limit", key[-1], "/".join(map(str, key)), f"{amount:,.0f} financed, "
                                        f"more than the {max(most, 0.0):,.0f} the decision costs net of grants"))
    return account


def _covers(option: FinancingOption, key: tuple) -> bool:
    if key[0] == "purchase":
        return option.covers("purchase", key[1], key[2])
    if key[0] == "conversion":
        return option.covers("conversion", key[1], key[3])
    return option.covers("infrastructure", None, key[1])


def _price_of(book: PriceBook, key: tuple) -> float:
    if key[0] == "purchase":
        return book.vehicle_price(key[1], key[2], key[3])
    if key[0] == "conversion":
        return book.conversion_cost(key[1], key[2], key[3])
    return book.infrastructure()[key[1]].capex_per_unit


def _owned_count(fleet: FleetAccount, decisions: Decisions, key: tuple, builds: dict) -> float:
    """Units of the decision the owner pays for (bought vehicles less the leased ones)."""
    if key[0] == "purchase":
        leased = sum(r.count for r in row_tuples(decisions.leases) if (r.segment, r.technology, int(r.year)) == key[1:])
        return fleet.purchases.get(key[1:], 0.0) - leased
    if key[0] == "conversion":
        return sum(n for (s, a, b, _v, y), n in fleet.conversions.items() if (s, a, b, y) == key[1:])
    return builds.get(key[1:], 0.0)


def _check_battery(book: PriceBook, fleet: FleetAccount, key: tuple, amount: float, violations: list[Violation]) -> None:
    battery = [part for part in book.wear_parts(key[1], key[2]) if part[0] == "battery"]
    value = battery[0][2] * book.component_price("battery", key[3]) if battery else 0.0
    most = value * fleet.purchases.get(key[1:], 0.0)
    if amount > most + near(amount, most):
        violations.append(Violation("battery_limit", key[3], "/".join(map(str, key[1:])), f"{amount:,.0f} financed by a "
                                    f"battery lease, more than the batteries are worth ({most:,.0f})"))


def _book_amount(book: PriceBook, option: FinancingOption, key: tuple, amount: float, ledger: Ledger,
                 account: FinancingAccount) -> None:
    """The financed part is not paid at once; the payments follow, year by year."""
    y, (segment, item) = key[-1], decision_owner(key)
    borrowed = (1 - option.down_payment_share) * amount
    ledger.add(y, segment, item, "financing", -borrowed, book.discount(y))
    account.upfront[y] -= borrowed
    yearly = borrowed * (1 + option.margin_share) * _recovery(option.rate_share_per_year, option.tenor_years)
    extra = -borrowed * book.discount(y)
    for k in range(1, option.tenor_years + 1):
        paid_in = y + k - 1  # at the end of that year
        discount = book.discount(y) * (1 + book.scenario.discount_rate) ** -k
        ledger.add(min(paid_in, book.last_year), segment, item, "financing", yearly, discount)
        account.flows[min(paid_in, book.last_year + 1), PAYMENT_COLUMN[option.mode]] += yearly
        extra += yearly * discount
    account.flows[y, "down_payments_cost"] += option.down_payment_share * amount
    account.contracts.append((option.name, option.mode, key[0], "/".join(map(str, key[1:-1])), y, None, amount,
                              option.down_payment_share * amount, yearly, option.tenor_years, extra,
                              implied_return(borrowed, yearly, option.tenor_years)))


def implied_return(amount: float, yearly: float, years: int, *, in_advance: bool = False,
                   final: float = 0.0) -> float | None:
    """The yearly rate i at which `years` payments of `yearly` (at each year's end, or start with
    in_advance) and `final` at the end of the term are worth `amount` now: the financier's return,
    margin included (bisection; the payments must at least repay the amount). [1/a]"""
    if amount <= 0 or yearly * years + final < amount:
        return None
    first = 0 if in_advance else 1
    low, high = 0.0, 1.0
    for _ in range(100):
        middle = (low + high) / 2
        worth = sum(yearly * (1 + middle) ** -k for k in range(first, first + years)) + final * (1 + middle) ** -years
        low, high = (middle, high) if worth > amount else (low, middle)
    return (low + high) / 2


def _recovery(rate: float, years: int) -> float:
    return 1.0 / years if rate == 0 else rate * (1 + rate) ** years / ((1 + rate) ** years - 1)


def _book_leases(book: PriceBook, fleet: FleetAccount, decisions: Decisions, options: dict[str, FinancingOption],
                 ledger: Ledger, account: FinancingAccount, violations: list[Violation]) -> None:
    """A leased vehicle is not bought: its price comes off, its payments (in advance, in the horizon's
    years of the term) and any buy-out at the term's end come on. Payments after the horizon are
    listed in the cash flows (the row after the last year) but not costed: the vehicle's service
    after the horizon is not valued either (docs/model.md, Financing)."""
    last = book.last_year
    for r in row_tuples(decisions.leases):
        s, t, y, option = r.segment, r.technology, int(r.year), options.get(r.option)
        if option is None or option.mode != "lease" or not option.covers("purchase", s, t):
            violations.append(Violation("lease_not_offered", y, f"{s}/{t}", f"{r.count:g} vehicles leased with "
                                        f"{r.option!r}, which the scenario does not offer for them; ignored"))
            continue
        price = book.vehicle_price(s, t, y)
        ledger.add(y, s, t, "capex", -price * r.count, book.discount(y))  # the lessor buys it
        account.upfront[y] -= price * r.count
        for u in range(y, y + option.tenor_years):
            if u <= last:
                ledger.add(u, s, t, "lease", option.payment_share_per_year * price * r.count, book.discount(u))
            account.flows[min(u, last + 1), "lease_payments_cost"] += option.payment_share_per_year * price * r.count
        end = y + option.tenor_years
        if option.end == "buy_out":
            if end <= last:
                ledger.add(end, s, t, "capex", option.buyout_share * price * r.count, book.discount(end))
            account.flows[min(end, last + 1), "lease_buy_outs_cost"] += option.buyout_share * price * r.count
        known_end = {"transfer": 0.0, "buy_out": option.buyout_share}.get(option.end)  # return: residual unknown
        implied = None if known_end is None else implied_return(
            1.0, option.payment_share_per_year, option.tenor_years, in_advance=True, final=known_end)
        account.contracts.append((option.name, "lease", "purchase", f"{s}/{t}", y, r.count, price * r.count, 0.0,
                                  option.payment_share_per_year * price * r.count, option.tenor_years, None, implied))


def existing_lease_payments(book: PriceBook) -> dict[int, float]:
    """Yearly payments of the leases the existing fleet already has (fleet file). [currency/a]"""
    paid: dict[int, float] = defaultdict(float)
    for c in book.scenario.fleet if isinstance(book.scenario.fleet, list) else []:
        if c.lease_end_year is not None:
            for y in book.scenario.years:
                if y < c.lease_end_year:
                    paid[y] += c.count * float(c.lease_cost_per_year or 0.0)
    return paid


def cash_flow_table(book: PriceBook, capex: dict[int, float], account: FinancingAccount,
                    existing_leases: dict[int, float]) -> pd.DataFrame:
    """The owner's cash out for vehicles, conversions and infrastructure by year and by way of paying
    (grants netted from the cash capex); the row after the last year holds the payments that fall
    later. upfront_cost: paid at the time of the decisions (cash capex and down payments)."""
    rows = []
    for y in [*book.scenario.years, book.last_year + 1]:
        inside = y <= book.last_year
        down = account.flows.get((y, "down_payments_cost"), 0.0)
        row = {"year": y, "cash_capex_cost": capex.get(y, 0.0) + account.upfront.get(y, 0.0) - down if inside else 0.0}
        for column in CASH_FLOW_COLUMNS[2:-3]:
            row[column] = account.flows.get((y, column), 0.0)
        row["lease_payments_cost"] += existing_leases.get(y, 0.0)
        row["total_cost"] = sum(row[c] for c in CASH_FLOW_COLUMNS[1:-3])
        row["upfront_cost"] = row["cash_capex_cost"] + down
        row["currency"] = book.scenario.currency
        rows.append(row)
    return pd.DataFrame(rows, columns=CASH_FLOW_COLUMNS)


def contracts_table(book: PriceBook, account: FinancingAccount) -> pd.DataFrame:
    """Each financed decision: option, mode, what it pays for, when; vehicles (leases), the price
    financed and its down payment, the yearly payment and for how many years; for loans, ESCO
    contracts and battery leases the present value it costs beyond paying cash (at the owner's
    discount rate) and the financier's implied return."""
    rows = [(*contract, book.scenario.currency) for contract in account.contracts]
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS)
