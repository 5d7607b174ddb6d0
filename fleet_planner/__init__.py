"""fleet-planner: least-cost fleet transition plans under emission caps.

Public API (mirrors the CLI)::

    from fleet_planner import load_scenario, load_catalogue, optimise, evaluate

    scenario = load_scenario("scenarios/senior-bus-santiago.yaml")
    result = optimise(scenario)          # solves, then re-checks the plan with the evaluator
    result.plan.tables["costs"]          # tidy pandas tables
"""

from fleet_planner._version import __version__
from fleet_planner.loading import Catalogue, load_catalogue, load_scenario

__all__ = ["Catalogue", "__version__", "evaluate", "load_catalogue", "load_scenario", "optimise"]


def __getattr__(name: str):  # lazy: importing the package must not import PuLP
    if name == "optimise":
        from fleet_planner.pipeline import optimise

        return optimise
    if name == "evaluate":
        from fleet_planner.pipeline import evaluate

        return evaluate
    raise AttributeError(name)
