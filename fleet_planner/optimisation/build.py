"""Build the fleet MILP from ModelInputs: a recipe of small define_* blocks.

Each block adds one family of columns or rows; its docstring states the rows in the units of
ModelInputs (money in the scenario currency / money_scale, energy GJ, emissions tCO2e, activity
in the segment's activity unit au). docs/model.md describes the same blocks in words.

Letters: s segment, t technology, v vintage, y year, f fuel, k infrastructure option, c cohort.
"""

from __future__ import annotations

import math
from collections import defaultdict

from fleet_planner.optimisation.inputs import ModelInputs, requirement_keys
from fleet_planner.optimisation.model import FleetModel

INF = float("inf")
ROUNDING = 1e-6  # a requirement within this of an integer is that integer


def build_model(inputs: ModelInputs, *, diagnose: bool = False, objective: str = "cost") -> FleetModel:
    """Assemble the MILP. With diagnose=True, the binding rules get penalised slack columns;
    objective="emissions" minimises total emissions instead of cost (diagnosis)."""
    model = FleetModel(name=inputs.scenario.name)
    define_fleet_columns(model, inputs)
    define_stock_balance_rows(model, inputs)
    define_activity_rows(model, inputs)
    define_energy_rows(model, inputs)
    define_infrastructure_rows(model, inputs)
    define_subsidy_rows(model, inputs)
    define_emission_cap_rows(model, inputs, diagnose)
    define_zero_emission_share_rows(model, inputs, diagnose)
    define_budget_rows(model, inputs, diagnose)
    define_count_limit_rows(model, inputs, diagnose)
    define_objective(model, inputs)
    if objective == "emissions":
        define_emissions_objective(model, inputs)
    return model


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


def define_fleet_columns(model: FleetModel, inputs: ModelInputs) -> None:
    """Decision columns: purchases, conversions, sales (integer); stock and activity (continuous)."""
    for key in inputs.purchase_index:
        model.purchase[key] = model.add_column("p", integer=True)
    for key in inputs.conversion_index:
        model.conversion[key] = model.add_column("c", integer=True)
    for key in inputs.sale_index:
        model.sale[key] = model.add_column("x", integer=True)
    for cohort, years in inputs.stock_years.items():
        for y in years:
            model.stock[cohort, y] = model.add_column("n")
            model.activity[cohort, y] = model.add_column("a")
    if inputs.allow_unmet_demand:
        for s in inputs.segments:
            for y in inputs.years:
                model.unmet_activity[s, y] = model.add_column("u")
                if (s, y) in inputs.vehicles_required_count:
                    model.unmet_vehicles[s, y] = model.add_column("w")


