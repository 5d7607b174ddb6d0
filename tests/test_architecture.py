"""The package's shape (docs/architecture.md): stages import one way, no import circles, the accounts
never import the optimisation, reporting never imports a solver; small modules and functions.

Imports are read from the source (ast), module-level and function-level alike, so a lazy import
inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fleet_planner"

# stage -> the stages it may import (besides itself); anything else is a forbidden arrow
ALLOWED: dict[str, set[str]] = {
    "base": set(),  # exceptions, _version
    "schemas": {"base"},
    "loading": {"schemas", "base"},
    "optimisation": {"loading", "schemas", "base"},
    "accounts": {"loading", "schemas", "base"},
    "reporting": {"accounts", "loading", "schemas", "base"},
    "pipeline": {"optimisation", "accounts", "reporting", "loading", "schemas", "base"},
    "analysis": {"pipeline", "optimisation", "accounts", "reporting", "loading", "schemas", "base"},
    "cli": {"analysis", "pipeline", "optimisation", "accounts", "reporting", "loading", "schemas", "base"},
    "face": {"analysis", "pipeline", "optimisation", "accounts", "reporting", "loading", "schemas", "base", "cli"},
}
SOLVER_MODULES = {"pulp", "highspy"}
MODULE_LINES_MAX = 400
FUNCTION_LINES_MAX = 80
LONG_FUNCTION_MARK = "Long because"
"""A function over FUNCTION_LINES_MAX lines must say why in its docstring, starting with this."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "face"
    head = parts[1]
    if head in ("exceptions", "_version", "text"):
        return "base"
    if head == "__main__" or head.startswith("cli_"):
        return "cli"
    return head


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """fleet_planner modules a file imports (a name imported from a package counts as its module
    when a file of that name exists)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in MODULES}
    return {name for name in found if name.split(".")[0] in ("fleet_planner", *SOLVER_MODULES)}


GRAPH = {module: {i for i in imports_of(path) if i in MODULES and i != module} for module, path in MODULES.items()}


def test_every_module_belongs_to_a_known_stage():
    unknown = sorted(m for m in MODULES if stage_of(m) not in ALLOWED)
    assert not unknown, f"modules outside the stages of docs/architecture.md: {unknown}"


def test_imports_run_one_way_between_stages():
    wrong = [f"{module} ({stage_of(module)}) imports {target} ({stage_of(target)})"
             for module, targets in GRAPH.items() for target in sorted(targets)
             if stage_of(target) != stage_of(module) and stage_of(target) not in ALLOWED[stage_of(module)]]
    assert not wrong, "\n".join(wrong)


def test_accounts_never_import_the_optimisation_and_reporting_never_a_solver():
    for module, path in MODULES.items():
        imported = imports_of(path)
        if stage_of(module) == "accounts":
            assert not [i for i in imported if i.startswith("fleet_planner.optimisation")], module
        if stage_of(module) in ("reporting", "accounts", "loading", "schemas"):
            assert not imported & SOLVER_MODULES, module
            assert not [i for i in imported if i.startswith("fleet_planner.optimisation")], module


def test_no_import_circles():
    """Tarjan's strongly connected components over the module graph: every component is one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in GRAPH:
        if module not in index:
            visit(module)
    assert not circles, f"import circles: {circles}"


def test_the_rule_catches_a_planted_forbidden_import_and_circle(tmp_path, monkeypatch):
    """The checks above can fail: an accounts module importing the optimisation, and two modules
    importing each other, are both reported."""
    planted = {"fleet_planner.accounts.x": {"fleet_planner.optimisation.inputs"},
               "fleet_planner.loading.a": {"fleet_planner.loading.b"},
               "fleet_planner.loading.b": {"fleet_planner.loading.a"}}
    wrong = [m for m, targets in planted.items() for t in targets
             if stage_of(t) != stage_of(m) and stage_of(t) not in ALLOWED[stage_of(m)]]
    assert wrong == ["fleet_planner.accounts.x"]
    monkeypatch.setattr(sys.modules[__name__], "GRAPH", {**planted, "fleet_planner.optimisation.inputs": set()})
    with pytest.raises(AssertionError, match="import circles"):
        test_no_import_circles()


def test_importing_reporting_and_accounts_loads_no_solver():
    code = ("import sys, fleet_planner.reporting.report, fleet_planner.reporting.results, "
            "fleet_planner.reporting.compare, fleet_planner.accounts; "
            "bad = [m for m in ('pulp', 'highspy', 'fleet_planner.optimisation') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_modules_and_functions_stay_small():
    """No module over 400 lines; no function over 80 lines unless its docstring says why."""
    long_modules = [f"{m}: {n} lines" for m, p in MODULES.items() if (n := len(p.read_text().splitlines()))
                    > MODULE_LINES_MAX]
    long_functions = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                reason = LONG_FUNCTION_MARK in (ast.get_docstring(node) or "")
                if length > FUNCTION_LINES_MAX and not reason:
                    long_functions.append(f"{module}.{node.name}: {length} lines")
    assert not long_modules and not long_functions, long_modules + long_functions
