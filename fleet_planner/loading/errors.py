"""pydantic validation errors as one line per field: dotted path, problem, value found, fix."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from fleet_planner.schemas._base import pattern_meaning
from fleet_planner.text import shortened

_HINTS = {
    "extra_forbidden": "remove the key or fix its spelling",
    "missing": "add this key",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "bool_parsing": "write true or false",
    "greater_than_equal": "use a larger value",
    "less_than_equal": "use a smaller value",
    "greater_than": "use a larger value",
    "less_than": "use a smaller value",
    "string_pattern_mismatch": "write it in that form",
    "literal_error": "use one of the allowed values",
    "dict_type": "write a mapping (key: value lines)",
    "list_type": "write a list (lines starting with '- ')",
    "too_short": "add at least one item",
}


# union branches (dict | GrowthSeries | number, Path | list) each report an error; these types only
# say "this was not the branch's shape", so another error on the same field is more specific
_SHAPE_ERRORS = {"dict_type", "model_type", "model_attributes_type", "list_type", "float_type", "int_type",
                 "is_instance_of", "path_type", "string_type", "float_parsing", "int_parsing"}


def error_message(error: dict) -> str:
    """pydantic's message for one error, a text pattern said in words instead of as a regular expression."""
    if error["type"] == "string_pattern_mismatch":
        return f"should be {pattern_meaning(str((error.get('ctx') or {}).get('pattern', '')))}"
    return str(error["msg"])


def origin_of(path: str, origins: dict[str, str]) -> str | None:
    """Where the value at a dotted path came from when not from the file (e.g. '--set a.b=1'): the
    override that set the path, a key inside it, or (for a rule over several keys) a key under it."""
    for dotted, origin in origins.items():
        if path == dotted or path.startswith(f"{dotted}.") or (path and dotted.startswith(f"{path}.")):
            return origin
    return None


def format_validation_error(exc: ValidationError, model: type[BaseModel],
                            origins: dict[str, str] | None = None) -> list[str]:
    """One line per field: dotted path, what is wrong, what was found, how to fix it. A field set by
    an override (origins: dotted path -> e.g. '--set policy.gas_end_year=2035') is blamed on it."""
    by_path: dict[str, list[dict]] = {}
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"] if not _is_union_branch(str(p)))
        by_path.setdefault(path, []).append(error)
    lines = []
    for path, errors in by_path.items():
        specific = [e for e in errors if e["type"] not in _SHAPE_ERRORS]
        if not specific and any(other.startswith(f"{path}.") for other in by_path):
            continue  # another branch of the union matched the shape and says what is wrong inside
        error = (specific or errors)[0]
        loc = [str(p) for p in error["loc"] if not _is_union_branch(str(p))]
        hint = _HINTS.get(error["type"], "fix the value")
        if error["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1])
            close = difflib.get_close_matches(loc[-1], allowed, n=1) if loc else []
            if close:
                hint = f"did you mean {close[0]}? Otherwise {hint}"
            if allowed:
                hint += f"; allowed keys here: {', '.join(allowed)}"
        found = error.get("input")
        shown = "" if error["type"] == "missing" or isinstance(found, dict | list) else f" (found {shortened(repr(found))})"
        origin = origin_of(path, origins or {})
        lines.append(f"{f'{origin}: ' if origin else ''}{path or '(top level)'}: {error_message(error)}{shown}. "
                     f"Fix: {hint}.")
    return lines


def _is_union_branch(part: str) -> bool:
    """pydantic names union branches in error locations (e.g. 'GrowthSeries', 'function-after[...]')."""
    return part in {"GrowthSeries", "float", "int", "constrained-float", "FleetCohort"} or part.startswith(
        ("function-", "dict[", "list[", "json-or-python", "lax-or-strict", "is-instance"))


def _allowed_keys(model: type[BaseModel], path: list[str]) -> list[str]:
    """Field names of the sub-model at path (best effort; [] when it cannot be resolved)."""
    current: Any = model
    for part in path:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        else:
            args = [a for a in typing.get_args(current) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            nested = [a for a in args if typing.get_args(a)]
            if models:
                current = models[0]
            elif nested:
                current = typing.get_args(nested[0])[-1]
            else:
                return []
        while typing.get_args(current) and not (isinstance(current, type) and issubclass(current, BaseModel)):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if models:
                current = models[0]
                break
            if len(args) == 1 or typing.get_origin(current) in (list, dict):
                current = args[-1]
            else:
                break
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []
