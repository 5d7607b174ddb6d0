"""Report sections a funding proposal needs: the grants (by year and rule, capex before and after
them) and the value of what is left after the last year, shown apart from the yearly costs."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.table_data import TableData, number_or_none

CAPEX_CATEGORIES = ("capex", "conversion", "infrastructure")
"""Cost categories a grant is paid on (vehicles, conversions, infrastructure)."""


def _summary(tables: Mapping[str, pd.DataFrame]) -> dict:
    frame = tables.get("summary", pd.DataFrame())
    return {} if frame.empty else frame.iloc[0].to_dict()


def grants_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> dict | None:
    """{text, table}: grants by year and rule with the capex before and after them; None without grants."""
    subsidies = tables.get("subsidies", pd.DataFrame())
    costs = tables.get("costs", pd.DataFrame())
    if subsidies.empty or subsidies["subsidy_cost"].abs().sum() < 1e-6 or costs.empty:
        return None
    currency = str(subsidies["currency"].dropna().iloc[0]) if "currency" in subsidies else ""
    rules = list(dict.fromkeys(subsidies["rule"].astype(str)))
    by_rule = subsidies.pivot_table(index="year", columns="rule", values="subsidy_cost", aggfunc="sum").fillna(0.0)
    capex = costs[costs["category"].isin(CAPEX_CATEGORIES)].groupby("year")["cost"].sum()
    granted = -costs[costs["category"] == "subsidy"].groupby("year")["cost"].sum()
    discounted = -costs[costs["category"] == "subsidy"]["discounted_cost"].sum()
    years = sorted(int(y) for y in set(by_rule.index) | {int(y) for y in capex[capex.abs() > 1e-6].index})
    rows = []
    for y in years:
        grant = float(granted.get(y, 0.0))
        rows.append([str(y), *(t.number(by_rule.loc[y, r]) if y in by_rule.index and r in by_rule.columns else "–"
                               for r in rules), t.number(float(capex.get(y, 0.0))), t.number(grant),
                     t.number(float(capex.get(y, 0.0)) - grant)])
    header = [t("column.year"), *rules, t("grants.column.before", currency=currency),
              t("grants.column.grant", currency=currency), t("grants.column.after", currency=currency)]
    npv = number_or_none(_summary(tables).get("npv_cost")) or 0.0
    text = t("grants.text", total=t.number(float(granted.sum())), currency=currency,
             years=t.years(int(y) for y in by_rule.index if abs(by_rule.loc[y].sum()) > 1e-6),
             discounted=t.number(discounted), before=t.number(npv + discounted), after=t.number(npv),
             rules=t.join(rules))
    return {"text": text, "table": TableData(header, rows, [False, *([True] * (len(header) - 1))])}


def end_value_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> dict | None:
    """{text, note, table}: the value of what is left after the last year (a credit at the end, not a
    cost of the last year) and how it is computed; None when nothing is valued."""
    summary = _summary(tables)
    costs = tables.get("costs", pd.DataFrame())
    left = tables.get("end_of_horizon", pd.DataFrame())
    if costs.empty or not summary:
        return None
    currency = str(summary.get("currency", ""))
    plan = -float(costs.loc[costs["category"] == "residual_value", "cost"].sum())
    plan_discounted = -float(costs.loc[costs["category"] == "residual_value", "discounted_cost"].sum())
    baseline_costs = tables.get("baseline_costs", pd.DataFrame())
    baseline = -float(baseline_costs.loc[baseline_costs["category"] == "residual_value", "cost"].sum()) \
        if not baseline_costs.empty else 0.0
    if abs(plan) < 1e-6 and abs(baseline) < 1e-6 and left.empty:
        return None
    last = int(summary.get("last_year", 0))
    mode = summary.get("end_of_horizon")
    note = t(f"report.end_of_horizon.{mode}", year=last) if isinstance(mode, str) and mode else ""
    text = t("end_value.text", year=last, plan=t.number(plan), discounted=t.number(plan_discounted),
             baseline=t.number(baseline), currency=currency)
    rows = []
    for r in left.itertuples(index=False):
        count = float(r.count)
        rows.append([t.segment(r.segment), t.technology(r.technology), str(int(r.model_year)), t.number(count),
                     str(int(r.age_years)), t.percent(float(r.value_share), 0), t.number(float(r.unit_value)),
                     t.number(float(r.unit_value) * count), str(r.treatment)])
    header = [t("column.segment"), t("column.technology"), t("end_value.column.model_year"),
              t("end_value.column.count"), t("end_value.column.age"), t("end_value.column.share"),
              t("end_value.column.unit_value", currency=currency), t("end_value.column.value", currency=currency),
              t("end_value.column.treatment")]
    table = TableData(header, rows, [False, False, False, True, True, True, True, True, False]) if rows else None
    return {"text": text, "note": note, "formula": t("end_value.formula"), "table": table}
