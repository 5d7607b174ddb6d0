"""Infeasibility diagnosis: which rule fails, in which year and segment, and by how much.

CBC and HiGHS give no irreducible infeasible set through PuLP, so fleet-planner solves again
with penalised slack on the rules that can bind (emission cap, zero-emission share, budget,
purchase and sale limits) and on demand and service (unmet demand). The slack the solver has to
use is the shortfall. A second solve minimises emissions under all other rules, so the user sees
how low the fleet could go each year.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from fleet_planner.optimisation.build import emission_terms
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import MONEY_ROWS
from fleet_planner.optimisation.run import solve_inputs

SLACK_TOLERANCE = 1e-6
UNMET_FACTOR = 1e4
UNITS = {"emission_cap": "tCO2e", "zero_emission_share": "vehicles (zero-emission share)",
         "zero_emission_share_segment": "vehicles (zero-emission share)",
         "zero_emission_purchases": "vehicles bought (zero-emission share)", "sales_max_share": "vehicles",
         "capex_budget": "currency", "purchases_max": "vehicles", "sales_max": "vehicles",
         "demand": "activity units", "service": "vehicles"}


@dataclass
class Diagnosis:
    shortfalls: pd.DataFrame  # rule, year, segment, shortfall, unit, detail
    lowest_emissions: pd.DataFrame  # year, lowest_emissions_tco2e, cap_tco2e
    note: str = ""

    def messages(self) -> list[str]:
        lines = []
        for r in self.shortfalls.itertuples():
            lines.append(f"{r.year} {r.rule} ({r.segment}): short by {r.shortfall:,.2f} {r.unit}. {r.detail}")
        if not lines:
            lines.append("the solver reports the rules infeasible, but no single rule's slack explains it; "
                         "check locked cohorts, gas_end_year and infrastructure options.")
        capped = self.lowest_emissions.dropna(subset=["cap_tco2e"])
        if not capped.empty:
            worst = capped.loc[(capped["lowest_emissions_tco2e"] - capped["cap_tco2e"]).idxmax()]
            lines.append(
                f"lowest emissions reachable under the other rules (least-emitting plan): {int(worst['year'])} "
                f"{worst['lowest_emissions_tco2e']:,.1f} tCO2e against a cap of {worst['cap_tco2e']:,.1f}; "
                "see diagnosis.csv for every year. Relax the cap there, allow more technologies or fuels, "
                "or widen the budget.")
        return lines

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"diagnosis": self.shortfalls, "lowest_emissions": self.lowest_emissions}


def diagnose_infeasibility(inputs: ModelInputs, settings) -> Diagnosis:
    """Solve with slack to find the shortfalls, and once more for the lowest reachable emissions."""
    # unmet demand is the last resort: a rule's slack is preferred wherever it explains the problem
    relaxed = dataclasses.replace(inputs, allow_unmet_demand=True, emission_cap_t=dict(inputs.emission_cap_t),
                                  unmet_penalty_per_au={s: p * UNMET_FACTOR for s, p in inputs.unmet_penalty_per_au.items()})
    model, result, _ = solve_inputs(relaxed, settings, diagnose=True)
    rows = []
    if result.has_plan:
        values = result.values
        emissions_by_segment = {}
        for (s, _t, y, f), column in model.fuel.items():
            emissions_by_segment.setdefault(y, {}).setdefault(s, 0.0)
            emissions_by_segment[y][s] += values[column] * relaxed.emission_t_per_gj[s, _t, f, y]
        for (block, key), column in model.slack.items():
            amount = float(values[column])
            if amount <= SLACK_TOLERANCE:
                continue
            if block in MONEY_ROWS:  # in model money units
                amount *= model.money_scale
            where, year = key if len(key) == 2 else ("fleet", key[0])
            detail = ""
            if block == "emission_cap":
                by_seg = emissions_by_segment.get(year, {})
                top = sorted(by_seg.items(), key=lambda kv: -kv[1])[:3]
                detail = "Largest emitters that year: " + ", ".join(f"{s} {e:,.1f} t" for s, e in top) + "."
            if block.startswith("zero_emission"):
                detail = "Zero-emission vehicles missing to reach the share."
            unit = relaxed.currency if block in MONEY_ROWS else UNITS.get(block, "")
            rows.append((block, year, where, amount, unit, detail))
        for (s, daily, y), column in model.unmet_activity.items():
            if values[column] > SLACK_TOLERANCE:
                rows.append(("demand", y, s, float(values[column]), relaxed.activity_unit[s],
                             f"Activity of the {daily:g} {relaxed.activity_unit[s]}/day duties no allowed vehicle "
                             "can deliver (bans, range, availability)."))
        for (s, y), column in model.unmet_vehicles.items():
            if values[column] > SLACK_TOLERANCE:
                rows.append(("service", y, s, float(values[column]), "vehicles", "Vehicles missing for the service."))
        note = ""
    else:
        note = f"the diagnosis solve found no plan either ({result.message})"
    shortfalls = pd.DataFrame(rows, columns=["rule", "year", "segment", "shortfall", "unit", "detail"])
    shortfalls = shortfalls.sort_values(["year", "rule", "segment"], kind="mergesort").reset_index(drop=True)

    # the least-emitting plan under every rule except the cap
    uncapped = dataclasses.replace(inputs, allow_unmet_demand=True, emission_cap_t={})
    model2, _r, _ = solve_inputs(uncapped, settings, diagnose=True, objective="emissions")
    lowest = []
    if _r.has_plan:
        terms = emission_terms(model2, uncapped)
        for y in inputs.years:
            lowest.append((y, float(sum(_r.values[c] * coef for c, coef in terms.get(y, []))),
                           inputs.emission_cap_t.get(y)))
    lowest_df = pd.DataFrame(lowest, columns=["year", "lowest_emissions_tco2e", "cap_tco2e"])
    return Diagnosis(shortfalls=shortfalls, lowest_emissions=lowest_df, note=note)
