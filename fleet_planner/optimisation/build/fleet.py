"""Fleet columns and the vintage stock balance.

Letters: s segment, t technology, v vintage, y year, c cohort.
"""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.loading.rules import serves_duty
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel


def define_fleet_columns(model: FleetModel, inputs: ModelInputs) -> None:
    """Decision columns: purchases, conversions, sales (integer); stock (continuous, integral through
    its flows); activity per duty band a cohort's range reaches (continuous); with
    one_duty_per_vehicle, the whole vehicles working each band (integer)."""
    for key in inputs.purchase_index:
        model.purchase[key] = model.add_column("p", integer=True)
    for key in inputs.conversion_index:
        model.conversion[key] = model.add_column("c", integer=True)
    for key in inputs.sale_index:
        model.sale[key] = model.add_column("x", integer=True)
    for cohort, y in inputs.lease_buy_out.items():
        model.buy_out[cohort, y] = model.add_column("b", integer=True)
    if inputs.financing is not None:
        for (s, t, y), names in inputs.financing.lease_options.items():
            if (s, t, y) in model.purchase:
                for name in names:
                    model.lease[name, s, t, y] = model.add_column("l", integer=True)
    for cohort, years in inputs.stock_years.items():
        s = cohort[0]
        bands = [d for d in inputs.duty_bands[s] if serves_duty(inputs.range_effective_au[cohort], d)]
        for y in years:
            model.stock[cohort, y] = model.add_column("n")
            for daily in bands:
                model.activity[cohort, daily, y] = model.add_column("a")
                if inputs.one_duty_per_vehicle[s]:
                    model.duty_vehicles[cohort, daily, y] = model.add_column("d", integer=True)
    if inputs.allow_unmet_demand:
        for s in inputs.segments:
            for y in inputs.years:
                for daily in inputs.duty_bands[s]:
                    model.unmet_activity[s, daily, y] = model.add_column("u")
                model.unmet_vehicles[s, y] = model.add_column("w")


def define_stock_balance_rows(model: FleetModel, inputs: ModelInputs) -> None:
    """Vintage balance for every live cohort-year:

    stock[c,y] = stock[c,y-1] (or the initial count) + purchases (y = v) + conversions in
                 - sales[c,y] - conversions out[c,y]
    sales[c,y] + conversions out[c,y] <= stock[c,y-1] (or the initial count), where vehicles also
                 arrive in y: what arrives in a year cannot leave in it (the evaluator's rule)

    In a year where policy removes a live cohort (gas end), everything left must be sold or
    converted: stock[c,y-1] - sales[c,y] - conversions out[c,y] = 0.
    Vehicles a lease supplied and returns at its term's end leave then. Cohorts past their life
    leave without a row (retirement at end of life); leased vehicles of the existing fleet go
    back to the lessor at the lease's end, except those a buy-out lease lets the plan buy: in that
    year the cohort opens with buy_out[c] <= stock[c,y-1] vehicles instead of stock[c,y-1].
    """
    conv_out: dict[tuple, list[int]] = defaultdict(list)
    conv_in: dict[tuple, list[int]] = defaultdict(list)
    for (s, t_from, t_to, v, y), column in model.conversion.items():
        conv_out[(s, t_from, v), y].append(column)
        conv_in[(s, t_to, v), y].append(column)
    first = inputs.first_year
    returned: dict[tuple, list[int]] = defaultdict(list)  # leased vehicles going back at the term's end
    for (name, s, t, y), column in model.lease.items():
        option = inputs.financing.options[name]
        if option.end == "return":
            returned[(s, t, y), y + option.tenor_years].append(column)

    def previous(cohort, y) -> tuple[list[tuple[int, float]], float]:
        """Terms and constant for what the cohort had at the end of y - 1 (after a lease's end: what
        the plan bought out)."""
        if inputs.lease_buy_out.get(cohort) == y:
            return [(model.buy_out[cohort, y], 1.0)], 0.0
        if (cohort, y - 1) in model.stock:
            return [(model.stock[cohort, y - 1], 1.0)], 0.0
        attrs = inputs.cohorts[cohort]
        if attrs["origin"] == "existing" and y == first:
            return [], float(attrs["initial_count"])
        return [], 0.0

    for cohort, years in inputs.stock_years.items():
        s, t, v = cohort
        for y in years:
            prev_terms, prev_count = previous(cohort, y)
            terms = [(model.stock[cohort, y], 1.0)] + [(col, -coef) for col, coef in prev_terms]
            if (s, t, y) in model.purchase and v == y:
                terms.append((model.purchase[s, t, y], -1.0))
            terms += [(col, -1.0) for col in conv_in.get((cohort, y), [])]
            terms += [(col, 1.0) for col in conv_out.get((cohort, y), [])]
            if (cohort, y) in model.sale:
                terms.append((model.sale[cohort, y], 1.0))
            terms += [(col, 1.0) for col in returned.get((cohort, y), [])]
            model.add_row("stock_balance", (s, t, v, y), terms, "==", prev_count)
            arriving = conv_in.get((cohort, y)) or ((s, t, y) in model.purchase and v == y)
            leaving = [*conv_out.get((cohort, y), []), *([model.sale[cohort, y]] if (cohort, y) in model.sale else [])]
            if arriving and leaving:  # vehicles arriving in y cannot leave in y: outflows come from the opening stock
                model.add_row("leave_from_opening", (s, t, v, y),
                              [(col, 1.0) for col in leaving] + [(col, -coef) for col, coef in prev_terms], "<=",
                              prev_count)
    for cohort, y in inputs.lease_buy_out.items():
        model.add_row("lease_buy_out", (*cohort, y), [(model.buy_out[cohort, y], 1.0),
                                                      (model.stock[cohort, y - 1], -1.0)], "<=", 0.0)
    for cohort, y in inputs.forced_exit_year.items():
        prev_terms, prev_count = previous(cohort, y)
        terms = [(col, coef) for col, coef in prev_terms]
        terms += [(model.sale[cohort, y], -1.0)] if (cohort, y) in model.sale else []
        terms += [(col, -1.0) for col in conv_out.get((cohort, y), [])]
        model.add_row("gas_exit", (*cohort, y), terms, "==", -prev_count)
