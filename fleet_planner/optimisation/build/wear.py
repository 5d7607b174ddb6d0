"""Wear by use (coefficients/wear.py): activity beyond a part's yearly allowance is charged."""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


def define_wear_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """For each cohort-year and wearing part (chassis, battery, fuel-cell stack):

    wear[c,part,y] >= sum_k activity[c,k,y] - allowance[c,part] x stock[c,y],  wear >= 0

    The objective charges wear at cost_per_au[c,part,y], so it equals the use beyond the allowance.
    """
    activity: dict[tuple, list[int]] = defaultdict(list)
    for (cohort, _daily, y), column in model.activity.items():
        activity[cohort, y].append(column)
    for (cohort, part), allowance in inputs.wear_allowance_au.items():
        for y in inputs.stock_years[cohort]:
            columns = activity.get((cohort, y))
            if not columns:
                continue
            model.wear[cohort, part, y] = wear = model.add_column("e")
            model.wear_terms[wear] = (columns, model.stock[cohort, y], allowance)
            terms = [(wear, 1.0), *((column, -1.0) for column in columns), (model.stock[cohort, y], allowance)]
            model.add_row("wear_excess", (*cohort, part, y), terms, ">=", 0.0)


def settle_wear(model: FleetModel, values) -> float:
    """Set each wear column to its least feasible value, max(0, activity - allowance x stock), in
    place; returns the change of the objective (model units, <= 0). A plan the solver returns
    within its MIP gap may carry wear above that (a cost it could still shave); the evaluator
    charges exactly the excess, so the plan's cost must too."""
    change = 0.0
    for wear, (activity, stock, allowance) in model.wear_terms.items():
        least = max(0.0, float(sum(values[c] for c in activity)) - allowance * float(values[stock]))
        change += model.col_cost[wear] * (least - float(values[wear]))
        values[wear] = least
    return change