def define_stock_balance_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Vintage balance for every live cohort-year:

    stock[c,y] = stock[c,y-1] (or the initial count) + purchases (y = v) + conversions in
                 - sales[c,y] - conversions out[c,y]

    In a year where policy removes a live cohort (gas end), everything left must be sold or
    converted: stock[c,y-1] - sales[c,y] - conversions out[c,y] = 0.
    Cohorts past their life leave without a row (retirement at end of life).
    """
    conv_out: dict[tuple, list[int]] = defaultdict(list)
    conv_in: dict[tuple, list[int]] = defaultdict(list)
    for (s, t_from, t_to, v, y), column in model.conversion.items():
        conv_out[(s, t_from, v), y].append(column)
        conv_in[(s, t_to, v), y].append(column)
    first = inputs.first_year

    def previous(cohort, y) -> tuple[list[tuple[int, float]], float]:
        """Terms and constant for what the cohort had at the end of y - 1."""
        if (cohort, y - 1) in model.stock:
            return [(model.stock[cohort, y - 1], 1.0)], 0.0
        attrs = inputs.cohorts[cohort]
        if attrs["origin"] == "existing" and y == first:
            return [], float(attrs["initial_count"])
        return [], 0.0

    for cohort, years in inputs.stock_years.items():
        s, t, v = cohort
        for y in years:
            prev_terms, prev_count = previous(cohort, y)
            terms = [(model.stock[cohort, y], 1.0)] + [(col, -coef) for col, coef in prev_terms]
            if (s, t, y) in model.purchase and v == y:
                terms.append((model.purchase[s, t, y], -1.0))
            terms += [(col, -1.0) for col in conv_in.get((cohort, y), [])]
            terms += [(col, 1.0) for col in conv_out.get((cohort, y), [])]
            if (cohort, y) in model.sale:
                terms.append((model.sale[cohort, y], 1.0))
            model.add_row("stock_balance", (s, t, v, y), terms, "==", prev_count)
    for cohort, y in inputs.forced_exit_year.items():
        prev_terms, prev_count = previous(cohort, y)
        terms = [(col, coef) for col, coef in prev_terms]
        terms += [(model.sale[cohort, y], -1.0)] if (cohort, y) in model.sale else []
        terms += [(col, -1.0) for col in conv_out.get((cohort, y), [])]
        model.add_row("gas_exit", (*cohort, y), terms, "==", -prev_count)


def define_activity_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Activity rows per segment and year.

    * per vehicle: activity[c,y] <= activity_cap_au[c] * stock[c,y] (segment maximum; usable range x
      operating days for range-limited vehicles)
    * demand: sum_c activity[c,y] (+ unmet) >= demand_au[s,y]
    * service: sum_c stock[c,y] (+ unmet vehicles) >= vehicles required incl. spares
    * duty bands (range): activity of cohorts whose effective range is below the daily duty
      d_k of band k <= demand x (share of the bands shorter than d_k). Eligibility is nested
      (a longer range serves every shorter duty), so these rows are exact.
    """
    by_segment_year: dict[tuple[str, int], list] = defaultdict(list)
    for (cohort, y), column in model.activity.items():
        s = cohort[0]
        by_segment_year[s, y].append((cohort, column))
        model.add_row("activity_limit", (*cohort, y),
                      [(column, 1.0), (model.stock[cohort, y], -inputs.activity_cap_au[cohort])], "<=", 0.0)
    for s in inputs.segments:
        for y in inputs.years:
            members = by_segment_year.get((s, y), [])
            demand = inputs.demand_au[s, y]
            terms = [(column, 1.0) for _c, column in members]
            if (s, y) in model.unmet_activity:
                terms.append((model.unmet_activity[s, y], 1.0))
            if demand > 0:
                model.add_row("demand", (s, y), terms, ">=", demand)
            required = inputs.vehicles_required_count.get((s, y))
            if required:
                terms = [(model.stock[c, y], 1.0) for c, _col in members]
                if (s, y) in model.unmet_vehicles:
                    terms.append((model.unmet_vehicles[s, y], 1.0))
                # stock is integral, so the requirement rounds up (a tighter, equivalent row)
                rhs = required if inputs.allow_unmet_demand else math.ceil(required - ROUNDING)
                model.add_row("service", (s, y), terms, ">=", rhs)
            shorter_share = 0.0
            for daily, share in inputs.duty_bands[s]:
                limited = [col for c, col in members
                           if inputs.range_effective_au[c] is not None and inputs.range_effective_au[c] < daily]
                if limited and demand > 0:
                    model.add_row("duty_range", (s, y, daily), [(col, 1.0) for col in limited], "<=",
                                  demand * shorter_share)
                    if not inputs.allow_unmet_demand:
                        define_fleet_size_cut(model, inputs, s, y, members, daily, demand * (1 - shorter_share))
                shorter_share += share
            if demand > 0 and not inputs.allow_unmet_demand:
                define_fleet_size_cut(model, inputs, s, y, members, 0.0, demand)


def define_fleet_size_cut(model: FleetModel, inputs: ModelInputs, s: str, y: int, members: list, daily: float,
                          activity: float) -> None:
    """Valid inequalities (not rules) on the vehicles able to serve duties of at least `daily` au/day.

    They must deliver `activity`: sum_c cap_c * stock_c >= activity. For each distinct yearly cap k
    among them, Chvatal-Gomory rounding gives sum_c ceil(cap_c / k) * stock_c >= ceil(activity / k).
    Stock is integral, so these only cut off fractional LP points; they tighten the bound of small
    fleets by an order of magnitude.
    """
    able = [c for c, _col in members if inputs.range_effective_au[c] is None or inputs.range_effective_au[c] >= daily]
    if not able or activity <= 0:
        return
    for divisor in sorted({round(inputs.activity_cap_au[c], 6) for c in able}):
        rhs = math.ceil(activity / divisor - ROUNDING)
        terms = [(model.stock[c, y], float(math.ceil(inputs.activity_cap_au[c] / divisor - ROUNDING))) for c in able]
        model.add_row("fleet_size_cut", (s, y, daily, divisor), terms, ">=", rhs)


