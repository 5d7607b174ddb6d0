"""The report's MRV section, from the mrv_*.csv tables `fleet-planner mrv` writes into a result
folder (reporting/mrv_run.py)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.table_data import TableData


def mrv_section(tables: Mapping[str, pd.DataFrame], t: Translator) -> dict | None:
    """The report's MRV section from the mrv_* tables of a result folder (None when `fleet-planner mrv`
    has not been run on it)."""
    if "mrv_summary" not in tables or tables["mrv_summary"].empty:
        return None
    s = tables["mrv_summary"].iloc[0].to_dict()
    cur = s["currency"]
    unit = s["activity_unit"]
    effective = s.get("cost_effectiveness_jpy_per_tco2e")
    facts = [
        t("mrv.project", project=s["project"], technologies=", ".join(t.technology(x) for x in
                                                                       str(s["technologies"]).split(";")),
          segment=t.segment(s["segment"]), first=int(s["decision_first_year"]), last=int(s["decision_last_year"]),
          count=t.number(s["project_vehicles_count"]), crediting_first=int(s["crediting_first_year"]),
          crediting_last=int(s["crediting_last_year"])),
        t("mrv.reference", technology=t.technology(s["reference_technology"]), fuel=t.fuel(s["reference_fuel"]),
          use=t.number(s["reference_fuel_units_per_au"], 4), fuel_unit=s["reference_fuel_unit"], unit=unit),
        t("mrv.totals", re=t.number(s["reference_tco2e"], 1), pe=t.number(s["project_tco2e"], 1),
          er=t.number(s["er_tco2e"], 1), yearly=t.number(s["yearly_er_tco2e"], 2),
          life=t.number(s["legal_useful_life_years"])),
        t("mrv.grant", grant=t.number(s["grant_cost"]), currency=cur, grant_jpy=t.number(s["grant_jpy"]))
        + " " + (t("mrv.cost_effectiveness", jpy=t.number(effective), value=t.number(s["cost_effectiveness_per_tco2e"]),
                   currency=cur) if pd.notna(effective) else t("mrv.no_reductions")),
    ]
    return {"title": t("section.mrv"), "label": t("mrv.label"), "facts": facts,
            "yearly_title": t("mrv.yearly_title"), "yearly": _yearly_table(tables["mrv_yearly"], unit, t),
            "parameters_title": t("mrv.parameters_title"), "parameters": _plain_table(
                tables.get("mrv_parameters"), ["parameter", "key", "value", "unit", "source_id", "grade"], t),
            "monitoring_title": t("mrv.monitoring_title"), "monitoring": _plain_table(
                tables.get("mrv_monitoring"), ["parameter", "symbol", "unit", "measured_by", "frequency", "source_id"],
                t)}


def _yearly_table(frame: pd.DataFrame, unit: str, t: Translator) -> TableData:
    header = [t("column.year"), t("mrv.column.vehicles"), t("mrv.column.activity", unit=unit),
              t("mrv.column.re"), t("mrv.column.pe"), t("mrv.column.er")]
    rows = [[str(int(r.year)), t.number(r.project_vehicles_count, 1), t.number(r.activity_au),
             t.number(r.reference_tco2e, 2), t.number(r.project_tco2e, 2), t.number(r.er_tco2e, 2)]
            for r in frame.itertuples()]
    return TableData(header=header, rows=rows, numeric=[False, True, True, True, True, True])


def _plain_table(frame: pd.DataFrame | None, columns: list[str], t: Translator) -> TableData | None:
    if frame is None or frame.empty:
        return None
    rows = [[t.number(v, 4) if isinstance(v, float) else ("" if pd.isna(v) else str(v)) for v in record]
            for record in frame.reindex(columns=columns).itertuples(index=False)]
    return TableData(header=[t(f"mrv.column.{c}") for c in columns], rows=rows,
                     numeric=[c == "value" for c in columns], breakable_header=False)
