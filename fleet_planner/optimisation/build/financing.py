"""Financing rows (coefficients/financing.py): amounts financed by loans, ESCO contracts and battery
leases, vehicles supplied by a lease, and the owner's cash out each year (budget, up-front limit).

Letters: key a decision (purchase, conversion or infrastructure build), m an option, y a year.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


def define_financing_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """fin[key,m] >= 0, money a loan, an ESCO contract or a battery lease pays for the decision:

    sum_m fin[key,m] + grants claimed on key <= price x (count - leased count)   (financing_limit)
    fin[key, battery lease] <= battery value x (count - leased count)            (battery_limit)
    (amounts, prices and values in model money units: currency / money_scale)
    and leased vehicles: sum_m lease[s,t,y,m] <= purchases[s,t,y] (lease_limit); while leased
    they are not the owner's to sell or convert (lease_locked)."""
    finance = inputs.financing
    if finance is None:
        return
    scale = 1.0 / inputs.money_scale
    for key, names in finance.amount_options.items():
        count, price = _decision(model, inputs, key)
        price *= scale
        if not count:
            continue
        leased = _leased_terms(model, key)
        claims = [(column, 1.0) for (_rule, claim_key), column in model.subsidy.items() if claim_key == key]
        terms = []
        for name in names:
            model.financing[key, name] = column = model.add_column("m")
            terms.append((column, 1.0))
            if finance.options[name].mode == "battery_lease":
                value = finance.battery_value[key[1:]] * scale
                model.add_row("battery_limit", (*key, name), [(column, 1.0), *((c, -value * k) for c, k in count),
                                                              *((c, value) for c in leased)], "<=", 0.0)
        model.add_row("financing_limit", key, [*terms, *claims, *((c, -price * k) for c, k in count),
                                               *((c, price) for c in leased)], "<=", 0.0)
    for (s, t, y), names in finance.lease_options.items():
        if (s, t, y) in model.purchase:
            model.add_row("lease_limit", (s, t, y), [*((model.lease[name, s, t, y], 1.0) for name in names),
                                                     (model.purchase[s, t, y], -1.0)], "<=", 0.0)
    define_lease_lock_rows(model, inputs)


def _decision(model: FleetModel, inputs: ModelInputs, key: tuple) -> tuple[list[tuple[int, float]], float]:
    """The columns counting a decision's units, and its price per unit."""
    kind, *rest = key
    if kind == "purchase":
        column = model.purchase.get(tuple(rest))
        return ([(column, 1.0)] if column is not None else []), inputs.purchase_price.get(tuple(rest), 0.0)
    if kind == "conversion":
        s, t_from, t_to, y = rest
        columns = [(c, 1.0) for (ss, a, b, _v, yy), c in model.conversion.items() if (ss, a, b, yy) == (s, t_from, t_to, y)]
        return columns, inputs.conversion_cost.get((s, t_from, t_to, y), 0.0)
    k, y = rest
    column = model.build.get((k, y))
    return ([(column, 1.0)] if column is not None else []), inputs.infrastructure[k].capex_cost_per_unit


def _leased_terms(model: FleetModel, key: tuple) -> list[int]:
    if key[0] != "purchase":
        return []
    return [column for (_name, *purchase), column in model.lease.items() if tuple(purchase) == key[1:]]


def lease_outstanding(model: FleetModel, inputs: ModelInputs, cohort: tuple, year: int) -> list[int]:
    """Lease columns of a new cohort whose vehicles are still leased (not the owner's) in `year`."""
    if inputs.financing is None:
        return []
    s, t, v = cohort
    return [column for (name, ss, tt, y), column in model.lease.items()
            if (ss, tt, y) == (s, t, v) and y <= year < y + inputs.financing.options[name].tenor_years]


def define_lease_lock_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Leased vehicles are neither sold nor converted by the lessee:
    sales[c,y] + conversions out[c,y] + leased still out in y <= stock[c,y-1]."""
    leaving: dict[tuple, list[int]] = defaultdict(list)
    for (cohort, y), column in model.sale.items():
        leaving[cohort, y].append(column)
    for (s, t_from, _t_to, v, y), column in model.conversion.items():
        leaving[(s, t_from, v), y].append(column)
    for (cohort, y), columns in leaving.items():
        outstanding = lease_outstanding(model, inputs, cohort, y)
        if outstanding and (cohort, y - 1) in model.stock:
            model.add_row("lease_locked", (*cohort, y), [*((c, 1.0) for c in columns + outstanding),
                                                         (model.stock[cohort, y - 1], -1.0)], "<=", 0.0)


def cash_out_terms(model: FleetModel, inputs: ModelInputs, capex: dict[int, list[tuple[int, float]]],
                   ) -> tuple[dict[int, list[tuple[int, float]]], dict[int, list[tuple[int, float]]]]:
    """(up-front cash by year, all cash out by year) as row terms: capex net of grants, less what
    financing pays at once, plus (cash out only) loan, ESCO and battery-lease payments and lease
    payments and buy-outs falling in the year. [model money units: currency / money_scale]"""
    upfront: dict[int, list[tuple[int, float]]] = defaultdict(list, {y: list(t) for y, t in capex.items()})
    finance = inputs.financing
    if finance is None:
        return upfront, defaultdict(list, {y: list(t) for y, t in upfront.items()})
    for (key, name), column in model.financing.items():
        upfront[key[-1]].append((column, -(1 - finance.upfront_share[name])))
    scale = 1.0 / inputs.money_scale
    for (name, s, t, y), column in model.lease.items():
        upfront[y].append((column, -inputs.purchase_price[s, t, y] * scale))
    cash = defaultdict(list, {y: list(t) for y, t in upfront.items()})
    last = inputs.last_year
    for (key, name), column in model.financing.items():
        for year in range(key[-1], min(last, key[-1] + finance.options[name].tenor_years - 1) + 1):
            cash[year].append((column, finance.payment_share[name]))
    for (name, s, t, y), column in model.lease.items():
        option, price = finance.options[name], inputs.purchase_price[s, t, y] * scale
        for year in range(y, min(last, y + option.tenor_years - 1) + 1):
            cash[year].append((column, option.payment_share_per_year * price))
        if option.end == "buy_out" and y + option.tenor_years <= last:
            cash[y + option.tenor_years].append((column, option.buyout_share * price))
    return upfront, cash
