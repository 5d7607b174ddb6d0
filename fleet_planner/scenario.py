"""Load a scenario: YAML (safe loader) -> variant and --set overrides -> pydantic -> fleet CSV.

Scenario files are data only: `yaml.safe_load` (no tags, no code), and every path inside a
scenario is resolved relative to the scenario file.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from fleet_planner.catalogue import read_csv_table, validate_rows
from fleet_planner.exceptions import ScenarioError
from fleet_planner.schemas.scenario import FleetCohort, Scenario

MAX_FILE_BYTES = 5_000_000


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; problems become ScenarioError naming the file."""
    name = str(path)
    if not path.exists():
        raise ScenarioError(f"{name}: file not found. Check the path.")
    if path.is_dir():
        raise ScenarioError(f"{name}: is a folder; give the scenario's .yaml file.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(f"{name}: larger than {MAX_FILE_BYTES // 1_000_000} MB; a scenario is a small text file.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{name}: not UTF-8 text (byte {exc.start}). Save the file as UTF-8.") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            f"{name}: not valid YAML{where}: {problem}. Check indentation, colons and quotes there."
        ) from None


def parse_override(text: str) -> tuple[str, Any]:
    """'policy.gas_end_year=2035' -> ('policy.gas_end_year', 2035); the value is read as YAML."""
    if "=" not in text:
        raise ScenarioError(f"--set {text!r}: expected KEY.PATH=VALUE, e.g. policy.gas_end_year=2035")
    key, _, raw = text.partition("=")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        raise ScenarioError(f"--set {text!r}: the value is not valid YAML.") from None
    return key.strip(), value


def apply_override(data: dict, dotted: str, value: Any, origin: str) -> None:
    """Set data[a][b][c] = value for 'a.b.c' (integer parts index lists; year keys become ints)."""
    parts = dotted.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        key: Any = int(part) if part.isdigit() else part
        if isinstance(node, list):
            if not isinstance(key, int) or key >= len(node):
                raise ScenarioError(f"{origin}: {dotted}: {'.'.join(parts[:depth])} has no item {part}.")
        elif not isinstance(node, dict):
            raise ScenarioError(f"{origin}: {dotted}: {'.'.join(parts[:depth])} is not a mapping.")
        if last:
            node[key] = value
        else:
            if isinstance(node, dict) and key not in node:
                node[key] = {}
            node = node[key]


def load_scenario(
    path: Path | str, *, variant: str | None = None, overrides: list[str] | tuple[str, ...] = ()
) -> Scenario:
    """Read and validate a scenario file, its fleet CSV, a named variant and --set overrides."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: the top level must be a mapping of keys (name:, horizon_first_year:, ...), "
                            f"found {type(data).__name__}.")
    data = copy.deepcopy(data)
    if variant is not None:
        variants = data.get("variants") or {}
        if variant not in variants:
            raise ScenarioError(f"{path}: variant {variant!r} not found; variants in the file: {sorted(variants)}.")
        if not isinstance(variants[variant], dict):
            raise ScenarioError(f"{path}: variants.{variant} must be a mapping of dotted keys to values.")
        for dotted, value in variants[variant].items():
            apply_override(data, str(dotted), value, f"{path} variants.{variant}")
        data["name"] = f"{data.get('name', path.stem)} [{variant}]"
    for text in overrides:
        dotted, value = parse_override(text)
        apply_override(data, dotted, value, "--set")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, Scenario), during=f"in {path}") from None
    base = path.resolve().parent
    update: dict[str, Any] = {
        "vehicles_catalogue": (base / scenario.vehicles_catalogue).resolve(),
        "fuels_catalogue": (base / scenario.fuels_catalogue).resolve(),
    }
    if isinstance(scenario.fleet, Path):
        update["fleet"] = load_fleet_csv(base / scenario.fleet, scenario_file=path)
    duplicates = _duplicated_cohorts(update.get("fleet", scenario.fleet))
    if duplicates:
        raise ScenarioError(
            f"{path}: fleet: cohorts listed more than once: {duplicates[:5]}. Merge them into one row "
            "each (add the counts)."
        )
    for key in ("vehicles_catalogue", "fuels_catalogue"):
        if not update[key].is_dir():
            raise ScenarioError(f"{path}: {key}: folder {update[key]} not found. Fix the path (it is relative to "
                                "the scenario file) or restore the catalogue.")
    resolved = scenario.model_copy(update=update)
    resolved._source_file = path
    return resolved


def _duplicated_cohorts(fleet: list[FleetCohort]) -> list[tuple]:
    seen, duplicated = set(), []
    for cohort in fleet:
        key = (cohort.segment, cohort.technology, cohort.model_year)
        if key in seen:
            duplicated.append(key)
        seen.add(key)
    return duplicated


def load_fleet_csv(path: Path, scenario_file: Path | None = None) -> list[FleetCohort]:
    """Existing fleet cohorts, validated row by row (errors give the line number)."""
    problems: list[str] = []
    display = str(path)
    frame = read_csv_table(path, display, problems)
    if frame is not None:
        if "segment" not in frame.columns:
            typed = validate_rows(frame, FleetCohort, display, problems)
        elif frame.empty:
            problems.append(f"{display}: no cohort rows. Add rows under the header "
                            "segment,technology,model_year,count[,annual_activity_au,lease_end_year].")
        else:
            typed = validate_rows(frame, FleetCohort, display, problems)
    if problems:
        raise ScenarioError(problems, during=f"in the fleet file of {scenario_file or 'the scenario'}")
    return [FleetCohort.model_validate({k: v for k, v in r.items() if v == v and v is not None})
            for r in typed.to_dict(orient="records")]


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
    "string_pattern_mismatch": "use lower-case snake_case ids (letters, digits, single underscores)",
    "literal_error": "use one of the allowed values",
    "dict_type": "write a mapping (key: value lines)",
    "list_type": "write a list (lines starting with '- ')",
    "too_short": "add at least one item",
}


# union branches (dict | GrowthSeries | number, Path | list) each report an error; these types only
# say "this was not the branch's shape", so another error on the same field is more specific
_SHAPE_ERRORS = {"dict_type", "model_type", "model_attributes_type", "list_type", "float_type", "int_type",
                 "is_instance_of", "path_type", "string_type", "float_parsing", "int_parsing"}


def format_validation_error(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """One line per field: dotted path, what is wrong, what was found, how to fix it."""
    by_path: dict[str, list[dict]] = {}
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"] if not _is_union_branch(str(p)))
        by_path.setdefault(path, []).append(error)
    lines = []
    for path, errors in by_path.items():
        specific = [e for e in errors if e["type"] not in _SHAPE_ERRORS]
        error = (specific or errors)[0]
        loc = [str(p) for p in error["loc"] if not _is_union_branch(str(p))]
        hint = _HINTS.get(error["type"], "fix the value")
        if error["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1])
            if allowed:
                hint += f"; allowed keys here: {', '.join(allowed)}"
        found = error.get("input")
        shown = "" if error["type"] == "missing" or isinstance(found, dict | list) else f" (found {found!r})"
        lines.append(f"{path or '(top level)'}: {error['msg']}{shown}. Fix: {hint}.")
    return lines


def _is_union_branch(part: str) -> bool:
    """pydantic names union branches in error locations (e.g. 'GrowthSeries', 'function-after[...]')."""
    return part in {"GrowthSeries", "float", "int", "constrained-float", "FleetCohort"} or part.startswith(
        ("function-", "dict[", "list[", "json-or-python", "lax-or-strict", "is-instance"))


def _allowed_keys(model: type[BaseModel], path: list[str]) -> list[str]:
    """Field names of the sub-model at path (best effort; [] when it cannot be resolved)."""
    import typing

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
