"""Shared constrained types and the frozen base model for every input."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

ID_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
"""snake_case id, safe inside a PuLP name (no '-', '+', '[', ']', ' ', '>', '/', '__')."""

Year = Annotated[int, Field(ge=1950, le=2100)]
"""Calendar year."""


def _finite(value):
    """Reject NaN and infinity before range checks (NaN would otherwise fail as 'not >= 0')."""
    try:
        number = float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else None
    except ValueError:
        return value  # not a number at all: the type check reports it
    if number is not None and not math.isfinite(number):
        msg = "must be a finite number (not NaN or infinity)"
        raise ValueError(msg)
    return value


Number = Annotated[float, BeforeValidator(_finite)]
"""Any finite real number."""
NonNegative = Annotated[float, Field(ge=0.0), BeforeValidator(_finite)]
"""Finite number >= 0."""
Share = Annotated[float, Field(ge=0.0, le=1.0), BeforeValidator(_finite)]
"""Fraction in [0, 1], never a percentage."""
Count = Annotated[int, Field(ge=0, le=10_000_000)]
"""A number of vehicles or units."""


class FrozenModel(BaseModel):
    """Base of every input model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, strict=False
    )
