"""The command line explains itself: --version, and help texts in words, never a library's
placeholder such as {scenario}, <path> or <list[str]>."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from fleet_planner import __version__
from fleet_planner.cli import app

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)  # every command, those added later too
PLACEHOLDER = re.compile(r"\{[a-zA-Z_]+\}|<[a-zA-Z_]+(\[[a-zA-Z_, |]+\])?>")


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"fleet-planner {__version__}"


def test_every_command_is_listed():
    assert {"validate", "catalogue", "plan", "evaluate", "report", "compare", "schema", "template"} <= set(COMMANDS)
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", result.output, re.MULTILINE), command


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_has_no_placeholders(command):
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    found = PLACEHOLDER.findall(result.output)
    assert not PLACEHOLDER.search(result.output), f"placeholders {found} in:\n{result.output}"


def test_help_names_arguments_as_the_docstrings_do():
    output = runner.invoke(app, ["plan", "--help"]).output
    assert "[OPTIONS] SCENARIO" in output and "--set KEY.PATH=VALUE" in output and "--out DIR" in output
