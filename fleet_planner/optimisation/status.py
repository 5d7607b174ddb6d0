"""The outcome of a solve, from the solver's real state (a time limit is never optimal)."""

from __future__ import annotations

from enum import StrEnum


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    """Proven optimal within the requested MIP gap."""
    FEASIBLE = "feasible"
    """A plan was found but the run stopped early (time limit, interrupt); see the gap."""
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no_solution"
    """Stopped before any plan was found."""
    ERROR = "error"
    """Solver missing or crashed."""
