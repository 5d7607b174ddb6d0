"""The report's financing section: how the plan is paid (cash up front vs yearly payments), who
owns what, each contract and the financier's implied return. Reads the cash_flows and financing
tables only."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.summary import summary_row
from fleet_planner.reporting.table_data import TableData, number_or_none

OWNER = {"loan": "owner.client", "esco": "owner.esco", "battery_lease": "owner.client_battery_financier",
         "lease": "owner.lessor"}
"""Who owns the asset during the contract (message key)."""


def financing_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> dict:
    """{sentences, comparison, contracts}: what is paid up front and later, and each contract."""
    cash = tables.get("cash_flows", pd.DataFrame())
    contracts = tables.get("financing", pd.DataFrame())
    currency = str(summary_row(tables).get("currency", ""))
    if cash.empty:
        return {"sentences": [t("financing.none")], "comparison": None, "contracts": None}
    last = int(cash["year"].max()) - 1  # the last row holds payments after the horizon
    inside = cash[cash["year"] <= last]
    upfront = float(inside["upfront_cost"].sum())
    yearly = float(inside["total_cost"].sum()) - upfront
    later = float(cash.loc[cash["year"] > last, "total_cost"].sum())
    financed = _financed_upfront(contracts)
    sentences = []
    if contracts.empty:
        sentences.append(t("financing.all_cash", upfront=t.number(upfront), currency=currency))
    else:
        modes = sorted({t(f"mode.{m}") for m in contracts["mode"]})
        sentences.append(t("financing.summary", upfront=t.number(upfront), cash=t.number(upfront + financed),
                           yearly=t.number(yearly), later=t.number(later), currency=currency,
                           modes=", ".join(modes)))
        extra = contracts["extra_npv_cost"].map(number_or_none).dropna()
        if not extra.empty:
            sentences.append(t("financing.extra", extra=t.number(float(extra.sum())), currency=currency))
    comparison = TableData(
        [t("column.item"), t("column.amount_cost", currency=currency)],
        [[t("financing.row.upfront"), t.number(upfront)],
         [t("financing.row.cash_equivalent"), t.number(upfront + financed)],
         [t("financing.row.yearly"), t.number(yearly)],
         [t("financing.row.later"), t.number(later)]],
        [False, True])
    return {"sentences": sentences, "comparison": comparison, "contracts": _contracts_table(contracts, t, currency)}


def _financed_upfront(contracts: pd.DataFrame) -> float:
    """What the financed decisions would have cost up front in cash (price less down payment)."""
    if contracts.empty:
        return 0.0
    return float((contracts["financed_cost"] - contracts["down_payment_cost"]).sum())


def _item(decision: str, item: str, t: Translator) -> str:
    """segment/technology (purchase), segment/from/to (conversion), option (infrastructure), translated."""
    parts = item.split("/")
    if decision == "purchase" and len(parts) == 2:
        return f"{t.segment(parts[0])}: {t.technology(parts[1])}"
    if decision == "conversion" and len(parts) == 3:
        return f"{t.segment(parts[0])}: {t.technology(parts[1])} → {t.technology(parts[2])}"
    return item


def _contracts_table(contracts: pd.DataFrame, t: Translator, currency: str) -> TableData | None:
    if contracts.empty:
        return None
    rows = []
    for r in contracts.itertuples(index=False):
        implied = number_or_none(r.implied_return_share)
        count = number_or_none(r.count)
        rows.append([t(f"mode.{r.mode}"), str(r.option), t(f"financed.{r.decision}"), _item(r.decision, str(r.item), t), str(int(r.year)),
                     "–" if count is None else t.number(count), t.number(r.financed_cost),
                     t.number(r.yearly_payment_cost), str(int(r.years)), t(OWNER.get(r.mode, "owner.client")),
                     "–" if implied is None else t.percent(implied, 1)])
    header = [t("column.mode"), t("column.option"), t("column.decision"), t("column.item"), t("column.year"),
              t("column.count"), t("column.financed_cost", currency=currency),
              t("column.yearly_payment_cost", currency=currency), t("column.years"), t("column.owner"),
              t("column.implied_return")]
    return TableData(header, rows, [False, False, False, False, False, True, True, True, True, False, True])
