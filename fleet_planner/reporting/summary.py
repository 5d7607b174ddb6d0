"""The report's answer: summary sentences and the headline figures against the baseline."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fleet_planner.exceptions import FleetPlannerError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.table_data import TableData, number_or_none
from fleet_planner.reporting.violations_view import client_sentences, is_client_plan

SUMMARY_ACTIONS_MAX = 6
"""Actions named in the summary sentence; the rest are counted and pointed to in the action table."""


def summary_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> dict:
    """{sentences: [what to do, what it costs, what it emits], status: solver status line}."""
    summary = summary_row(tables)
    sentences = [
        actions_sentence(tables, t),
        cost_sentence(summary, t),
        emissions_sentence(summary, tables.get("emissions", pd.DataFrame()), t),
    ]
    if is_client_plan(summary):
        sentences = [*client_sentences(summary, tables.get("violations", pd.DataFrame(columns=["rule", "year"])), t),
                     *sentences]
    status = t("report.status", status=_status_text(summary.get("status"), t),
               gap=t.percent(number_or_none(summary.get("mip_gap")), 2))
    mode = summary.get("end_of_horizon")
    if isinstance(mode, str) and mode:
        status += " " + t(f"report.end_of_horizon.{mode}", year=int(summary.get("last_year", 0)))
    modelled = number_or_none(summary.get("modelled_last_year"))
    if modelled is not None and modelled > int(summary.get("last_year", 0)):
        status += " " + t("report.tail", first=int(summary["first_year"]), last=int(summary["last_year"]),
                          modelled=int(modelled))
    return {"sentences": sentences, "status": status}


def summary_row(tables: Mapping[str, pd.DataFrame]) -> dict:
    summary = tables.get("summary")
    if summary is None or summary.empty:
        raise FleetPlannerError("the result has no summary table; re-run `fleet-planner plan`.")
    return summary.iloc[0].to_dict()


def _status_text(status: object, t: Translator) -> str:
    if status in ("optimal", "feasible"):
        return t(f"status.{status}")
    return t("status.other", status=status)


def plan_actions(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Purchases, conversions and early sales grouped by segment and technology, ordered by first year.

    Each action: {kind: buy|convert|sell, segment, technology, to_technology, count, years}."""
    specs = [
        ("buy", "purchases", ["segment", "technology"], "purchases_count"),
        ("convert", "conversions", ["segment", "from_technology", "to_technology"], "conversions_count"),
        ("sell", "sales", ["segment", "technology"], "sales_count"),
    ]
    actions = []
    for kind, name, keys, count_column in specs:
        frame = tables.get(name, pd.DataFrame())
        if frame.empty:
            continue
        frame = frame[frame[count_column] > 0.5]
        for key, group in frame.groupby(keys, sort=False):
            values = dict(zip(keys, key, strict=True))
            actions.append({"kind": kind, "segment": values["segment"],
                            "technology": values.get("technology", values.get("from_technology")),
                            "to_technology": values.get("to_technology"),
                            "count": float(group[count_column].sum()), "years": sorted(group["year"].unique())})
    return sorted(actions, key=lambda a: (["buy", "convert", "sell"].index(a["kind"]), a["years"][0],
                                          a["segment"], a["technology"]))


def actions_sentence(tables: Mapping[str, pd.DataFrame], t: Translator) -> str:
    actions = plan_actions(tables)
    if not actions:
        return t("summary.no_actions")
    phrases = [_action_phrase(a, t) for a in actions[:SUMMARY_ACTIONS_MAX]]
    if len(actions) > SUMMARY_ACTIONS_MAX:
        phrases.append(t("summary.more_actions_table", count=len(actions) - SUMMARY_ACTIONS_MAX))
    return t("summary.actions", actions=t.join(phrases))


def _action_phrase(action: dict, t: Translator) -> str:
    count = t.number(action["count"], 0 if float(action["count"]).is_integer() else 1)
    common = {"count": count, "segment": t.segment(action["segment"]), "years": t.years(action["years"])}
    if action["kind"] == "convert":
        return t("action.convert", from_technology=t.technology(action["technology"]),
                 to_technology=t.technology(action["to_technology"]), **common)
    return t(f"action.{action['kind']}", technology=t.technology(action["technology"]), **common)


def cost_sentence(summary: Mapping, t: Translator) -> str:
    npv, baseline = number_or_none(summary.get("npv_cost")) or 0.0, number_or_none(summary.get("baseline_npv_cost")) or 0.0
    currency = summary.get("currency", "")
    difference = baseline - npv
    share = t.percent(abs(difference) / abs(baseline), 0) if baseline else "–"
    values = {"npv": t.number(npv), "baseline": t.number(baseline), "difference": t.number(abs(difference)),
              "share": share, "currency": currency}
    if difference >= 0:
        return t("summary.cost_saving", **values)
    abatement = number_or_none(summary.get("abatement_cost_per_tco2e"))
    if abatement is None:
        return t("summary.cost_extra_no_abatement", **values)
    return t("summary.cost_extra", abatement=t.number(abatement, 1), **values)


