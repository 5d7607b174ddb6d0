"""`fleet-planner mrv`: the MRV of a project in a result folder, computed by the accounts
(accounts/mrv.py), written as mrv_*.csv beside the plan tables (so the report and the workbook show
them) and printed for the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from fleet_planner.accounts.mrv import METHOD_NOTE, MrvResult, mrv_accounts
from fleet_planner.loading.catalogue import load_catalogue
from fleet_planner.loading.mrv import load_mrv_data
from fleet_planner.reporting.report import read_result_tables
from fleet_planner.reporting.results import write_csv
from fleet_planner.schemas.mrv import MRV_TABLES, MrvProject


def mrv_from_folder(result_dir: Path, project: MrvProject, data_dir: Path) -> MrvResult:
    """Compute the MRV of `project` in the result folder and write mrv_*.csv into it (the MRV data
    files used are copied to inputs/mrv/)."""
    from fleet_planner.loading.scenario import load_scenario

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
             f"Project: {str(s['technologies']).replace(';', ', ')} in {s['segment']}, decisions {s['decision_first_year']}-"
             f"{s['decision_last_year']} ({s['project_vehicles_count']:,.0f} vehicles); crediting "
             f"{s['crediting_first_year']}-{s['crediting_last_year']}",
             f"Reference: {s['reference_technology']} on {s['reference_fuel']}, "
             f"{s['reference_fuel_units_per_au']:.4f} {s['reference_fuel_unit']}/{s['activity_unit']} (conservative)",
             f"{'year':>6} {'vehicles':>9} {'activity':>12} {'RE tCO2e':>10} {'PE tCO2e':>10} {'ER tCO2e':>10}"]
    for r in result.tables["mrv_yearly"].itertuples():
        lines.append(f"{r.year:>6} {r.project_vehicles_count:>9,.1f} {r.activity_au:>12,.0f} "
                     f"{r.reference_tco2e:>10,.2f}"
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
        lines.append("Cost-effectiveness: none (no grant on these decisions, or no emission reductions)")
    lines.append("Parameters to monitor: " + "; ".join(result.tables["mrv_monitoring"]["parameter"]))
    return "\n".join(lines)
