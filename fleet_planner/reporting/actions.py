"""The report's 'What to buy when' section: the action chart and one table row per year, action,
segment and technology (purchases, conversions, early sales and infrastructure built)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.table_data import TableData

KIND_ORDER = {"buy": 0, "convert": 1, "sell": 2, "build": 3}


def action_rows(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Every action of the plan: {year, kind, segment, technology, to_technology, count}, by year."""
    rows: list[dict] = []

    def add(name: str, count: str, kind: str, make) -> None:
        frame = tables.get(name, pd.DataFrame())
        if frame.empty or count not in frame.columns:
            return
        for record in frame[frame[count] > 0.5].to_dict("records"):
            rows.append({"year": int(record["year"]), "kind": kind, "count": float(record[count]), **make(record)})

    add("purchases", "purchases_count", "buy",
        lambda r: {"segment": r["segment"], "technology": r["technology"], "to_technology": None})
    add("conversions", "conversions_count", "convert",
        lambda r: {"segment": r["segment"], "technology": r["from_technology"], "to_technology": r["to_technology"]})
    add("sales", "sales_count", "sell",
        lambda r: {"segment": r["segment"], "technology": r["technology"], "to_technology": None})
    add("infrastructure", "builds_count", "build",
        lambda r: {"segment": None, "technology": r["infrastructure"], "to_technology": None})
    merged: dict[tuple, dict] = {}
    for row in rows:  # sales and conversions come per model year: one row per year, action and technology
        key = (row["year"], row["kind"], row["segment"], row["technology"], row["to_technology"])
        if key in merged:
            merged[key]["count"] += row["count"]
        else:
            merged[key] = dict(row)
    return sorted(merged.values(), key=lambda r: (r["year"], KIND_ORDER[r["kind"]], str(r["segment"]),
                                                  str(r["technology"])))


def actions_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> dict:
    """{intro, table}: the action table under the action chart."""
    rows = action_rows(tables)
    body = []
    for r in rows:
        if r["kind"] == "convert":
            what = t("actions.conversion", from_technology=t.technology(r["technology"]),
                     to_technology=t.technology(r["to_technology"]))
        elif r["kind"] == "build":
            what = t("actions.infrastructure", name=t.name("infrastructure", r["technology"]))
        else:
            what = t.technology(r["technology"])
        count = t.number(r["count"], 0 if float(r["count"]).is_integer() else 1)
        body.append([str(r["year"]), t(f"actions.kind.{r['kind']}"),
                     t.segment(r["segment"]) if r["segment"] else "–", what, count])
    header = [t("column.year"), t("actions.column.action"), t("column.segment"), t("column.technology"),
              t("actions.column.count")]
    table = TableData(header=header, rows=body, numeric=[False, False, False, False, True],
                      row_classes=[f"action-{r['kind']}" for r in rows]) if rows else None
    return {"intro": t("actions.intro", count=len(rows)), "table": table}
