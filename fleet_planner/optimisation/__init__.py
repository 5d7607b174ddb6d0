"""The optimisation layer: the only package that imports PuLP or highspy."""

from fleet_planner.optimisation.build import build_model
from fleet_planner.optimisation.model import FleetModel

__all__ = ["FleetModel", "build_model"]
