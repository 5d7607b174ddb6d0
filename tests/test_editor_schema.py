"""Editor completion and messages a user can act on: the JSON Schema of scenario files (generated,
committed, named by the shipped scenarios), text patterns in words, --set blamed for its own
typos, unknown technologies listed with the valid ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, SCENARIOS, TINY
from typer.testing import CliRunner

from fleet_planner.cli import app
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading import load_and_check
from fleet_planner.loading.files import read_yaml
from fleet_planner.loading.scenario import load_scenario
from fleet_planner.schemas.json_schema import scenario_json_schema, scenario_json_schema_text

runner = CliRunner()
COMMITTED = REPO / "docs" / "scenario.schema.json"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_committed_schema_is_the_generated_one():
    assert COMMITTED.read_text(encoding="utf-8") == scenario_json_schema_text(), (
        "docs/scenario.schema.json is out of date: run `fleet-planner schema --out docs/scenario.schema.json`")


def test_schema_command_prints_and_writes_it(tmp_path):
    printed = runner.invoke(app, ["schema"])
    assert printed.exit_code == 0 and json.loads(printed.stdout) == scenario_json_schema()
    written = runner.invoke(app, ["schema", "--out", str(tmp_path / "s.json")])
    assert written.exit_code == 0 and (tmp_path / "s.json").read_text(encoding="utf-8") == scenario_json_schema_text()


def test_schema_describes_fields_and_refuses_unknown_keys():
    schema = scenario_json_schema()
    assert schema["additionalProperties"] is False and "horizon_first_year" in schema["required"]
    assert "real discount rate" in schema["properties"]["discount_rate"]["description"].lower()
    assert "xlsx" in schema["properties"]["fleet"]["description"]


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_name_the_committed_schema_and_follow_it(scenario):
    jsonschema = pytest.importorskip("jsonschema")
    match = MODELINE.match(scenario.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{scenario.name}: the first line is not the yaml-language-server line"
    assert (scenario.parent / match.group(1)).resolve() == COMMITTED.resolve()
    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))
    assert not [e.message for e in validator.iter_errors(_as_json(read_yaml(scenario)))]
    bad = {**_as_json(read_yaml(scenario)), "horizon_frist_year": 2026}
    assert any("horizon_frist_year" in e.message for e in validator.iter_errors(bad))


def _as_json(value):
    """YAML as an editor's language server sees it: mapping keys are strings (years too)."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def _tiny_copy(tmp_path: Path, **replace: str) -> Path:
    text = (TINY.read_text().replace("vehicles_catalogue: vehicles", f"vehicles_catalogue: {TINY.parent}/vehicles")
            .replace("fuels_catalogue: fuels", f"fuels_catalogue: {TINY.parent}/fuels"))
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


def test_patterns_are_said_in_words(tmp_path):
    scenario = _tiny_copy(tmp_path, **{"currency: USD": "currency: usd", "  van:\n": "  Van-1:\n"})
    with pytest.raises(ScenarioError) as error:
        load_scenario(scenario)
    message = str(error.value)
    assert "three capital letters" in message and "lower-case letters, digits and single underscores" in message
    assert "^[" not in message and "match pattern" not in message


def test_a_typo_in_set_is_blamed_on_set_not_on_the_file(tmp_path):
    result = runner.invoke(app, ["validate", str(TINY), "--set", "policy.gas_end_yera=2030"])
    assert result.exit_code == 1
    assert "in the --set values" in result.output and str(TINY) not in result.output
    assert "--set policy.gas_end_yera=2030: policy.gas_end_yera" in result.output
    assert "did you mean gas_end_year?" in result.output
    # the file's own mistake and a --set mistake: each blamed on its source
    scenario = _tiny_copy(tmp_path, **{"discount_rate: 0.0": "discount_rate: lots"})
    result = runner.invoke(app, ["validate", str(scenario), "--set", "horizon_last_yaer=2030"])
    assert f"in {scenario} and --set" in result.output
    assert "--set horizon_last_yaer=2030: horizon_last_yaer" in result.output
    assert "\n * discount_rate:" in result.output


def test_a_set_value_unknown_to_the_catalogue_is_blamed_on_set():
    scenario = load_scenario(TINY, overrides=["demand.van.technologies=[bevv]"])
    with pytest.raises(ScenarioError) as error:
        load_and_check(scenario)
    assert "--set demand.van.technologies=[bevv]: demand.van.technologies: 'bevv'" in str(error.value)


def test_unknown_technology_lists_the_valid_ones(tmp_path):
    scenario = _tiny_copy(tmp_path, **{"technology: diesel": "technology: disel"})
    with pytest.raises(ScenarioError) as error:
        load_and_check(load_scenario(scenario))
    assert "technology 'disel'" in str(error.value) and "use one of ['bev', 'cng', 'ddf', 'diesel']" in str(error.value)
