"""A broken rule of a plan, found by the accounts."""

from __future__ import annotations

from dataclasses import dataclass

TOLERANCE = 1e-6  # relative tolerance of the rule checks


@dataclass(frozen=True)
class Violation:
    rule: str
    year: int | None
    where: str
    message: str
    amount: float | None = None
    """By how much the rule is broken (excess over a limit, shortfall below a minimum), in `unit`."""
    unit: str = ""

    def __str__(self) -> str:
        year = f"{self.year} " if self.year is not None else ""
        return f"{year}{self.rule} [{self.where}]: {self.message}"


def near(value: float, limit: float) -> float:
    """Tolerance of a comparison between value and limit."""
    return TOLERANCE * max(1.0, abs(limit), abs(value))


def check_integer(violations: list[Violation], what: str, year: int, where: str, count: float) -> None:
    if abs(count - round(count)) > 1e-6:
        violations.append(Violation("integer", year, where, f"{what} count {count:g} is not a whole number"))
