"""Read the user's files safely: size limits, regular files only, UTF-8, typed CSV rows.

Every reader collects problems as messages (file, line, column, what was found, the fix) instead
of raising at the first one, so the user sees every problem at once.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from fleet_planner.exceptions import ScenarioError

FIRST_DATA_LINE = 2  # line 1 is the header
MAX_FILE_BYTES = 5_000_000


def read_csv_table(path: Path, display_name: str, problems: list[str]) -> pd.DataFrame | None:
    """Read a CSV as text cells; on failure append a message to problems and return None."""
    if not path.exists():
        problems.append(f"{display_name}: file not found at {path}. Restore it from the repository.")
        return None
    if path.is_dir():
        problems.append(f"{display_name}: {path} is a folder, expected a CSV file.")
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            f"{display_name}: not UTF-8 text (byte {exc.start}). Save the file as UTF-8 CSV."
        )
        return None
    if not text.strip():
        problems.append(f"{display_name}: the file is empty; it needs a header row and data rows.")
        return None
    try:
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        problems.append(f"{display_name}: not a valid CSV ({exc}). Check quoting and the number of commas per line.")
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def validate_rows(
    frame: pd.DataFrame, model: type[BaseModel], display_name: str, problems: list[str]
) -> pd.DataFrame:
    """Validate each row with its pydantic model; return the typed rows (bad rows dropped)."""
    expected = list(model.model_fields)
    missing = [c for c in expected if c not in frame.columns and model.model_fields[c].is_required()]
    unknown = [c for c in frame.columns if c not in expected]
    if missing:
        problems.append(
            f"{display_name}: missing column(s) {missing}. The header must contain {expected}."
        )
        return pd.DataFrame(columns=expected)
    if unknown:
        problems.append(
            f"{display_name}: unknown column(s) {unknown}. Allowed columns: {expected}; "
            "rename or remove the others."
        )
    good = []
    for position, record in enumerate(frame.to_dict(orient="records")):
        line = position + FIRST_DATA_LINE
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items() if k in expected}
        cells = {k: v for k, v in cells.items() if v not in ("", None)}
        try:
            good.append(model.model_validate(cells).model_dump())
        except ValidationError as exc:
            for error in exc.errors():
                column = ".".join(str(p) for p in error["loc"]) or "(row)"
                found = cells.get(str(error["loc"][0])) if error["loc"] else None
                problems.append(
                    f"{display_name} line {line}, column {column}: {error['msg']}"
                    + (f" (found {found!r})" if found is not None else " (cell is empty)")
                    + ". Fix the cell."
                )
    return pd.DataFrame(good, columns=expected)


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
