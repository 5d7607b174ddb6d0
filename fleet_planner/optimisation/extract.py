"""Read the decisions of a solved FleetModel into the plan format (schemas.plan.Decisions)."""

from __future__ import annotations

import pandas as pd

from fleet_planner.schemas.plan import KINDS, ROUND_CONTINUOUS, ZERO, ZERO_MONEY, Decisions


def from_solution(model, values) -> Decisions:
    """Read the decision columns of a solved FleetModel (counts rounded to integers).

    Work and fuel of a cohort-year without vehicles are solver noise (a few hundredths of an au
    pass the duty-time row within HiGHS's feasibility tolerance of 1e-7 of a vehicle-year) and are
    left out: the evaluator would otherwise see work with no vehicle and fuel shares of nothing."""
    held = {key for key, column in model.stock.items() if float(values[column]) >= 0.5}
    held_groups = {(cohort[0], cohort[1], y) for cohort, y in held}
    activity_index = {key: column for key, column in model.activity.items() if (key[0], key[-1]) in held}
    fuel_index = {key: column for key, column in model.fuel.items() if key[:3] in held_groups}

    def rows(index: dict, names: list[str], value_name: str, integer: bool, zero: float = ZERO,
             unit: float = 1.0) -> pd.DataFrame:
        """Non-zero decisions (column value x unit); counts rounded to whole numbers (a count that
        rounds to 0 is left out)."""
        records = []
        for key, column in index.items():
            value = float(values[column]) * unit
            if abs(value) <= zero:
                continue
            value = round(value) if integer else round(value, ROUND_CONTINUOUS)
            if integer and value == 0:
                continue
            records.append((*_flatten(key), value))
        return pd.DataFrame(records, columns=[*names, value_name])

    purchases = rows(model.purchase, ["segment", "technology", "year"], "count", True)
    conversions = rows(model.conversion, ["segment", "technology", "to_technology", "model_year", "year"], "count", True)
    sales = rows(model.sale, ["segment", "technology", "model_year", "year"], "count", True)
    buy_outs = rows(model.buy_out, KINDS["lease_buy_out"][1], "count", True)
    activity = rows(activity_index, KINDS["activity"][1], "activity_au", False)
    duty_vehicles = rows(model.duty_vehicles, KINDS["duty_vehicles"][1], "count", True)
    fuel_use = rows(fuel_index, ["segment", "technology", "year", "fuel"], "energy_gj", False)
    builds = rows(model.build, ["infrastructure", "year"], "count", True)
    claims_index = {(rule, *claim_fields(key)): column for (rule, key), column in model.subsidy.items()}
    money = model.money_scale  # claims and financed amounts are in model money units; the plan in currency
    claims = rows(claims_index, KINDS["subsidy_claim"][1], "amount_cost", False, ZERO_MONEY, money)
    financing_index = {(name, *claim_fields(key)): column for (key, name), column in model.financing.items()}
    financing = rows(financing_index, KINDS["financing"][1], "amount_cost", False, ZERO_MONEY, money)
    leases = rows(model.lease, KINDS["lease"][1], "count", True)
    unmet_a = rows(model.unmet_activity, KINDS["unmet_activity"][1], "activity_au", False)
    unmet_v = rows(model.unmet_vehicles, ["segment", "year"], "count", False)
    return Decisions(purchases, conversions, sales, buy_outs, activity, duty_vehicles, fuel_use, builds, claims,
                     financing, leases, unmet_a, unmet_v)


def claim_fields(key: tuple) -> tuple:
    """(segment, technology, to_technology, infrastructure, year) of an eligible-decision key."""
    kind, *rest = key
    if kind == "purchase":
        s, t, y = rest
        return (s, t, "", "", y)
    if kind == "conversion":
        s, t_from, t_to, y = rest
        return (s, t_from, t_to, "", y)
    k, y = rest
    return ("", "", "", k, y)


def _flatten(key) -> tuple:
    out = []
    for part in key:
        if isinstance(part, tuple):
            out.extend(part)
        else:
            out.append(part)
    return tuple(out)


def with_rule_names(decisions: Decisions, rule_names: list[str]) -> Decisions:
    """Subsidy claims are indexed by rule position in the model; name them."""
    claims = decisions.subsidy_claims.copy()
    if not claims.empty:
        claims["rule"] = [rule_names[int(i)] for i in claims["rule"]]
    decisions.subsidy_claims = claims
    return decisions
