"""The scenario format as a JSON Schema, generated from the pydantic models, for editors: with
`# yaml-language-server: $schema=PATH` on a scenario's first line, an editor with a YAML language
server completes keys, shows each field's description and marks mistakes as you type.

The schema shipped in the repository (docs/scenario.schema.json) is this output; a test keeps
them equal.
"""

from __future__ import annotations

import json
from typing import Any

from fleet_planner.schemas.scenario import Scenario

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "fleet-planner scenario"


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (what the file may hold, as validated on loading)."""
    schema = Scenario.model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": TITLE}


def scenario_json_schema_text() -> str:
    """The schema as the text written to a file: indented, keys in the models' order, a final newline."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