def define_energy_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Fuel use per technology-year and fuel slot (GJ):

    sum_{f in slot} fuel[s,t,y,f] = share_slot * sum_v energy_gj_per_au[c] * activity[c,y]

    Fuels that need supply infrastructure get a column only if some option can serve them.
    """
    served = {key for keys in requirement_keys(inputs).values() for key in keys}
    energy_terms: dict[tuple[str, str, int], list[tuple[int, float]]] = defaultdict(list)
    for (cohort, y), column in model.activity.items():
        s, t, _v = cohort
        energy_terms[s, t, y].append((column, inputs.energy_gj_per_au[cohort]))
    for (s, t, y), slots in inputs.fuel_slots.items():
        for slot, (share, fuels) in slots.items():
            terms = []
            for f in fuels:
                if f in inputs.supply_fuels and (s, f) not in served:
                    continue
                model.fuel[s, t, y, f] = column = model.add_column("f")
                terms.append((column, 1.0))
            terms += [(col, -share * gj) for col, gj in energy_terms[s, t, y]]
            model.add_row("energy_split", (s, t, y, slot), terms, "==", 0.0)


def define_infrastructure_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Infrastructure units (integer builds) cover the vehicles or fuel they serve:

    units[k,y] = existing_k + sum of builds of the last lifetime_k years
    sum_k allocation[k,key,y] >= need[key,y]   (vehicles of (s,t), or GJ of fuel f in s)
    sum_key allocation[k,key,y] <= capacity_k * units[k,y]
    A need with no option to serve it is fixed at zero.
    """
    keys_of = requirement_keys(inputs)
    for k, y in inputs.infrastructure_build_index:
        if keys_of.get(k):
            model.build[k, y] = model.add_column("b", integer=True)
    need: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for (cohort, y), column in model.stock.items():
        s, t, _v = cohort
        if inputs.charging_required.get((s, t)):
            need["vehicles", s, t, y].append((column, 1.0))
    for (s, _t, y, f), column in model.fuel.items():
        if f in inputs.supply_fuels:
            need["energy", s, f, y].append((column, 1.0))
    serving: dict[tuple, list[int]] = defaultdict(list)
    for k, keys in keys_of.items():
        option = inputs.infrastructure[k]
        for y in inputs.years:
            if (k, y) not in model.build:
                continue
            capacity_terms = []
            for key in keys:
                if (option.basis, *key, y) in need:
                    column = model.add_column("l")
                    model.allocation[k, key, y] = column
                    serving[option.basis, *key, y].append(column)
                    capacity_terms.append((column, 1.0))
            builds = [(model.build[k, b], -option.capacity_per_unit) for b in inputs.years
                      if b <= y < b + option.lifetime_years]
            model.add_row("infrastructure_capacity", (k, y), capacity_terms + builds, "<=",
                          option.capacity_per_unit * option.existing_units)
    for key, terms in need.items():
        allocated = [(col, 1.0) for col in serving.get(key, [])]
        model.add_row("infrastructure_need", key, allocated + [(c, -coef) for c, coef in terms], ">=", 0.0)


def define_subsidy_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Subsidy claimed per rule and eligible decision (purchase, conversion or infrastructure build):

    claim[r,key] <= subsidy per unit * decision[key]
    sum_key claim[r,key] <= max_total_r
    """
    conversions: dict[tuple, list[int]] = defaultdict(list)
    for (s, t_from, t_to, _v, y), column in model.conversion.items():
        conversions[s, t_from, t_to, y].append(column)
    for index, rule in enumerate(inputs.subsidy_rules):
        claims = []
        for key, amount in rule["eligible"].items():
            kind, *rest = key
            if kind == "conversion":
                columns = conversions.get(tuple(rest), [])
            elif kind == "purchase":
                columns = [model.purchase[tuple(rest)]] if tuple(rest) in model.purchase else []
            else:
                columns = [model.build[tuple(rest)]] if tuple(rest) in model.build else []
            if not columns:
                continue
            claim = model.add_column("g")
            model.subsidy[index, key] = claim
            claims.append((claim, 1.0))
            model.add_row("subsidy_eligible", (rule["name"], *key), [(claim, 1.0), *((c, -amount) for c in columns)],
                          "<=", 0.0)
        if rule["max_total"] is not None and claims:
            model.add_row("subsidy_cap", (rule["name"],), claims, "<=", rule["max_total"])


def subsidy_value_share(inputs: ModelInputs, key: tuple) -> tuple[int, float] | None:
    """When and by what share of a claim the claimed asset's final value falls: a subsidised
    vehicle or unit is valued net of its grant (year of valuation, share of the claim)."""
    kind, *rest = key
    if kind == "purchase":
        cohort = tuple(rest)
        if cohort in inputs.forced_exit_year:
            y = inputs.forced_exit_year[cohort]
            return y, inputs.resale_share.get((cohort, y), 0.0)
        if cohort in inputs.end_value_share:
            return inputs.last_year + 1, inputs.end_value_share[cohort]
        if cohort in inputs.retirement_value:
            year, share, _value = inputs.retirement_value[cohort]
            return year, share
        return None
    if kind == "infrastructure":
        k, y = rest
        share = infrastructure_end_share(inputs.infrastructure[k].lifetime_years, y, inputs.last_year)
        return (inputs.last_year + 1, share) if share > 0 else None
    return None


def emission_terms(model: FleetModel, inputs: ModelInputs) -> dict[int, list[tuple[int, float]]]:
    """Emissions per year in the policy scope: sum fuel[s,t,y,f] * factor[s,t,f,y] (tCO2e)."""
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (s, t, y, f), column in model.fuel.items():
        terms[y].append((column, inputs.emission_t_per_gj[s, t, f, y]))
    return terms


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
    """Owner's capital spending per year: purchases - subsidy claims + conversions + infrastructure."""
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (s, t, y), column in model.purchase.items():
        terms[y].append((column, inputs.purchase_price[s, t, y]))
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


