"""The end of the horizon, economic treatment (coefficients/horizon.py): every vehicle left is
worth its resale value, and the vehicles still in service in the last year are worth the service
they have left on top. A vehicle kept idle in the last year only to be valued is worth no more
than a buyer would pay for it."""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.optimisation.build.financing import lease_outstanding
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


def define_end_service_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """in_service[c] <= stock[c,last] - vehicles still leased;
    in_service[c] <= (1 + spare share) x sum_k activity[c,k,last] / (d_k x days)
    (the vehicles at work on an average operating day, with the segment's spares)."""
    last = inputs.last_year
    work: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for (cohort, daily, y), column in model.activity.items():
        if y == last:
            s = cohort[0]
            work[cohort].append((column, (1 + inputs.spare_share[s]) / (daily * inputs.operating_days[s])))
    for cohort in inputs.end_service_premium:
        if (cohort, last) not in model.stock or cohort not in work:
            continue
        model.in_service[cohort] = column = model.add_column("v")
        stock = model.stock[cohort, last]
        leased = lease_outstanding(model, inputs, cohort, last + 1)  # not the owner's after the horizon
        model.in_service_terms[column] = (stock, work[cohort], leased)
        model.add_row("end_in_service", (*cohort, "stock"), [(column, 1.0), (stock, -1.0), *((c, 1.0) for c in leased)],
                      "<=", 0.0)
        model.add_row("end_in_service", (*cohort, "work"), [(column, 1.0), *((c, -k) for c, k in work[cohort])],
                      "<=", 0.0)


def settle_in_service(model: FleetModel, values) -> float:
    """Set each in_service column to its largest feasible value, min(stock, vehicles at work), in
    place; returns the change of the objective (model units, <= 0): a plan returned within the MIP
    gap may leave service value unclaimed, which the evaluator would count."""
    change = 0.0
    for column, (stock, work, leased) in model.in_service_terms.items():
        owned = float(values[stock]) - float(sum(values[c] for c in leased))
        best = max(0.0, min(owned, float(sum(values[c] * k for c, k in work))))
        change += model.col_cost[column] * (best - float(values[column]))
        values[column] = best
    return change
