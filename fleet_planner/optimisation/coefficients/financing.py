"""Financing coefficients: what a unit of money financed by a loan, an ESCO contract or a battery
lease costs the owner in present value, when its payments fall, and what a leased vehicle costs.

All cash flows are discounted at the owner's rate r (the scenario's discount rate) to the start of
the first year, like every other cost. A loan of A in year y: a down payment dA at once and an
annuity (1 - d) A x CRF(i, n) at the end of each of the n years y .. y + n - 1, so its present value is
    d(y) x A x [d + (1 - d) x CRF(i, n) x sum_{k=1..n} (1 + r)^-k],     CRF(i, n) = i / (1 - (1 + i)^-n);
at i = r that is d(y) x A: a loan at the owner's own rate costs what cash costs. An ESCO contract
is the same with no down payment, i the ESCO's required return and A x (1 + margin); its
amount is the capex net of grants (the grant goes to the ESCO and lowers the fee). A battery
lease finances at most the battery's value. A lease of a vehicle costs its yearly payments (in
advance) in the years of the horizon and, with a buy-out, the buy-out price at the term's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.financing import AMOUNT_MODES, FinancingOption, offered_options

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

Key = tuple  # ("purchase", s, t, y) | ("conversion", s, from, to, y) | ("infrastructure", k, y)


def capital_recovery(rate: float, years: int) -> float:
    """Yearly payment that repays 1 over `years` at `rate` (paid at each year's end). [1/a]"""
    return 1.0 / years if rate == 0 else rate / (1 - (1 + rate) ** -years)


@dataclass(frozen=True)
class FinancingCoefficients:
    options: dict[str, FinancingOption]
    amount_options: dict[Key, list[str]]
    """Decision -> the loan, ESCO and battery-lease options that may pay for it."""
    extra_cost_per_amount: dict[tuple[str, int], float]
    """(option, y) -> present value, beyond paying cash at the start of y, of financing one unit of
    money in y (discounted to the first year). [-]"""
    upfront_share: dict[str, float]
    """Share of a financed amount paid at once (the down payment). [-]"""
    payment_share: dict[str, float]
    """Yearly payment per unit of amount financed, in each of the tenor's years. [1/a]"""
    lease_options: dict[tuple[str, str, int], list[str]]
    """Purchase (s, t, y) -> the lease options that may supply its vehicles."""
    lease_cost: dict[tuple[str, str, str, int], float]
    """(option, s, t, y) -> present value of one leased vehicle's payments in the horizon and its
    buy-out price. [currency]"""
    battery_value: dict[tuple[str, str, int], float]
    """(s, t, y) -> value of a new vehicle's battery (components.csv 'battery'). [currency]"""


def financing_coefficients(scenario: Scenario, catalogue: Catalogue, purchase_price: dict[tuple[str, str, int], float],
                           conversion_keys: list[Key], infrastructure_keys: list[Key],
                           discount: dict[int, float], battery_value: dict[tuple[str, str, int], float],
                           ) -> FinancingCoefficients:
    options = {o.name: o for o in offered_options(scenario, catalogue)}
    rate = scenario.discount_rate
    amount: dict[Key, list[str]] = {}
    leases: dict[tuple[str, str, int], list[str]] = {}
    lease_cost: dict[tuple[str, str, str, int], float] = {}
    keys = [("purchase", *k) for k in purchase_price] + conversion_keys + infrastructure_keys
    for key in keys:
        kind, segment, item = _parts(key)
        for option in options.values():
            if not option.covers(kind, segment, item):
                continue
            if option.mode in AMOUNT_MODES and (option.mode != "battery_lease" or battery_value.get(key[1:], 0) > 0):
                amount.setdefault(key, []).append(option.name)
            elif option.mode == "lease" and kind == "purchase":
                leases.setdefault(key[1:], []).append(option.name)
                lease_cost[option.name, *key[1:]] = _lease_cost(option, purchase_price[key[1:]], key[-1], discount,
                                                                scenario.horizon_last_year)
    extra, upfront, payment = {}, {}, {}
    for option in options.values():
        if option.mode not in AMOUNT_MODES:
            continue
        financed = (1 - option.down_payment_share) * (1 + option.margin_share)
        payment[option.name] = financed * capital_recovery(option.rate_share_per_year, option.tenor_years)
        upfront[option.name] = option.down_payment_share
        later = sum((1 + rate) ** -k for k in range(1, option.tenor_years + 1))
        for y in scenario.years:
            extra[option.name, y] = discount[y] * (option.down_payment_share + payment[option.name] * later - 1)
    return FinancingCoefficients(options, amount, extra, upfront, payment, leases, lease_cost, battery_value)


def _parts(key: Key) -> tuple[str, str | None, str]:
    """(kind, segment, item) of a decision key; the item is what the option's technologies name."""
    if key[0] == "purchase":
        return "purchase", key[1], key[2]
    if key[0] == "conversion":
        return "conversion", key[1], key[3]
    return "infrastructure", None, key[1]


def _lease_cost(option: FinancingOption, price: float, y: int, discount: dict[int, float], last: int) -> float:
    """Payments in advance in the horizon's years of the term; a buy-out at its end if inside it."""
    cost = sum(option.payment_share_per_year * price * discount[u] for u in range(y, y + option.tenor_years)
               if u <= last)
    end = y + option.tenor_years
    if option.end == "buy_out" and end <= last:
        cost += option.buyout_share * price * discount[end]
    return cost
