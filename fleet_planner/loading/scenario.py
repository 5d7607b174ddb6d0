"""Load a scenario: YAML (safe loader) -> variant and --set overrides -> pydantic -> fleet CSV.

Scenario files are data only: `yaml.safe_load` (no tags, no code), and every path inside a
scenario is resolved relative to the scenario file.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.errors import format_validation_error
from fleet_planner.loading.files import read_yaml
from fleet_planner.loading.fleet import duplicated_cohorts, load_fleet_file
from fleet_planner.loading.shipped import shipped_catalogue
from fleet_planner.loading.strict_yaml import strict_load
from fleet_planner.schemas.scenario import Scenario
from fleet_planner.text import shortened, visible


def parse_override(text: str) -> tuple[str, Any]:
    """'policy.gas_end_year=2035' -> ('policy.gas_end_year', 2035); the value is read as YAML."""
    if "=" not in text:
        raise ScenarioError(f"--set {text!r}: expected KEY.PATH=VALUE, e.g. policy.gas_end_year=2035")
    key, _, raw = text.partition("=")
    try:
        value = strict_load(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ScenarioError(f"--set {visible(shortened(text))}: the value is not valid YAML ({problem}).") from None
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
    origins: dict[str, str] = {}  # dotted path -> the variant or --set that gave its value
    if variant is not None:
        variants = data.get("variants") or {}
        if variant not in variants:
            raise ScenarioError(f"{path}: variant {variant!r} not found; variants in the file: {sorted(variants)}.")
        if not isinstance(variants[variant], dict):
            raise ScenarioError(f"{path}: variants.{variant} must be a mapping of dotted keys to values.")
        for dotted, value in variants[variant].items():
            apply_override(data, str(dotted), value, f"{path} variants.{variant}")
            origins[str(dotted)] = f"variants.{variant}"
        data["name"] = f"{data.get('name', path.stem)} [{variant}]"
    for text in overrides:
        dotted, value = parse_override(text)
        apply_override(data, dotted, value, "--set")
        origins[dotted] = f"--set {visible(shortened(text))}"
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = format_validation_error(exc, Scenario, origins)
        from_set = [p.startswith("--set ") for p in problems]
        during = "in the --set values" if all(from_set) else f"in {path}" + (" and --set" if any(from_set) else "")
        raise ScenarioError(problems, during=during) from None
    base = path.resolve().parent
    update: dict[str, Any] = {
        "vehicles_catalogue": shipped_catalogue("vehicles") if scenario.vehicles_catalogue is None
        else (base / scenario.vehicles_catalogue).resolve(),
        "fuels_catalogue": shipped_catalogue("fuels") if scenario.fuels_catalogue is None
        else (base / scenario.fuels_catalogue).resolve(),
    }
    if isinstance(scenario.fleet, Path):
        update["fleet"] = load_fleet_file(base / scenario.fleet, scenario_file=path)
    duplicates = duplicated_cohorts(update.get("fleet", scenario.fleet))
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
    resolved._origins = origins
    return resolved