def emissions_sentence(summary: Mapping, emissions: pd.DataFrame, t: Translator) -> str:
    plan = number_or_none(summary.get("emissions_tco2e")) or 0.0
    baseline = number_or_none(summary.get("baseline_emissions_tco2e")) or 0.0
    difference = baseline - plan
    key = "summary.emissions_below" if difference >= 0 else "summary.emissions_above"
    return t(key, scope=scope_name(summary, t), first=summary.get("first_year"), last=summary.get("last_year"),
             plan=t.number(plan), baseline=t.number(baseline), difference=t.number(abs(difference)),
             share=t.percent(abs(difference) / baseline, 0) if baseline else "–", cap=cap_phrase(emissions, t))


def scope_name(summary: Mapping, t: Translator) -> str:
    scope = str(summary.get("emission_scope", "ttw"))
    return t(f"scope.{scope}") if scope in ("ttw", "wtw") else scope


def cap_years_exceeded(emissions: pd.DataFrame) -> tuple[list[int], list[int]]:
    """(years with a cap, years whose plan emissions exceed the cap beyond rounding)."""
    if emissions.empty or "cap_tco2e" not in emissions.columns:
        return [], []
    capped = emissions[pd.to_numeric(emissions["cap_tco2e"], errors="coerce").notna()]
    cap = capped["cap_tco2e"].astype(float)
    over = capped[capped["emissions_tco2e"] > cap + 1e-6 * np.maximum(1.0, cap.abs())]
    return [int(y) for y in capped["year"]], [int(y) for y in over["year"]]


def cap_phrase(emissions: pd.DataFrame, t: Translator) -> str:
    capped, exceeded = cap_years_exceeded(emissions)
    if not capped:
        return t("cap.none")
    if exceeded:
        return t("cap.exceeded", count=len(exceeded), years=t.years(exceeded))
    return t("cap.met")


def headline_section(tables: Mapping[str, pd.DataFrame], catalogue: Catalogue, t: Translator) -> TableData:
    s = summary_row(tables)
    currency = s.get("currency", "")
    rows = [
        [t("headline.npv_cost", currency=currency), *_plan_baseline_difference(
            number_or_none(s.get("npv_cost")), number_or_none(s.get("baseline_npv_cost")), t, decimals=0)],
        [t("headline.emissions", first=s.get("first_year"), last=s.get("last_year"), scope=scope_name(s, t)),
         *_plan_baseline_difference(number_or_none(s.get("emissions_tco2e")),
                                    number_or_none(s.get("baseline_emissions_tco2e")), t, decimals=1)],
    ]
    last_year = s.get("last_year")
    plan_share, baseline_share = zero_emission_shares(tables, catalogue, last_year)
    rows.append([t("headline.zero_emission_share", year=last_year), t.percent(plan_share, 0),
                 t.percent(baseline_share, 0), _signed_points(plan_share, baseline_share, t)])
    rows.append([t("headline.abatement", currency=currency),
                 t.number(number_or_none(s.get("abatement_cost_per_tco2e")), 1), "", ""])
    header = [t("headline.quantity"), t("headline.plan"), t("headline.baseline"), t("headline.difference")]
    return TableData(header, rows, [False, True, True, True])


def _plan_baseline_difference(plan: float | None, baseline: float | None, t: Translator, *,
                              decimals: int) -> list[str]:
    difference = None if plan is None or baseline is None else plan - baseline
    signed = "–" if difference is None else ("+" if difference > 0 else "") + t.number(difference, decimals)
    return [t.number(plan, decimals), t.number(baseline, decimals), signed]


def _signed_points(plan: float | None, baseline: float | None, t: Translator) -> str:
    if plan is None or baseline is None:
        return "–"
    difference = plan - baseline
    return t("unit.percentage_points", number=("+" if difference > 0 else "") + t.number(100 * difference, 0))


def zero_emission_shares(tables: Mapping[str, pd.DataFrame], catalogue: Catalogue,
                         year: object) -> tuple[float | None, float | None]:
    """Zero-emission share of the vehicles in stock in `year`: plan (plan_by_year) and baseline
    (baseline_fleet x technology_types.zero_emission)."""
    plan_by_year = tables.get("plan_by_year", pd.DataFrame())
    plan = None
    if not plan_by_year.empty and "zero_emission_share" in plan_by_year.columns:
        row = plan_by_year[plan_by_year["year"] == year]
        plan = number_or_none(row["zero_emission_share"].iloc[0]) if not row.empty else None
    baseline_fleet = tables.get("baseline_fleet", pd.DataFrame())
    types = catalogue.tables.get("technology_types", pd.DataFrame())
    if baseline_fleet.empty or types.empty:
        return plan, None
    zero = {str(k): str(v).lower() == "true" for k, v in zip(types["technology"], types["zero_emission"],
                                                             strict=True)}
    stock = baseline_fleet[baseline_fleet["year"] == year]
    total = stock["stock_count"].sum()
    if total <= 0:
        return plan, None
    return plan, float(stock[stock["technology"].map(zero).fillna(False).astype(bool)]["stock_count"].sum() / total)
