"""Activity rows: per-vehicle limits, demand, service, duty bands (range) and fleet-size cuts.
"""

from __future__ import annotations

import math
from collections import defaultdict

from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel

ROUNDING = 1e-6  # a requirement within this of an integer is that integer


def define_activity_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Activity rows per segment and year.

    * per vehicle: activity[c,y] <= activity_cap_au[c] * stock[c,y] (segment maximum; usable range x
      operating days for range-limited vehicles)
    * demand: sum_c activity[c,y] (+ unmet) >= demand_au[s,y]
    * service: sum_c stock[c,y] (+ unmet vehicles) >= vehicles required incl. spares
    * duty bands (range): activity of cohorts whose effective range is below the daily duty
      d_k of band k <= demand x (share of the bands shorter than d_k). Eligibility is nested
      (a longer range serves every shorter duty), so these rows are exact.
    """
    by_segment_year: dict[tuple[str, int], list] = defaultdict(list)
    for (cohort, y), column in model.activity.items():
        s = cohort[0]
        by_segment_year[s, y].append((cohort, column))
        model.add_row("activity_limit", (*cohort, y),
                      [(column, 1.0), (model.stock[cohort, y], -inputs.activity_cap_au[cohort])], "<=", 0.0)
    for s in inputs.segments:
        for y in inputs.years:
            members = by_segment_year.get((s, y), [])
            demand = inputs.demand_au[s, y]
            terms = [(column, 1.0) for _c, column in members]
            if (s, y) in model.unmet_activity:
                terms.append((model.unmet_activity[s, y], 1.0))
            if demand > 0:
                model.add_row("demand", (s, y), terms, ">=", demand)
            required = inputs.vehicles_required_count.get((s, y))
            if required:
                terms = [(model.stock[c, y], 1.0) for c, _col in members]
                if (s, y) in model.unmet_vehicles:
                    terms.append((model.unmet_vehicles[s, y], 1.0))
                # stock is integral, so the requirement rounds up (a tighter, equivalent row)
                rhs = required if inputs.allow_unmet_demand else math.ceil(required - ROUNDING)
                model.add_row("service", (s, y), terms, ">=", rhs)
            shorter_share = 0.0
            for daily, share in inputs.duty_bands[s]:
                limited = [col for c, col in members
                           if inputs.range_effective_au[c] is not None and inputs.range_effective_au[c] < daily]
                if limited and demand > 0:
                    model.add_row("duty_range", (s, y, daily), [(col, 1.0) for col in limited], "<=",
                                  demand * shorter_share)
                    if not inputs.allow_unmet_demand:
                        define_fleet_size_cut(model, inputs, s, y, members, daily, demand * (1 - shorter_share))
                shorter_share += share
            if demand > 0 and not inputs.allow_unmet_demand:
                define_fleet_size_cut(model, inputs, s, y, members, 0.0, demand)


def define_fleet_size_cut(model: FleetModel, inputs: ModelInputs, s: str, y: int, members: list, daily: float,
                          activity: float) -> None:
    """Valid inequalities (not rules) on the vehicles able to serve duties of at least `daily` au/day.

    They must deliver `activity`: sum_c cap_c * stock_c >= activity. For each distinct yearly cap k
    among them, Chvatal-Gomory rounding gives sum_c ceil(cap_c / k) * stock_c >= ceil(activity / k).
    Stock is integral, so these only cut off fractional LP points; they tighten the bound of small
    fleets by an order of magnitude.
    """
    able = [c for c, _col in members if inputs.range_effective_au[c] is None or inputs.range_effective_au[c] >= daily]
    if not able or activity <= 0:
        return
    for divisor in sorted({round(inputs.activity_cap_au[c], 6) for c in able}):
        rhs = math.ceil(activity / divisor - ROUNDING)
        terms = [(model.stock[c, y], float(math.ceil(inputs.activity_cap_au[c] / divisor - ROUNDING))) for c in able]
        model.add_row("fleet_size_cut", (s, y, daily, divisor), terms, ">=", rhs)
