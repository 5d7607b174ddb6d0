"""Exception vocabulary and the CLI's fixed exit codes."""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2  # typer/click's own
EXIT_INFEASIBLE_OR_SOLVER = 3
PROBLEMS_SHOWN = 100
"""Problems printed at most (a file with a million bad rows must not print a million lines)."""


class FleetPlannerError(Exception):
    """Base class: a problem the user can fix; shown without a traceback."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(self, problems: list[str] | str, *, during: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.during = during
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.during:
            return self.problems[0]
        head = f"{len(self.problems)} problem(s) {self.during}".rstrip() + ":"
        shown = [f" * {p}" for p in self.problems[:PROBLEMS_SHOWN]]
        if len(self.problems) > PROBLEMS_SHOWN:
            shown.append(f" ... and {len(self.problems) - PROBLEMS_SHOWN:,} more; fix the ones above first.")
        return "\n".join([head, *shown])


class TerminationRequest(KeyboardInterrupt):  # noqa: N818 it is a request, like KeyboardInterrupt
    """SIGTERM (a kill, a job scheduler): stop at once and write nothing, even when a plan exists
    (Ctrl-C keeps a plan the solver already has)."""


class ScenarioError(FleetPlannerError):
    """The scenario file (or its fleet CSV) is invalid."""


class CatalogueError(FleetPlannerError):
    """A catalogue file in vehicles/ or fuels/ is invalid."""


class InfeasibleError(FleetPlannerError):
    """The targets cannot be met; carries a diagnosis."""

    exit_code = EXIT_INFEASIBLE_OR_SOLVER

    def __init__(self, problems: list[str] | str, *, during: str = "", diagnosis=None) -> None:
        super().__init__(problems, during=during)
        self.diagnosis = diagnosis


class SolverError(FleetPlannerError):
    """The solver is missing, crashed, or stopped without a usable plan."""

    exit_code = EXIT_INFEASIBLE_OR_SOLVER


class EvaluationMismatchError(FleetPlannerError):
    """The independent evaluator disagrees with the optimiser: a bug, never silent."""

    exit_code = EXIT_INFEASIBLE_OR_SOLVER


class OutputExistsError(FleetPlannerError):
    """The output folder exists and --force was not given."""


OS_ERROR_FIXES = {
    errno.ENOSPC: "the disk is full; free space or write elsewhere",
    errno.EFBIG: "a file size limit was reached; write elsewhere or raise the limit",
    errno.EDQUOT: "the disk quota is used up; free space or write elsewhere",
    errno.EACCES: "permission denied; check the permissions or choose another path",
    errno.EPERM: "not permitted; check the permissions or choose another path",
    errno.EROFS: "the file system is read-only; choose another path",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
    errno.ENOTDIR: "a part of the path is a file, not a folder; fix the path",
    errno.EISDIR: "it is a folder; give a file",
    errno.ENOENT: "not found; check the path",
    errno.EBUSY: "the path is in use (a mount point?); choose another path",
    errno.EEXIST: "it already exists; choose another path",
    errno.EIO: "an input/output error (a failing disk or network drive); try another location",
}


def describe_os_error(exc: OSError) -> str:
    """An operating-system error as a sentence naming the path and the fix."""
    where = exc.filename if exc.filename is not None else "a file"
    fix = OS_ERROR_FIXES.get(exc.errno, "check the path, the permissions and the free space")
    reason = exc.strerror or exc.__class__.__name__
    return f"{where}: {reason}: {fix}. Nothing was left half-written."
