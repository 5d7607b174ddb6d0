"""Run a fleet whose decisions are fixed: a client's plan, operated as well as the rules allow.

The plan's purchases, conversions, sales, lease buy-outs and infrastructure builds become bounds
on the model's integer columns (every decision the plan does not make is fixed at zero; a sale
or conversion without a model year is a row on the sum over the cohorts, so the stock stays
whole). What is left to the solver is how the fleet is run: activity per cohort and duty, fuel
choice, grant claims. Rules the plan may break become measured violations instead of an
infeasible model: the policy rules (emission cap, zero-emission shares, budget, purchase and
disposal limits) get the diagnosis run's penalised slack, demand and service penalised unmet
demand (far dearer, so the fleet serves first), and the gas exit and infrastructure needs a
penalised slack too. Activity or fuel use the plan states are fixed where given.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from fleet_planner.optimisation.build.objective import diagnosis_penalty
from fleet_planner.optimisation.diagnose import UNMET_FACTOR
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import SENSES, FleetModel
from fleet_planner.optimisation.run import solve_inputs

SOFT_ROWS = ("gas_exit", "infrastructure_need")
"""Rows beyond the policy rules that a fixed plan may break: each gets a penalised slack column."""


@dataclass
class FixedPlan:
    """Decisions to hold fixed, keyed like the model's columns (missing keys: fixed at zero)."""

    purchases: dict[tuple[str, str, int], float] = field(default_factory=dict)
    conversions: dict[tuple[str, str, str, int, int], float] = field(default_factory=dict)  # (s, from, to, v, y)
    sales: dict[tuple[tuple[str, str, int], int], float] = field(default_factory=dict)  # (cohort, y)
    buy_outs: dict[tuple[tuple[str, str, int], int], float] = field(default_factory=dict)  # (cohort, y)
    builds: dict[tuple[str, int], float] = field(default_factory=dict)  # (option, y)
    any_sales: dict[tuple[str, str, int], float] = field(default_factory=dict)  # (s, t, y): cohorts left open
    any_conversions: dict[tuple[str, str, str, int], float] = field(default_factory=dict)  # (s, from, to, y)
    activity: dict[tuple, float] = field(default_factory=dict)  # (cohort, daily au, y)
    fuel: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # (s, t, y, f)


class UnrepresentedDecisions(Exception):
    """Decisions of the plan that the scenario gives no column for (not allowed then, or past the
    cohort's life): [(kind, key)]."""

    def __init__(self, missing: list[tuple[str, tuple]]) -> None:
        super().__init__(f"{len(missing)} decision(s) without a column")
        self.missing = missing


def solve_fixed(inputs: ModelInputs, settings, plan: FixedPlan, *, progress=None):
    """Solve the model with the plan's decisions fixed and the rules softened; returns
    (model, SolveResult). Raises UnrepresentedDecisions before solving if a decision has no column."""
    relaxed = dataclasses.replace(inputs, allow_unmet_demand=True, emission_cap_t=dict(inputs.emission_cap_t),
                                  unmet_penalty_per_au={s: p * UNMET_FACTOR
                                                        for s, p in inputs.unmet_penalty_per_au.items()})

    def adjust(model: FleetModel) -> None:
        missing = fix_decisions(model, plan)
        if missing:
            raise UnrepresentedDecisions(missing)
        add_row_slack(model, relaxed, SOFT_ROWS)

    model, result, _build_s = solve_inputs(relaxed, settings, diagnose=True, progress=progress, adjust=adjust)
    return model, result


def fix_decisions(model: FleetModel, plan: FixedPlan) -> list[tuple[str, tuple]]:
    """Bound the decision columns to the plan; return the plan's decisions that have no column."""
    missing: list[tuple[str, tuple]] = []
    open_sales = {(cohort[0], cohort[1], y) for cohort, y in model.sale} & set(plan.any_sales)
    open_conversions = {(s, tf, tt, y) for s, tf, tt, _v, y in model.conversion} & set(plan.any_conversions)
    for kind, columns, fixed, is_open in (
            ("purchase", model.purchase, plan.purchases, lambda _k: False),
            ("conversion", model.conversion, plan.conversions, lambda k: (k[0], k[1], k[2], k[4]) in open_conversions),
            ("sale", model.sale, plan.sales, lambda k: (k[0][0], k[0][1], k[1]) in open_sales),
            ("lease_buy_out", model.buy_out, plan.buy_outs, lambda _k: False),
            ("infrastructure_build", model.build, plan.builds, lambda _k: False)):
        for key, column in columns.items():
            if not is_open(key) or key in fixed:
                _fix(model, column, fixed.get(key, 0.0))
        missing += [(kind, key) for key, value in fixed.items() if value and key not in columns]
    sale_terms: dict[tuple, list] = defaultdict(list)
    for (cohort, y), column in model.sale.items():
        if (key := (cohort[0], cohort[1], y)) in open_sales and (cohort, y) not in plan.sales:
            sale_terms[key].append((column, 1.0))
    conversion_terms: dict[tuple, list] = defaultdict(list)
    for (s, tf, tt, v, y), column in model.conversion.items():
        if (key := (s, tf, tt, y)) in open_conversions and (s, tf, tt, v, y) not in plan.conversions:
            conversion_terms[key].append((column, 1.0))
    for kind, wanted, terms in (("sale", plan.any_sales, sale_terms),
                                ("conversion", plan.any_conversions, conversion_terms)):
        for key, count in wanted.items():
            if key in terms:
                model.add_row(f"client_{kind}", key, terms[key], "==", count)
            elif count:
                missing.append((kind, key))
    for kind, columns, fixed in (("activity", model.activity, plan.activity), ("fuel", model.fuel, plan.fuel)):
        for key, value in fixed.items():
            if key in columns:
                _fix(model, columns[key], value)
            elif value:
                missing.append((kind, key))
    return missing


def _fix(model: FleetModel, column: int, value: float) -> None:
    model.col_lower[column] = value
    model.col_upper[column] = value


def add_row_slack(model: FleetModel, inputs: ModelInputs, blocks: tuple[str, ...]) -> None:
    """Give every row of these blocks a penalised slack column (named in model.slack) that lets the
    row be broken: a <= or == row may exceed its right-hand side, a >= row fall short of it."""
    index, value, start = [], [], [0]
    scale = 1.0 / inputs.money_scale
    for row in range(model.num_rows):
        begin, end = model.row_start[row], model.row_start[row + 1]
        index.extend(model.row_index[begin:end])
        value.extend(model.row_value[begin:end])
        block = model.row_block[row]
        if block in blocks:
            column = model.add_column("z")
            model.slack[block, model.row_key[row]] = column
            model.add_cost(column, diagnosis_penalty(inputs, block) * scale)
            index.append(column)
            value.append(1.0 if model.row_sense[row] == SENSES[">="] else -1.0)
        start.append(len(index))
    model.row_index, model.row_value, model.row_start = index, value, start
