"""The MRV of a result folder: computed by the accounts (accounts/mrv.py), written as mrv_*.csv
tables beside the plan tables (so the report and the workbook show them), printed for the
terminal, and turned into the report's MRV section."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from fleet_planner.accounts.mrv import METHOD_NOTE, MrvResult, mrv_accounts
from fleet_planner.loading.catalogue import load_catalogue
from fleet_planner.loading.mrv import load_mrv_data
from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.results import write_csv
from fleet_planner.reporting.table_data import TableData
from fleet_planner.schemas.mrv import MRV_TABLES, MrvProject

MRV_TABLE_NAMES = ("mrv_summary", "mrv_yearly", "mrv_energy", "mrv_cohorts", "mrv_parameters", "mrv_monitoring")


def mrv_from_folder(result_dir: Path, project: MrvProject, data_dir: Path) -> MrvResult:
    """Compute the MRV of `project` in the result folder and write mrv_*.csv into it (the MRV data
    files used are copied to inputs/mrv/)."""
    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.reporting.report import read_result_tables

    result_dir = Path(result_dir)
    tables = read_result_tables(result_dir)
    scenario = load_scenario(result_dir / "scenario.resolved.yaml")
    catalogue = load_catalogue(result_dir / "inputs" / "vehicles", result_dir / "inputs" / "fuels")
    data = load_mrv_data(Path(data_dir))
    result = mrv_accounts(tables, scenario, catalogue, data, project)
    for name, frame in result.tables.items():
        write_csv(frame, result_dir / f"{name}.csv")
    copy = result_dir / "inputs" / "mrv"
    copy.mkdir(parents=True, exist_ok=True)
    for file, _model, _unique in MRV_TABLES.values():
        shutil.copyfile(Path(data_dir) / file, copy / file)
    return result


def format_mrv(result: MrvResult) -> str:
    """The MRV for the terminal: the label, the project, yearly RE / PE / ER and the cost-effectiveness."""
    s = result.summary
    cur = s["currency"]
    lines = [f"MRV of {s['project']}: {METHOD_NOTE}",
             f"Project: {s['technologies']} in {s['segment']}, decisions {s['decision_first_year']}-"
             f"{s['decision_last_year']} ({s['project_vehicles_count']:,.0f} vehicles); crediting "
             f"{s['crediting_first_year']}-{s['crediting_last_year']}",
             f"Reference: {s['reference_technology']} on {s['reference_fuel']}, "
             f"{s['reference_fuel_units_per_au']:.4f} {s['reference_fuel_unit']}/{s['activity_unit']} (conservative)",
             f"{'year':>6} {'vehicles':>9} {'activity':>12} {'RE tCO2e':>10} {'PE tCO2e':>10} {'ER tCO2e':>10}"]
    for r in result.tables["mrv_yearly"].itertuples():
        lines.append(f"{r.year:>6} {r.project_vehicles_count:>9,.1f} {r.activity_au:>12,.0f} {r.reference_tco2e:>10,.2f}"
                     f" {r.project_tco2e:>10,.2f} {r.er_tco2e:>10,.2f}")
    lines.append(f"{'total':>6} {'':>9} {'':>12} {s['reference_tco2e']:>10,.2f} {s['project_tco2e']:>10,.2f} "
                 f"{s['er_tco2e']:>10,.2f}")
    lines.append(f"Yearly ER (mean over the crediting period): {s['yearly_er_tco2e']:,.2f} tCO2e; legal useful life "
                 f"{s['legal_useful_life_years']:g} years")
    lines.append(f"Grant ({s['grant_source']}): {s['grant_cost']:,.0f} {cur} = {s['grant_jpy']:,.0f} JPY")
    if pd.notna(s["cost_effectiveness_per_tco2e"]):
        lines.append(f"Cost-effectiveness = grant / (yearly ER x legal useful life): "
                     f"{s['cost_effectiveness_jpy_per_tco2e']:,.0f} JPY/tCO2e "
                     f"({s['cost_effectiveness_per_tco2e']:,.0f} {cur}/tCO2e)")
    else:
        lines.append("Cost-effectiveness: none (no emission reductions)")
    lines.append("Parameters to monitor: " + "; ".join(result.tables["mrv_monitoring"]["parameter"]))
    return "\n".join(lines)


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
                tables.get("mrv_monitoring"), ["parameter", "symbol", "unit", "measured_by", "frequency", "source_id"], t)}


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
