"""Infrastructure rows: integer builds cover the vehicles or fuel they serve.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.coefficients import horizon
from fleet_planner.optimisation.inputs import ModelInputs, requirement_keys
from fleet_planner.optimisation.model import FleetModel


def define_infrastructure_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Infrastructure units (integer builds) cover the vehicles or fuel they serve:

    units[k,y] = existing_k + sum of builds of the last lifetime_k years
    sum_k allocation[k,key,y] >= need[key,y]   (vehicles of (s,t), or GJ of fuel f in s)
    sum_key allocation[k,key,y] <= capacity_k * units[k,y]
    A need with no option to serve it is fixed at zero.
    """
    keys_of = requirement_keys(inputs)
    for k, y in inputs.infrastructure_build_index:
        if keys_of.get(k):
            model.build[k, y] = model.add_column("b", integer=True)
    need: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for (cohort, y), column in model.stock.items():
        s, t, _v = cohort
        if inputs.charging_required.get((s, t)):
            need["vehicles", s, t, y].append((column, 1.0))
    for (s, _t, y, f), column in model.fuel.items():
        if f in inputs.supply_fuels:
            need["energy", s, f, y].append((column, 1.0))
    serving: dict[tuple, list[int]] = defaultdict(list)
    for k, keys in keys_of.items():
        option = inputs.infrastructure[k]
        for y in inputs.years:
            if (k, y) not in model.build:
                continue
            capacity_terms = []
            for key in keys:
                if (option.basis, *key, y) in need:
                    column = model.add_column("l")
                    model.allocation[k, key, y] = column
                    serving[option.basis, *key, y].append(column)
                    capacity_terms.append((column, 1.0))
            builds = [(model.build[k, b], -option.capacity_per_unit) for b in inputs.years
                      if b <= y < b + option.lifetime_years]
            model.add_row("infrastructure_capacity", (k, y), capacity_terms + builds, "<=",
                          option.capacity_per_unit * option.existing_in(y))
    for key, terms in need.items():
        allocated = [(col, 1.0) for col in serving.get(key, [])]
        model.add_row("infrastructure_need", key, allocated + [(c, -coef) for c, coef in terms], ">=", 0.0)


def infrastructure_end_share(inputs: ModelInputs, lifetime_years: int, build_year: int) -> float:
    """Share of an infrastructure unit's capex still to be used after the last year, by the
    scenario's end_of_horizon treatment (coefficients/horizon.py)."""
    return horizon.infrastructure_end_share(inputs.end_of_horizon, inputs.scenario.discount_rate, lifetime_years,
                                            build_year, inputs.last_year)
