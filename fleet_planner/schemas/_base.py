"""Shared constrained types and the frozen base model for every input."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from fleet_planner.text import illegal_characters

ID_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
"""snake_case id, safe inside a PuLP name (no '-', '+', '[', ']', ' ', '>', '/', '__')."""

PATTERN_MEANINGS = {
    ID_PATTERN: "an id of lower-case letters, digits and single underscores, starting with a letter "
                "(e.g. truck_rigid_12t)",
    r"^[A-Z]{3}$": "a currency code of three capital letters (ISO 4217, e.g. USD or CLP)",
    r"^(\*|[a-z][a-z0-9]*(_[a-z0-9]+)*)$": "'*' (every technology) or an id of lower-case letters, digits and "
                                            "single underscores, starting with a letter",
}
"""What each text pattern of the file formats means, in words, for messages."""


def pattern_meaning(pattern: str) -> str:
    """The meaning of a text pattern of the file formats in words (never the regular expression)."""
    return PATTERN_MEANINGS.get(pattern, "text of the form the field's description gives")


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
Count = Annotated[int, Field(ge=0, le=1_000_000)]
"""A number of vehicles or units (a cohort of more than a million vehicles is a typo)."""
TEXT_CHARS_MAX = 10_000
"""Longest text field (a description, a citation)."""


class FrozenModel(BaseModel):
    """Base of every input model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, strict=False
    )

    @field_validator("*", mode="after")
    @classmethod
    def _printable_text(cls, value):
        """Text goes into reports, workbooks and terminals: no control characters, bounded length."""
        texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
            if isinstance(value, list | tuple) else []
        for text in texts:
            bad = illegal_characters(text)
            if bad:
                msg = (f"contains control character(s) {', '.join(bad)}, which reports, workbooks and terminals "
                       "cannot show; remove them")
                raise ValueError(msg)
            if len(text) > TEXT_CHARS_MAX:
                msg = f"is {len(text):,} characters long; at most {TEXT_CHARS_MAX:,}"
                raise ValueError(msg)
        return value