def define_objective(model: FleetModel, inputs: ModelInputs) -> None:
    """Discounted net cost (scenario currency / money_scale):

    sum_y d_y [capex - subsidies + conversions + fixed O&M + variable O&M + energy
               + carbon price x emissions + infrastructure capex and O&M - resale + penalties]
    - d_end [value of vehicles and infrastructure left after the last year]
    """
    scale = 1.0 / inputs.money_scale
    d = inputs.discount_factor
    for (s, t, y), column in model.purchase.items():
        model.add_cost(column, d[y] * inputs.purchase_price[s, t, y] * scale)
    for (s, t_from, t_to, _v, y), column in model.conversion.items():
        model.add_cost(column, d[y] * inputs.conversion_cost[s, t_from, t_to, y] * scale)
    for (cohort, y), column in model.sale.items():
        model.add_cost(column, -d[y] * inputs.resale_value[cohort, y] * scale)
    last = inputs.last_year
    for (cohort, y), column in model.stock.items():
        model.add_cost(column, d[y] * inputs.fixed_om_cost[cohort, y] * scale)
        if y == last:
            model.add_cost(column, -inputs.end_discount_factor * inputs.end_value.get(cohort, 0.0) * scale)
    for cohort, (year, _share, value) in inputs.retirement_value.items():
        column = model.stock[cohort, year - 1]
        model.add_cost(column, -retirement_discount(inputs, year) * value * scale)
    for (cohort, y), column in model.activity.items():
        model.add_cost(column, d[y] * inputs.variable_om_cost_per_au[cohort[:2]] * scale)
    for (s, t, y, f), column in model.fuel.items():
        unit_cost = inputs.fuel_price_per_gj[f, y] + inputs.carbon_price_per_t[y] * inputs.emission_t_per_gj[s, t, f, y]
        model.add_cost(column, d[y] * unit_cost * scale)
    for (k, y), column in model.build.items():
        option = inputs.infrastructure[k]
        years_used = [u for u in inputs.years if y <= u < y + option.lifetime_years]
        fixed_om = sum(d[u] for u in years_used) * option.fixed_om_cost_per_unit_year
        left = infrastructure_end_share(option.lifetime_years, y, last)
        model.add_cost(column, (d[y] * option.capex_cost_per_unit + fixed_om
                                - inputs.end_discount_factor * left * option.capex_cost_per_unit) * scale)
    model.objective_offset = sum(
        d[y] * option.fixed_om_cost_per_unit_year * option.existing_units
        for option in inputs.infrastructure.values() for y in inputs.years
    ) * scale
    for (_r, key), column in model.subsidy.items():
        model.add_cost(column, -d[key[-1]] * scale)
        valued = subsidy_value_share(inputs, key)
        if valued is not None:
            year, share = valued
            model.add_cost(column, retirement_discount(inputs, year) * share * scale)
    for (s, y), column in model.unmet_activity.items():
        model.add_cost(column, d[y] * inputs.unmet_penalty_per_au[s] * scale)
    for (s, y), column in model.unmet_vehicles.items():
        model.add_cost(column, d[y] * inputs.unmet_penalty_per_au[s] * inputs.max_annual_activity_au[s] * scale)
    for (block, _key), column in model.slack.items():
        model.add_cost(column, diagnosis_penalty(inputs, block) * scale)


def retirement_discount(inputs: ModelInputs, year: int) -> float:
    """Discount factor of a value received at the start of `year` (last year + 1: end of horizon)."""
    return inputs.end_discount_factor if year > inputs.last_year else inputs.discount_factor[year]


def infrastructure_end_share(lifetime_years: int, build_year: int, last_year: int) -> float:
    """Share of an infrastructure unit's capex still unused after the last year (straight line)."""
    used = last_year + 1 - build_year
    return max(0.0, (lifetime_years - used) / lifetime_years)


def diagnosis_penalty(inputs: ModelInputs, block: str) -> float:
    """Cost per unit of slack on a rule in a diagnosis run: above any real cost of meeting the rule
    (per tCO2e or per vehicle: 1,000 x the dearest vehicle; per unit of money: 1,000), but below
    unmet demand, which the diagnosis run penalises 10,000 times more (see diagnose.py)."""
    if block == "capex_budget":
        return 1e3
    return 1e3 * max([1.0, *inputs.purchase_price.values()])
