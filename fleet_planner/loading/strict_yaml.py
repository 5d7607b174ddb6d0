"""A strict, bounded YAML reader for scenario files and --set values.

PyYAML's safe loader runs no code, but it still (1) reads YAML 1.1 forms a person does not mean
('33:46' is the number 2026, 'no' is false), (2) lets a later key silently replace an earlier
one ('emission_cap: null' further down drops the cap), and (3) expands aliases and nesting
without limit (a few hundred bytes can expand to gigabytes, deep nesting overflows the stack).
This loader reads YAML 1.2 core scalars (true/false only; no base-60 numbers), refuses duplicate
keys, and bounds aliases, nesting depth and the number of nodes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

ALIASES_MAX = 100
DEPTH_MAX = 40
NODES_MAX = 200_000


class LimitError(yaml.YAMLError):
    """The document is too deep, too large or uses too many aliases."""

    def __init__(self, problem: str, mark) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader with YAML 1.2 core scalars, no duplicate keys and bounded expansion."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._aliases = self._nodes = self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > ALIASES_MAX:
                raise LimitError(f"more than {ALIASES_MAX} aliases (*name)", self.peek_event().start_mark)
        self._nodes += 1
        if self._nodes > NODES_MAX:
            raise LimitError(f"more than {NODES_MAX:,} values", self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > DEPTH_MAX:
                raise LimitError(f"nested more than {DEPTH_MAX} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                continue  # an unhashable key is reported by the base constructor
            if key in seen:
                raise ConstructorError("while reading a mapping", node.start_mark,
                                       f"the key {key!r} appears twice (the second would silently replace the "
                                       "first); keep one", key_node.start_mark)
            seen[key] = True
        return super().construct_mapping(node, deep=deep)


def _core_schema_resolvers() -> dict:
    """Implicit resolvers of the YAML 1.2 core schema (plus 1_000 style digit grouping)."""
    resolvers = {key: [r for r in value if r[0] not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
        for key, value in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    rules = [
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
        ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$"),
         "-+0123456789"),
        ("tag:yaml.org,2002:float", re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), "-+0123456789."),
    ]
    for tag, pattern, first in rules:
        for char in first:
            resolvers.setdefault(char, []).append((tag, pattern))
    return resolvers


StrictLoader.yaml_implicit_resolvers = _core_schema_resolvers()


def strict_load(text: str) -> Any:
    """Parse YAML text with StrictLoader (raises yaml.YAMLError, with a mark where possible); the
    data, with every alias expanded, may hold at most NODES_MAX values."""
    loader = StrictLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if _expanded_size(data, NODES_MAX) > NODES_MAX:
        raise LimitError(f"more than {NODES_MAX:,} values once its aliases (*name) are expanded", None)
    return data


def _expanded_size(data: Any, limit: int) -> int:
    """Values in data counting each use of a shared (aliased) part again; stops past `limit`."""
    count, stack = 0, [data]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
            count += len(item)
        elif isinstance(item, list):
            stack.extend(item)
    return count
