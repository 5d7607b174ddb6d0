"""The bad-input corpus (tests/bad_inputs): every case exits 1 with a message that names the file
and the field or row and says how to fix it, and never prints a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fleet_planner.cli import app

CORPUS = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, list[str] | None] = json.loads((CORPUS / "expected.json").read_text())
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_corpus_is_large_enough():
    assert len(EXPECTED) >= 40
    assert all((CORPUS / name).exists() for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e is not None))
def test_bad_input_gives_clear_error(name):
    result = run("validate", str(CORPUS / name))
    output = result.output
    assert result.exit_code == 1, output
    assert "Traceback" not in output
    assert "^[" not in output and "match pattern" not in output, "a text pattern is shown as a regular expression"
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    mentions_file = name.removesuffix(".yaml") in output
    assert mentions_file, f"the message does not name the file:\n{output}"
    for fragment in EXPECTED[name]:
        assert fragment.lower() in output.lower(), f"{fragment!r} missing from:\n{output}"


def test_unknown_variant_lists_the_known_ones():
    result = run("validate", str(CORPUS / "05-unknown-key.yaml".replace("05-unknown-key", "48-variant-unknown")),
                 "--variant", "nope")
    assert result.exit_code == 1
    assert "variant 'nope' not found" in result.output


def test_bad_set_override():
    tiny = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"
    result = run("validate", str(tiny), "--set", "discount_rate")
    assert result.exit_code == 1
    assert "expected KEY.PATH=VALUE" in result.output


def test_all_problems_are_listed_at_once(tmp_path):
    scenario = tmp_path / "many.yaml"
    scenario.write_text(
        "name: many\nhorizon_first_year: 2025\nhorizon_last_year: 2020\ncurrency: usd\nprice_base_year: 2025\n"
        "discount_rate: -1\ndemand: {van: {annual_activity_au: 5}}\n"
    )
    result = run("validate", str(scenario))
    assert result.exit_code == 1
    for field in ("currency", "discount_rate"):  # cross-field checks (horizon order) run once fields are valid
        assert field in result.output


def test_missing_catalogue_file_is_named(tmp_path):
    import shutil

    tiny = Path(__file__).parent / "data" / "tiny"
    shutil.copytree(tiny, tmp_path / "tiny")
    (tmp_path / "tiny" / "fuels" / "prices.csv").unlink()
    result = run("validate", str(tmp_path / "tiny" / "scenario.yaml"))
    assert result.exit_code == 1
    assert "fuels/prices.csv" in result.output and "file not found" in result.output
