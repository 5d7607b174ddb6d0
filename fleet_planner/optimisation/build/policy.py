"""Policy rows: emission cap, zero-emission share, capex budget, purchase and sale limits.

In a diagnosis run each rule gets a penalised slack column.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.build.energy import emission_terms
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


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
    """Minimum zero-emission share of the stock: sum_ZE stock - share * sum_all stock >= 0."""
    by_year: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (cohort, y), column in model.stock.items():
        share = inputs.zero_emission_share_min.get(y)
        if share is None:
            continue
        by_year[y].append((column, (1.0 if inputs.zero_emission[cohort[1]] else 0.0) - share))
    for y, terms in by_year.items():
        slack = _slack(model, "zero_emission_share", (y,), 1.0, diagnose)
        model.add_row("zero_emission_share", (y,), terms + slack, ">=", 0.0)


def capex_terms(model: FleetModel, inputs: ModelInputs) -> dict[int, list[tuple[int, float]]]:
    """Owner's capital spending per year: purchases and lease buy-outs - subsidy claims + conversions
    + infrastructure."""
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (s, t, y), column in model.purchase.items():
        terms[y].append((column, inputs.purchase_price[s, t, y]))
    for (cohort, y), column in model.buy_out.items():
        terms[y].append((column, inputs.buyout_price[cohort]))
    for (s, t_from, t_to, _v, y), column in model.conversion.items():
        terms[y].append((column, inputs.conversion_cost[s, t_from, t_to, y]))
    for (k, y), column in model.build.items():
        terms[y].append((column, inputs.infrastructure[k].capex_cost_per_unit))
    for (_r, key), column in model.subsidy.items():
        terms[key[-1]].append((column, -1.0))
    return terms


def define_budget_rows(model: FleetModel, inputs: ModelInputs, diagnose: bool) -> None:
    """Yearly capex budget: capex net of subsidies + conversions + infrastructure <= budget[y]."""
    if not inputs.capex_budget:
        return
    terms = capex_terms(model, inputs)
    for y, budget in inputs.capex_budget.items():
        if budget is None:
            continue
        slack = _slack(model, "capex_budget", (y,), -1.0, diagnose)
        model.add_row("capex_budget", (y,), terms.get(y, []) + slack, "<=", budget)


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
