"""Policy rows: emission cap, zero-emission share, capex budget, purchase and sale limits.

In a diagnosis run each rule gets a penalised slack column.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.build.energy import emission_terms
from fleet_planner.optimisation.build.financing import cash_out_terms
from fleet_planner.optimisation.coefficients.cohorts import owned
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


def owned_after(inputs: ModelInputs, cohort: tuple, year: int) -> bool:
    return owned(inputs.cohorts[cohort], year)


def _slack(model: FleetModel, block: str, key: tuple, sign: float, diagnose: bool) -> list[tuple[int, float]]:
    if not diagnose:
        return []
    column = model.add_column("z")
    model.slack[block, key] = column
    return [(column, sign)]


def define_emission_cap_rows(model: FleetModel, inputs: ModelInputs, diagnose: bool) -> None:
    """Yearly cap: emissions[y] <= cap[y] (tCO2e, policy scope, methane slip included)."""
    terms = emission_terms(model, inputs)
    for y, cap in inputs.emission_cap_t.items():
        model.add_row("emission_cap", (y,), terms.get(y, []) + _slack(model, "emission_cap", (y,), -1.0, diagnose),
                      "<=", cap)


def define_zero_emission_share_rows(model: FleetModel, inputs: ModelInputs, diagnose: bool) -> None:
    """Minimum zero-emission share of the stock, fleet-wide and per segment, and of each year's
    purchases: sum_ZE x - share * sum_all x >= 0 (x: stock, or purchases)."""
    rows: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for (cohort, y), column in model.stock.items():
        is_zero = 1.0 if inputs.zero_emission[cohort[1]] else 0.0
        for block, share in (("zero_emission_share", inputs.zero_emission_share_min.get(y)),
                             ("zero_emission_share_segment", inputs.zero_emission_share_min_by_segment.get((cohort[0], y)))):
            if share is not None:
                rows[block, cohort[0] if block.endswith("segment") else "fleet", y].append((column, is_zero - share))
    for (s, t, y), column in model.purchase.items():
        is_zero = 1.0 if inputs.zero_emission[t] else 0.0
        for where in (None, s):
            share = inputs.zero_emission_purchase_share_min.get((where, y))
            if share is not None:
                rows["zero_emission_purchases", where or "fleet", y].append((column, is_zero - share))
    for (block, where, y), terms in rows.items():
        slack = _slack(model, block, (where, y), 1.0, diagnose)
        model.add_row(block, (where, y), terms + slack, ">=", 0.0)


def define_sales_share_rows(model: FleetModel, inputs: ModelInputs, diagnose: bool) -> None:
    """Disposals in y <= share x the fleet at the start of y: sum_c sales[c,y] (+ the stock of y - 1
    of cohorts retiring at the start of y, if retirements count) - share x sum_c stock[c,y-1]
    <= share x the existing fleet (first year only)."""
    if not inputs.sales_max_share:
        return
    first = inputs.first_year
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    opening = {first: sum(attrs["initial_count"] for attrs in inputs.cohorts.values() if attrs["origin"] == "existing")}
    for (cohort, y), column in model.sale.items():
        terms[y].append((column, 1.0))
    for (cohort, y), column in model.stock.items():
        share = inputs.sales_max_share.get(y + 1)
        if share is not None:
            terms[y + 1].append((column, -share))
        retiring = inputs.cohorts[cohort]["life_end_year"] == y + 1 and (cohort, y + 1) not in model.stock
        if inputs.sales_max_counts_retirements and retiring and owned_after(inputs, cohort, y + 1):
            terms[y + 1].append((column, 1.0))
    for y, share in inputs.sales_max_share.items():
        if terms.get(y):
            model.add_row("sales_max_share", (y,), terms[y] + _slack(model, "sales_max_share", (y,), -1.0, diagnose),
                          "<=", share * opening.get(y, 0.0))


def capex_terms(model: FleetModel, inputs: ModelInputs) -> dict[int, list[tuple[int, float]]]:
    """Owner's capital spending per year: purchases and lease buy-outs - subsidy claims + conversions
    + infrastructure. [model money units: currency / money_scale]"""
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    scale = 1.0 / inputs.money_scale
    for (s, t, y), column in model.purchase.items():
        terms[y].append((column, inputs.purchase_price[s, t, y] * scale))
    for (cohort, y), column in model.buy_out.items():
        terms[y].append((column, inputs.buyout_price[cohort] * scale))
    for (s, t_from, t_to, _v, y), column in model.conversion.items():
        terms[y].append((column, inputs.conversion_cost[s, t_from, t_to, y] * scale))
    for (k, y), column in model.build.items():
        terms[y].append((column, inputs.infrastructure[k].capex_cost_per_unit * scale))
    for (_r, key), column in model.subsidy.items():
        terms[key[-1]].append((column, -1.0))
    return terms


def define_budget_rows(model: FleetModel, inputs: ModelInputs, diagnose: bool) -> None:
    """Yearly budget on cash out (capex net of grants, less what financing pays, plus financing
    and lease payments of the year) <= budget[y]; up-front cash (capex net of grants, less what
    financing pays at once) <= upfront_max[y]. Both in model money units (currency / money_scale)."""
    upfront, cash = cash_out_terms(model, inputs, capex_terms(model, inputs))
    scale = 1.0 / inputs.money_scale
    for y, budget in inputs.capex_budget.items():
        if budget is None:
            continue
        slack = _slack(model, "capex_budget", (y,), -1.0, diagnose)
        model.add_row("capex_budget", (y,), cash.get(y, []) + slack, "<=",
                      (budget - inputs.lease_payment.get(y, 0.0)) * scale)
    for y, most in inputs.upfront_max.items():
        if most is not None:
            slack = _slack(model, "upfront_max", (y,), -1.0, diagnose)
            model.add_row("upfront_max", (y,), upfront.get(y, []) + slack, "<=", most * scale)


def define_count_limit_rows(model: FleetModel, inputs: ModelInputs, diagnose: bool) -> None:
    """Most vehicles bought, and sold, per year (all segments)."""
    for block, limits, decisions in (("purchases_max", inputs.purchases_max_count, model.purchase),
                                     ("sales_max", inputs.sales_max_count, model.sale)):
        by_year: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for key, column in decisions.items():
            by_year[key[-1]].append((column, 1.0))
        for y, limit in limits.items():
            if limit is not None and by_year.get(y):
                model.add_row(block, (y,), by_year[y] + _slack(model, block, (y,), -1.0, diagnose), "<=", limit)
