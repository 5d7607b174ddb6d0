"""Build the fleet MILP from ModelInputs: a recipe of small define_* blocks.

Each block adds one family of columns or rows; its docstring states the rows in the units of
ModelInputs (money in the scenario currency / money_scale, energy GJ, emissions tCO2e, activity
in the segment's activity unit au). docs/model.md describes the same blocks in words.

Letters: s segment, t technology, v vintage, y year, f fuel, k infrastructure option, c cohort.
"""

from __future__ import annotations

from fleet_planner.optimisation.build.activity import define_activity_rows
from fleet_planner.optimisation.build.energy import define_energy_rows, define_supply_rows, emission_terms
from fleet_planner.optimisation.build.financing import define_financing_rows
from fleet_planner.optimisation.build.fleet import define_fleet_columns, define_stock_balance_rows
from fleet_planner.optimisation.build.horizon import define_end_service_rows
from fleet_planner.optimisation.build.infrastructure import define_infrastructure_rows
from fleet_planner.optimisation.build.objective import define_emissions_objective, define_objective
from fleet_planner.optimisation.build.policy import (
    capex_terms,
    define_budget_rows,
    define_count_limit_rows,
    define_emission_cap_rows,
    define_sales_share_rows,
    define_zero_emission_share_rows,
)
from fleet_planner.optimisation.build.subsidies import define_subsidy_rows
from fleet_planner.optimisation.build.tightening import define_integer_stock
from fleet_planner.optimisation.build.wear import define_wear_rows
from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel

__all__ = ["build_model", "capex_terms", "emission_terms"]


def build_model(inputs: ModelInputs, *, diagnose: bool = False, objective: str = "cost",
                tighten: bool = True) -> FleetModel:
    """Assemble the MILP. With diagnose=True, the binding rules get penalised slack columns;
    objective="emissions" minimises total emissions instead of cost (diagnosis); tighten=False
    leaves out the structure-chosen integer stock (build/tightening.py)."""
    model = FleetModel(name=inputs.scenario.name, money_scale=inputs.money_scale)
    define_fleet_columns(model, inputs)
    define_stock_balance_rows(model, inputs)
    define_activity_rows(model, inputs)
    define_wear_rows(model, inputs)
    define_end_service_rows(model, inputs)
    define_energy_rows(model, inputs)
    define_supply_rows(model, inputs)
    define_infrastructure_rows(model, inputs)
    define_subsidy_rows(model, inputs)
    define_financing_rows(model, inputs)
    define_emission_cap_rows(model, inputs, diagnose)
    define_zero_emission_share_rows(model, inputs, diagnose)
    define_budget_rows(model, inputs, diagnose)
    define_count_limit_rows(model, inputs, diagnose)
    define_sales_share_rows(model, inputs, diagnose)
    define_objective(model, inputs)
    if tighten:
        define_integer_stock(model, inputs)
    if objective == "emissions":
        define_emissions_objective(model, inputs)
    return model
