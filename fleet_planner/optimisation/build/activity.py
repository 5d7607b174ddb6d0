"""Activity rows: duties bind vehicles (a vehicle on a duty covers its daily activity on each
operating day), demand per duty band, vehicles in service and spares.

Letters: s segment, c cohort, k duty band (its daily activity d_k), y year; days: the segment's
operating days; N_k = band demand / (d_k x days), the vehicles band k needs at once.
"""

from __future__ import annotations

import math
from collections import defaultdict

from fleet_planner.loading.rules import serves_duty
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel

ROUNDING = 1e-6  # a requirement within this of an integer is that integer


def define_activity_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Activity rows per cohort, duty band, segment and year.

    * duty time: sum_k activity[c,k,y] / (d_k x days) <= stock[c,y] (a vehicle works one duty a
      day; over the year its days may be split between bands). With one_duty_per_vehicle:
      activity[c,k,y] <= d_k x days x duty_vehicles[c,k,y] and sum_k duty_vehicles <= stock.
    * demand: sum_c activity[c,k,y] (+ unmet) >= demand[s,y] x share_k (only cohorts whose usable
      range reaches d_k have a column for band k)
    * service: sum_c stock[c,y] (+ unmet vehicles) >= vehicles required incl. spares
    * duty vehicles: the vehicles able to serve bands k and longer >= (1 + spare share) x
      sum_{k' >= k} N_k' (spares for a long duty need its range too); rounded up, as stock is
      integral, which also makes these rows strong cuts.
    """
    per_cohort_year: dict[tuple, list] = defaultdict(list)
    per_band: dict[tuple[str, float, int], list] = defaultdict(list)
    for (cohort, daily, y), column in model.activity.items():
        per_cohort_year[cohort, y].append((daily, column))
        per_band[cohort[0], daily, y].append(column)
    for (cohort, y), columns in per_cohort_year.items():
        define_duty_time_rows(model, inputs, cohort, y, columns)
    stock_of: dict[tuple[str, int], list] = defaultdict(list)
    for cohort, y in model.stock:
        stock_of[cohort[0], y].append(cohort)
    for s in inputs.segments:
        for y in inputs.years:
            for daily in inputs.duty_bands[s]:
                need = inputs.band_demand_au[s, daily, y]
                terms = [(column, 1.0) for column in per_band.get((s, daily, y), [])]
                if (s, daily, y) in model.unmet_activity:
                    terms.append((model.unmet_activity[s, daily, y], 1.0))
                if need > 0:
                    model.add_row("demand", (s, daily, y), terms, ">=", need)
            define_service_row(model, inputs, s, y, stock_of[s, y])
            define_duty_vehicle_rows(model, inputs, s, y, stock_of[s, y])


def define_duty_time_rows(model: FleetModel, inputs: ModelInputs, cohort: tuple, y: int,
                          columns: list[tuple[float, int]]) -> None:
    """A vehicle covers one duty's daily activity per operating day (see define_activity_rows)."""
    days = inputs.operating_days[cohort[0]]
    stock = model.stock[cohort, y]
    if not inputs.one_duty_per_vehicle[cohort[0]]:
        terms = [(column, 1.0 / (daily * days)) for daily, column in columns]
        model.add_row("duty_time", (*cohort, y), [*terms, (stock, -1.0)], "<=", 0.0)
        return
    assigned = []
    for daily, column in columns:
        vehicles = model.duty_vehicles[cohort, daily, y]
        model.add_row("duty_activity", (*cohort, daily, y), [(column, 1.0), (vehicles, -daily * days)], "<=", 0.0)
        assigned.append((vehicles, 1.0))
    model.add_row("duty_assignment", (*cohort, y), [*assigned, (stock, -1.0)], "<=", 0.0)


def define_service_row(model: FleetModel, inputs: ModelInputs, s: str, y: int, members: list) -> None:
    """Vehicles in service (the scenario's vehicles_required_count, spares included)."""
    required = inputs.vehicles_required_count.get((s, y))
    if not required:
        return
    terms = [(model.stock[c, y], 1.0) for c in members]
    if (s, y) in model.unmet_vehicles:
        terms.append((model.unmet_vehicles[s, y], 1.0))
    rhs = required if inputs.allow_unmet_demand else math.ceil(required - ROUNDING)
    model.add_row("service", (s, y), terms, ">=", rhs)


def define_duty_vehicle_rows(model: FleetModel, inputs: ModelInputs, s: str, y: int, members: list) -> None:
    """Range-capable vehicles for each band and the longer ones, with spares (nested: a vehicle
    that reaches d_k reaches every shorter duty)."""
    bands = inputs.duty_bands[s]
    spare = 1.0 + inputs.spare_share[s]
    for i, daily in enumerate(bands):
        needed = spare * sum(inputs.duties_count[s, d, y] for d in bands[i:])
        if needed <= ROUNDING:
            continue
        terms = [(model.stock[c, y], 1.0) for c in members if serves_duty(inputs.range_effective_au[c], daily)]
        if (s, y) in model.unmet_vehicles:
            terms.append((model.unmet_vehicles[s, y], 1.0))
        rhs = needed if inputs.allow_unmet_demand else math.ceil(needed - ROUNDING)
        model.add_row("duty_vehicles", (s, daily, y), terms, ">=", rhs)

