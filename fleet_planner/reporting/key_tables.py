"""The key tables of the report: plan by year, fleet at milestone years, emissions, costs, cost
per unit of activity."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fleet_planner.reporting.charts import cost_by_group, milestone_years
from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.summary import scope_name, summary_row
from fleet_planner.reporting.table_data import TableData, format_value, frame_table


def key_tables_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> list[dict]:
    """[{title, table}] in report order."""
    summary = summary_row(tables)
    currency, scope = summary.get("currency", ""), scope_name(summary, t)
    return [
        {"title": t("table.plan_by_year"),
         "table": plan_by_year_table(tables.get("plan_by_year", pd.DataFrame()), t, currency, scope)},
        {"title": t("table.fleet"), "table": fleet_milestones_table(tables.get("fleet", pd.DataFrame()), t)},
        {"title": t("table.emissions"),
         "table": emissions_table(tables.get("emissions", pd.DataFrame()), t, scope,
                                  str(summary.get("emission_scope", "ttw")))},
        {"title": t("table.costs", currency=currency),
         "table": costs_table(tables.get("costs", pd.DataFrame()), t, currency)},
        {"title": t("table.cost_per_activity"),
         "table": cost_per_activity_table(tables.get("cost_per_activity", pd.DataFrame()), t)},
    ]


PLAN_COLUMNS: tuple[str, ...] = ("year", "purchases_count", "conversions_count", "sales_count", "stock_count",
                                 "zero_emission_share", "capex_net_cost", "total_cost", "total_discounted_cost",
                                 "emissions_tco2e")


def plan_by_year_table(plan: pd.DataFrame, t: Translator, currency: str, scope: str) -> TableData | None:
    columns = [c for c in PLAN_COLUMNS if c in plan.columns]
    headers = [t(f"column.{c}", currency=currency, scope=scope) for c in columns]
    return frame_table(plan, columns, headers, t)


def emissions_table(emissions: pd.DataFrame, t: Translator, scope: str, scope_id: str) -> TableData | None:
    """Plan (policy scope), cap, baseline, and the plan in the other scope."""
    other = {"ttw": "emissions_wtw_tco2e", "wtw": "emissions_ttw_tco2e"}.get(scope_id)
    columns = [c for c in ("year", "emissions_tco2e", "cap_tco2e", "baseline_tco2e", other)
               if c in emissions.columns]
    return frame_table(emissions, columns, [t(f"column.{c}", scope=scope) for c in columns], t)


def fleet_milestones_table(fleet: pd.DataFrame, t: Translator) -> TableData | None:
    """Vehicles in stock by segment and technology at the milestone years (columns)."""
    if fleet.empty:
        return None
    years = milestone_years(sorted(int(y) for y in fleet["year"].unique()), [])
    wide = fleet[fleet["year"].isin(years)].pivot_table(index=["segment", "technology"], columns="year",
                                                         values="stock_count", aggfunc="sum", fill_value=0.0)
    wide = wide[(wide.abs() > 1e-6).any(axis=1)]
    rows = [[t.segment(s), t.technology(tech), *(format_value("stock_count", v, t) for v in values)]
            for (s, tech), values in zip(wide.index, wide.to_numpy(), strict=True)]
    header = [t("column.segment"), t("column.technology"), *(str(y) for y in wide.columns)]
    return TableData(header, rows, [False, False, *([True] * len(wide.columns))])


def costs_table(costs: pd.DataFrame, t: Translator, currency: str) -> TableData | None:
    """Years x category groups (real), with the net total and the discounted total."""
    if costs.empty:
        return None
    nominal = cost_by_group(costs, "cost")
    discounted = costs.groupby("year")["discounted_cost"].sum()
    header = [t("column.year"), *(t(f"category.{g}") for g in nominal.columns),
              t("column.net_total", currency=currency), t("column.discounted_total", currency=currency)]
    rows = [[str(int(year)), *(t.number(v) for v in values), t.number(values.sum()), t.number(discounted[year])]
            for year, values in zip(nominal.index, nominal.to_numpy(), strict=True)]
    return TableData(header, rows, [False, *([True] * (len(header) - 1))])


def cost_per_activity_table(cost_per_activity: pd.DataFrame, t: Translator) -> TableData | None:
    if cost_per_activity.empty:
        return None
    rows = []
    for r in cost_per_activity.itertuples(index=False):
        unit, currency = r.activity_unit, r.currency
        rows.append([t.segment(r.segment), t.technology(r.technology),
                     f"{t.number(r.cost_per_au, 3)} {currency}/{unit}",
                     f"{t.number(r.discounted_cost)} {currency}", f"{t.number(r.discounted_activity_au)} {unit}"])
    currency = cost_per_activity["currency"].iloc[0]
    header = [t("column.segment"), t("column.technology"), t("column.cost_per_activity"),
              t("column.discounted_cost", currency=currency), t("column.discounted_activity")]
    return TableData(header, rows, [False, False, True, True, True])
