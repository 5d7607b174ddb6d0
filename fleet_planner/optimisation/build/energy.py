"""Energy rows (fuel use per technology-year and fuel slot) and the emission terms.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.inputs import ModelInputs, requirement_keys
from fleet_planner.optimisation.model import FleetModel


def define_energy_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Fuel use per technology-year and fuel slot (GJ):

    sum_{f in slot} fuel[s,t,y,f] = share_slot * sum_v energy_gj_per_au[c] * activity[c,y]

    Fuels that need supply infrastructure get a column only if some option can serve them.
    """
    served = {key for keys in requirement_keys(inputs).values() for key in keys}
    energy_terms: dict[tuple[str, str, int], list[tuple[int, float]]] = defaultdict(list)
    for (cohort, y), column in model.activity.items():
        s, t, _v = cohort
        energy_terms[s, t, y].append((column, inputs.energy_gj_per_au[cohort]))
    for (s, t, y), slots in inputs.fuel_slots.items():
        for slot, (share, fuels) in slots.items():
            terms = []
            for f in fuels:
                if f in inputs.supply_fuels and (s, f) not in served:
                    continue
                model.fuel[s, t, y, f] = column = model.add_column("f")
                terms.append((column, 1.0))
            terms += [(col, -share * gj) for col, gj in energy_terms[s, t, y]]
            model.add_row("energy_split", (s, t, y, slot), terms, "==", 0.0)


def emission_terms(model: FleetModel, inputs: ModelInputs) -> dict[int, list[tuple[int, float]]]:
    """Emissions per year in the policy scope: sum fuel[s,t,y,f] * factor[s,t,f,y] (tCO2e)."""
    terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (s, t, y, f), column in model.fuel.items():
        terms[y].append((column, inputs.emission_t_per_gj[s, t, f, y]))
    return terms
