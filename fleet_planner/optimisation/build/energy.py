"""Energy rows (fuel use per technology-year and fuel slot) and the emission terms.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.inputs import ModelInputs, requirement_keys
from fleet_planner.optimisation.model import FleetModel


def define_energy_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Fuel use per technology-year and fuel slot (GJ). The need of (s,t,y) is
    need = sum_v energy_gj_per_au[c] * activity[c,y]; a fuel f covers fuel[s,t,y,f] / m_f of it
    (m_f: the fuel's energy multiplier). Per slot:

    fixed share:  sum_{f in slot} fuel / m_f = share * need
    range:        share_min * need <= sum_{f in slot} fuel / m_f <= share_max * need
    and, where a slot has a range, all slots together cover the need exactly.

    Fuels that need supply infrastructure get a column only if some option can serve them.
    """
    served = {key for keys in requirement_keys(inputs).values() for key in keys}
    energy_terms: dict[tuple[str, str, int], list[tuple[int, float]]] = defaultdict(list)
    for (cohort, _daily, y), column in model.activity.items():
        s, t, _v = cohort
        energy_terms[s, t, y].append((column, inputs.energy_gj_per_au[cohort]))
    for (s, t, y), slots in inputs.fuel_slots.items():
        need = energy_terms[s, t, y]
        covered = []
        for slot_name, slot in slots.items():
            terms = []
            for f in slot.fuels:
                if f in inputs.supply_fuels and (s, f) not in served:
                    continue
                model.fuel[s, t, y, f] = column = model.add_column("f")
                terms.append((column, 1.0 / slot.energy_multiplier[f]))
            covered += terms
            key = (s, t, y, slot_name)
            if slot.fixed:
                model.add_row("energy_split", key, terms + [(c, -slot.share_min * gj) for c, gj in need], "==", 0.0)
                continue
            model.add_row("energy_share_min", key, terms + [(c, -slot.share_min * gj) for c, gj in need], ">=", 0.0)
            model.add_row("energy_share_max", key, terms + [(c, -slot.share_max * gj) for c, gj in need], "<=", 0.0)
        if any(not slot.fixed for slot in slots.values()):
            model.add_row("energy_need", (s, t, y), covered + [(c, -gj) for c, gj in need], "==", 0.0)


def define_supply_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Fuels with limited supply: sum_{s,t} fuel[s,t,y,f] <= supply limit[f,y] (GJ)."""
    by_fuel_year: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
    for (_s, _t, y, f), column in model.fuel.items():
        if (f, y) in inputs.supply_limit_gj:
            by_fuel_year[f, y].append((column, 1.0))
    for (f, y), limit in inputs.supply_limit_gj.items():
        if by_fuel_year.get((f, y)):
            model.add_row("fuel_supply", (f, y), by_fuel_year[f, y], "<=", limit)


def emission_terms(model: FleetModel, inputs: ModelInputs) -> dict[int, list[tuple[int, float]]]:
    """Emissions per year in the policy scope: sum fuel[s,t,y,f] * factor[s,t,f,y] (tCO2e)."""
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (s, t, y, f), column in model.fuel.items():
        terms[y].append((column, inputs.emission_t_per_gj[s, t, f, y]))
    return terms
