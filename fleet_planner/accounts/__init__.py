"""Accounts: the independent evaluator of a plan (and, later, financing cash flows and MRV).

It recomputes stock, activity, energy, emissions and every cost from a plan's decisions and the
validated scenario and catalogue, with its own coefficients; it imports nothing from
`fleet_planner.optimisation`.
"""

from fleet_planner.accounts.evaluate import Evaluation, evaluate_plan
from fleet_planner.accounts.ledger import COST_CATEGORIES
from fleet_planner.accounts.violations import Violation

__all__ = ["COST_CATEGORIES", "Evaluation", "Violation", "evaluate_plan"]
