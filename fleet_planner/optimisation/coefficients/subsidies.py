"""Capex subsidies (JCM-style): the subsidy per unit of each eligible decision, per rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fleet_planner.optimisation.coefficients.infrastructure import InfrastructureOption
    from fleet_planner.schemas.scenario import Scenario, SubsidyRule


def subsidy_rules(scenario: Scenario, purchase_price: dict[tuple[str, str, int], float],
                  conversion_index: list[tuple[str, str, str, int, int]],
                  conversion_cost: dict[tuple[str, str, str, int], float],
                  infrastructure: dict[str, InfrastructureOption], vat_rate: float) -> list[dict]:
    """Per rule: {name, eligible: {decision key: subsidy per unit}, max_total, years}.

    Decision keys: ("purchase", s, t, y), ("conversion", s, from t, to t, y), ("infrastructure", k, y).
    Subsidy per unit = capex_share x eligible capex, capped at max_per_unit; eligible capex leaves
    out the VAT an owner pays and cannot recover, unless the rule says VAT is eligible."""
    rules = []
    for rule in scenario.subsidies:
        vat_out = 1.0 if scenario.taxes.vat_recoverable or rule.vat_eligible else 1.0 + vat_rate
        eligible: dict[tuple, float] = {}
        if "purchases" in rule.applies_to:
            for (s, t, y), price in purchase_price.items():
                if _covers(rule, s, y, t):
                    eligible["purchase", s, t, y] = _per_unit(rule, price / vat_out)
        if "conversions" in rule.applies_to:
            for s, t_from, t_to, _v, y in conversion_index:
                if _covers(rule, s, y, t_to):
                    eligible["conversion", s, t_from, t_to, y] = _per_unit(rule, conversion_cost[s, t_from, t_to, y] / vat_out)
        if "infrastructure" in rule.applies_to:
            for k, option in infrastructure.items():
                for y in scenario.years:
                    if _covers(rule, None, y, k):
                        eligible["infrastructure", k, y] = _per_unit(rule, option.capex_cost_per_unit / vat_out)
        rules.append({"name": rule.name, "eligible": eligible, "max_total": rule.max_total,
                      "years": sorted({key[-1] for key in eligible})})
    return rules


def _per_unit(rule: SubsidyRule, capex: float) -> float:
    amount = rule.capex_share * capex
    return min(amount, rule.max_per_unit) if rule.max_per_unit is not None else amount


def _covers(rule: SubsidyRule, s: str | None, y: int, item: str) -> bool:
    return (item in rule.technologies and rule.first_year <= y <= rule.last_year
            and (s is None or rule.segments is None or s in rule.segments))
