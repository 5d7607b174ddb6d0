"""Subsidy claims per rule and eligible decision, and how a claim lowers the asset's final value.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.build.infrastructure import infrastructure_end_share
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


def define_subsidy_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Subsidy claimed per rule and eligible decision (purchase, conversion or infrastructure build):

    claim[r,key] <= subsidy per unit * decision[key]     (conversions, infrastructure)
    claim[r,key] <= subsidy per unit * held[s,t,y]        (purchases: only held vehicles claim)
    sum_key claim[r,key] <= max_total_r
    (claims and amounts in model money units: currency / money_scale)

    The grant's holding condition binds only vehicles that claim it (define_holding_rows).
    """
    conversions: dict[tuple, list[int]] = defaultdict(list)
    for (s, t_from, t_to, _v, y), column in model.conversion.items():
        conversions[s, t_from, t_to, y].append(column)
    scale = 1.0 / inputs.money_scale
    for index, rule in enumerate(inputs.subsidy_rules):
        claims = []
        for key, amount in rule["eligible"].items():
            kind, *rest = key
            if kind == "conversion":
                columns = conversions.get(tuple(rest), [])
            elif kind == "purchase":
                columns = [held_column(model, tuple(rest))] if tuple(rest) in model.purchase and amount > 0 else []
            else:
                columns = [model.build[tuple(rest)]] if tuple(rest) in model.build else []
            if not columns:
                continue
            claim = model.add_column("g")
            model.subsidy[index, key] = claim
            claims.append((claim, 1.0))
            model.add_row("subsidy_eligible", (rule["name"], *key),
                          [(claim, 1.0), *((c, -amount * scale) for c in columns)], "<=", 0.0)
        if rule["max_total"] is not None and claims:
            model.add_row("subsidy_cap", (rule["name"],), claims, "<=", rule["max_total"] * scale)
    define_holding_rows(model, inputs)


def held_column(model: FleetModel, key: tuple) -> int:
    """Vehicles of purchase (s, t, y) held for a grant (continuous; bounded by the purchase)."""
    if key not in model.held:
        model.held[key] = model.add_column("h")
    return model.held[key]


def define_holding_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """A grant's holding condition: vehicles that claim it are neither sold early nor converted.

    held[s,t,y] + sum_y' (sales + conversions out of cohort (s,t,y) in y', except exits the gas end
    forces) + leased[s,t,y] <= purchases[s,t,y]
    (a leased vehicle is the lessor's: the owner cannot claim a purchase grant for it)
    """
    outflows: dict[tuple, list[int]] = defaultdict(list)
    for (cohort, y), column in model.sale.items():
        if inputs.forced_exit_year.get(cohort) != y:
            outflows[cohort].append(column)
    for (s, t_from, _t_to, v, _y), column in model.conversion.items():
        outflows[s, t_from, v].append(column)
    for key, held in model.held.items():
        leased = [c for (_option, *purchase), c in model.lease.items() if tuple(purchase) == key]
        terms = [(held, 1.0), *((c, 1.0) for c in outflows.get(key, []) + leased), (model.purchase[key], -1.0)]
        model.add_row("grant_holding", key, terms, "<=", 0.0)


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
        share = infrastructure_end_share(inputs, inputs.infrastructure[k].lifetime_years, y)
        return (inputs.last_year + 1, share) if share > 0 else None
    return None
