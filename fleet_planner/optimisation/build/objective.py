"""The objective: discounted net cost (or total emissions in a diagnosis run).
"""

from __future__ import annotations

from fleet_planner.optimisation.build.energy import emission_terms
from fleet_planner.optimisation.build.infrastructure import infrastructure_end_share
from fleet_planner.optimisation.build.subsidies import subsidy_value_share
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import MONEY_ROWS, FleetModel

SALE_TIE_BREAK = 1e-7
"""Cost per vehicle sold, as a share of the dearest vehicle's price, added to the objective only so
that a plan which replaces vehicles early is not taken over one that keeps them at the same cost
(with a resale value that falls by exactly what a year of the vehicle's service is worth, buying
new every year and selling the one-year-old costs the same as keeping it; the tiny test fleet does).
A modelling device, not a cost: 1e-7 x 20,000 USD = 0.002 USD per sale."""


def define_objective(model: FleetModel, inputs: ModelInputs) -> None:
    """Discounted net cost (scenario currency / money_scale):

    sum_y d_y [capex - subsidies + conversions + infrastructure capex - resale + penalties]
    + sum_y d_run_y [fixed O&M + variable O&M + wear by use + energy + carbon price x emissions
                     + infrastructure O&M + lease payments]
    (a lease buy-out is paid like a purchase, at the start of the lease's end year)
    - d_end [value of vehicles and infrastructure left after the last year]
    (d_run: running costs paid at the scenario's running_cost_timing, mid-year by default)
    """
    scale = 1.0 / inputs.money_scale
    d, run = inputs.discount_factor, inputs.running_discount_factor
    for (s, t, y), column in model.purchase.items():
        model.add_cost(column, d[y] * inputs.purchase_price[s, t, y] * scale)
    for (s, t_from, t_to, _v, y), column in model.conversion.items():
        model.add_cost(column, d[y] * inputs.conversion_cost[s, t_from, t_to, y] * scale)
    model.sale_tie_break = SALE_TIE_BREAK * max([1.0, *inputs.purchase_price.values()]) * scale
    for (cohort, y), column in model.sale.items():
        model.add_cost(column, -d[y] * inputs.resale_value[cohort, y] * scale + model.sale_tie_break)
    for (cohort, y), column in model.buy_out.items():
        model.add_cost(column, d[y] * inputs.buyout_price[cohort] * scale)
    define_financing_costs(model, inputs, scale)
    last = inputs.last_year
    for (cohort, y), column in model.stock.items():
        model.add_cost(column, run[y] * inputs.fixed_om_cost[cohort, y] * scale)
        if y == last:
            model.add_cost(column, -inputs.end_discount_factor * inputs.end_value.get(cohort, 0.0) * scale)
    for cohort, column in model.in_service.items():
        model.add_cost(column, -inputs.end_discount_factor * inputs.end_service_premium[cohort] * scale)
    for cohort, (year, _share, value) in inputs.retirement_value.items():
        column = model.stock[cohort, year - 1]
        model.add_cost(column, -retirement_discount(inputs, year) * value * scale)
    for (cohort, _daily, y), column in model.activity.items():
        model.add_cost(column, run[y] * inputs.variable_om_cost_per_au[cohort[:2]] * scale)
    for (cohort, part, y), column in model.wear.items():
        model.add_cost(column, run[y] * inputs.wear_cost_per_au[cohort, part, y] * scale)
    for (s, t, y, f), column in model.fuel.items():
        unit_cost = (inputs.fuel_price_per_gj[s, f, y]
                     + inputs.carbon_price_per_t[y] * inputs.emission_t_per_gj[s, t, f, y])
        model.add_cost(column, run[y] * unit_cost * scale)
    for (k, y), column in model.build.items():
        option = inputs.infrastructure[k]
        years_used = [u for u in inputs.years if y <= u < y + option.lifetime_years]
        fixed_om = sum(run[u] for u in years_used) * option.fixed_om_cost_per_unit_year
        left = infrastructure_end_share(inputs, option.lifetime_years, y)
        model.add_cost(column, (d[y] * option.capex_cost_per_unit + fixed_om
                                - inputs.end_discount_factor * left * option.capex_cost_per_unit) * scale)
    model.objective_offset = (sum(
        run[y] * option.fixed_om_cost_per_unit_year * option.existing_in(y)
        for option in inputs.infrastructure.values() for y in inputs.years
    ) + sum(run[y] * paid for y, paid in inputs.lease_payment.items())) * scale
    for (_r, key), column in model.subsidy.items():  # claims are in model money units already
        model.add_cost(column, -d[key[-1]])
        valued = subsidy_value_share(inputs, key)
        if valued is not None:
            year, share = valued
            model.add_cost(column, retirement_discount(inputs, year) * share)
    for (s, _daily, y), column in model.unmet_activity.items():
        model.add_cost(column, d[y] * inputs.unmet_penalty_per_au[s] * scale)
    for (s, y), column in model.unmet_vehicles.items():
        model.add_cost(column, d[y] * inputs.unmet_penalty_per_au[s] * inputs.typical_annual_activity_au[s] * scale)
    for (block, _key), column in model.slack.items():
        model.add_cost(column, diagnosis_penalty(inputs, block) * scale)


def define_emissions_objective(model: FleetModel, inputs: ModelInputs) -> None:
    """Replace the cost objective by total emissions (tCO2e); slack and unmet demand stay penalised
    far above any emission so they are used only where the rules leave no other way."""
    penalised = set(model.slack.values()) | set(model.unmet_activity.values()) | set(model.unmet_vehicles.values())
    big = 1e6
    model.col_cost = [big if c in penalised else 0.0 for c in range(model.num_columns)]
    model.objective_offset = 0.0
    for terms in emission_terms(model, inputs).values():
        for column, coef in terms:
            model.add_cost(column, coef)


def retirement_discount(inputs: ModelInputs, year: int) -> float:
    """Discount factor of a value received at the start of `year` (last year + 1: end of horizon)."""
    return inputs.end_discount_factor if year > inputs.last_year else inputs.discount_factor[year]


def define_financing_costs(model: FleetModel, inputs: ModelInputs, scale: float) -> None:
    """A financed amount costs its extra present value over cash; a leased vehicle costs its lease
    instead of its price, and is worth nothing after the horizon while still leased."""
    finance = inputs.financing
    if finance is None:
        return
    for (key, name), column in model.financing.items():  # amounts in model money units
        model.add_cost(column, finance.extra_cost_per_amount[name, key[-1]])
    for (name, s, t, y), column in model.lease.items():
        cost = finance.lease_cost[name, s, t, y] - inputs.discount_factor[y] * inputs.purchase_price[s, t, y]
        if y + finance.options[name].tenor_years > inputs.last_year:  # still leased after the horizon
            cost += inputs.end_discount_factor * inputs.end_value.get((s, t, y), 0.0)
        model.add_cost(column, cost * scale)


def diagnosis_penalty(inputs: ModelInputs, block: str) -> float:
    """Cost (currency) per unit of slack on a rule in a diagnosis run: above any real cost of meeting
    the rule (per tCO2e or per vehicle: 1,000 x the dearest vehicle; per unit of money: 1,000 per
    currency unit, the slack of a money row being in model money units), but below unmet demand,
    which the diagnosis run penalises 10,000 times more (see diagnose.py)."""
    if block in MONEY_ROWS:
        return 1e3 * inputs.money_scale
    return 1e3 * max([1.0, *inputs.purchase_price.values()])
