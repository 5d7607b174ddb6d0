"""User text on its way out: never a terminal control sequence, never a spreadsheet formula, never
longer than a message can usefully show.

User text (scenario names, descriptions, catalogue notes, file contents echoed in errors) goes to
terminals, CSV files and Excel workbooks that reach clients. A terminal obeys escape sequences;
a spreadsheet runs a cell that starts with '=', '+', '-' or '@' as a formula (OWASP: CSV
injection). These helpers make such text inert and visible.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet may read a cell starting with one of these as a formula (OWASP CSV injection)."""
ILLEGAL_IN_OUTPUTS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters a workbook (XML) cannot hold and a terminal would obey."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ECHO_CHARS_MAX = 200
"""Longest piece of user text repeated in a message."""


def visible(text: str) -> str:
    """Control characters (escape sequences, bell, NUL...) as \\xNN, so a terminal shows and never
    obeys them; new lines and tabs stay."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def shortened(text: str, limit: int = ECHO_CHARS_MAX) -> str:
    """At most `limit` characters of a value echoed in a message, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


def spreadsheet_safe(value: object) -> object:
    """A text value a spreadsheet would run as a formula, prefixed with an apostrophe (shown, not
    run); numbers, and text that is a plain number such as '-3.5', unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def illegal_characters(text: str) -> list[str]:
    """The control characters of `text` that outputs cannot carry, as \\xNN."""
    return sorted({f"\\x{ord(c):02x}" for c in ILLEGAL_IN_OUTPUTS.findall(text)})
