"""The report's view of a client plan: the sentence that marks it, and its broken rules by year,
segment and amount (table `violations`, written by `fleet-planner evaluate --out`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.table_data import TableData, number_or_none
from fleet_planner.schemas.client_plan import CLIENT_PLAN_LABEL

VIOLATION_COLUMNS = ("rule", "year", "segment", "amount", "unit", "detail")


def is_client_plan(summary: Mapping) -> bool:
    return summary.get("plan_kind") == CLIENT_PLAN_LABEL


def client_sentences(summary: Mapping, violations: pd.DataFrame, t: Translator) -> list[str]:
    """What the page is (a client's plan, run by the tool) and whether it keeps every rule."""
    sentences = [t("client.intro", file=str(summary.get("plan_file", "")))]
    if violations.empty:
        sentences.append(t("client.rules_met"))
    else:
        by_rule = violations.groupby("rule", sort=True)["year"].apply(lambda ys: [int(y) for y in ys.dropna()])
        parts = [t("client.rule_years", rule=rule, years=t.years(years)) if years else str(rule)
                 for rule, years in by_rule.items()]
        sentences.append(t("client.rules_broken", count=len(violations), rules=t.join(parts)))
    return sentences


def violations_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> TableData:
    """Every broken rule: rule, year, where, by how much (amount, unit), the accounts' detail."""
    frame = tables.get("violations", pd.DataFrame(columns=list(VIOLATION_COLUMNS)))
    rows = []
    for r in frame.itertuples(index=False):
        amount = number_or_none(r.amount)
        year = number_or_none(r.year)
        unit = "" if pd.isna(r.unit) else str(r.unit)
        rows.append([str(r.rule), "–" if year is None else str(int(year)), str(r.segment),
                     t.number(amount, 0 if amount is None or abs(amount) >= 100 else 2), unit, str(r.detail)])
    header = [t(f"violations.{c}") for c in VIOLATION_COLUMNS]
    return TableData(header, rows, [False, False, False, True, False, False])
