"""Read the user's files safely: size limits, regular files only, UTF-8, typed CSV rows.

Every reader collects problems as messages (file, line, column, what was found, the fix) instead
of raising at the first one, so the user sees every problem at once.
"""

from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.errors import error_message
from fleet_planner.loading.frames import records
from fleet_planner.loading.strict_yaml import strict_load
from fleet_planner.text import shortened

FIRST_DATA_LINE = 2  # line 1 is the header
MAX_FILE_BYTES = 5_000_000
"""Largest scenario file: a scenario is a small text file."""
MAX_TABLE_BYTES = 50_000_000
"""Largest CSV table (a fleet of many cohorts, a long catalogue)."""
MESSAGES_MAX = 50
"""Problems listed at most per file; the rest are counted."""


def read_regular_file(path: Path, display_name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A folder, a FIFO, a device or a socket
    is refused before it is opened for reading (a FIFO would block, /dev/zero never ends); the
    size is checked on what is read, not only on what the file system reports. Raises
    ScenarioError naming the file and the fix."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ScenarioError(f"{display_name}: file not found at {path}. Check the path or restore the file.") from None
    except OSError as exc:
        raise ScenarioError(f"{display_name}: cannot be read ({exc.strerror}). Check the path and its permissions.") \
            from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{display_name}: {path} is a folder; give the file.")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{display_name}: {path} is not a regular file (a pipe, device or socket); give a "
                            "text file.")
    if info.st_size > limit:
        raise ScenarioError(f"{display_name}: {info.st_size:,} bytes, larger than the {limit:,} allowed; "
                            "check that this is the right file.")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(f"{display_name}: cannot be read ({exc.strerror}). Check its permissions.") from None
    if len(data) > limit:
        raise ScenarioError(f"{display_name}: larger than the {limit:,} bytes allowed; check that this is the right "
                            "file.")
    return data


def read_csv_table(path: Path, display_name: str, problems: list[str]) -> pd.DataFrame | None:
    """Read a CSV as text cells; on failure append a message to problems and return None."""
    text = read_csv_text(path, display_name, problems)
    return None if text is None else parse_csv(text, display_name, problems)


def read_table_bytes(path: Path, display_name: str, problems: list[str]) -> bytes | None:
    """The bytes of a table file (CSV or workbook) within MAX_TABLE_BYTES; on failure append the
    messages to problems and return None."""
    try:
        return read_regular_file(path, display_name, MAX_TABLE_BYTES)
    except ScenarioError as exc:
        problems.extend(exc.problems)
        return None


def read_csv_text(path: Path, display_name: str, problems: list[str]) -> str | None:
    """The text of a CSV file (a byte-order mark kept as its first character); on failure append a
    message to problems and return None."""
    data = read_table_bytes(path, display_name, problems)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            f"{display_name}: not UTF-8 text (byte {exc.start}). Save the file as UTF-8 CSV (in Excel: Save As, "
            "'CSV UTF-8')."
        )
        return None
    if not text.lstrip("\ufeff").strip():
        problems.append(f"{display_name}: the file is empty; it needs a header row and data rows.")
        return None
    return text


def parse_csv(text: str, display_name: str, problems: list[str], separator: str = ",") -> pd.DataFrame | None:
    """CSV text as a frame of text cells with stripped column names; on failure append a message."""
    try:
        frame = pd.read_csv(StringIO(text.lstrip("\ufeff")), sep=separator, dtype=str, keep_default_na=False,
                            skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        problems.append(f"{display_name}: not a valid CSV ({exc}). Check quoting and the number of "
                        f"{'commas' if separator == ',' else 'separators'} per line.")
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
    good, wanted = [], set(expected)
    listed, left_out = 0, 0
    for position, record in zip(frame.index, records(frame), strict=True):
        line = position + FIRST_DATA_LINE  # the index counts data rows from 0, skipped note rows included
        cells = {k: v for k, v in ((k, v.strip() if isinstance(v, str) else v) for k, v in record.items()
                                   if k in wanted) if v not in ("", None)}
        try:
            good.append(model.model_validate(cells).model_dump())
        except ValidationError as exc:
            for error in exc.errors():
                if listed >= MESSAGES_MAX:
                    left_out += 1
                    continue
                listed += 1
                column = ".".join(str(p) for p in error["loc"]) or "(row)"
                found = cells.get(str(error["loc"][0])) if error["loc"] else None
                problems.append(
                    f"{display_name} line {line}, column {column}: {shortened(error_message(error))}"
                    + (f" (found {shortened(repr(found))})" if found is not None else " (cell is empty)")
                    + ". Fix the cell."
                )
    if left_out:
        problems.append(f"{display_name}: {left_out:,} more problem(s) in later rows, not listed; fix the ones above "
                        "first (they are often the same mistake).")
    return pd.DataFrame(good, columns=expected)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; problems become ScenarioError naming the file."""
    name = str(path)
    data = read_regular_file(path, name, MAX_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{name}: not UTF-8 text (byte {exc.start}). Save the file as UTF-8.") from None
    try:
        return strict_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            f"{name}: not valid YAML{where}: {problem}. Check indentation, colons and quotes there."
        ) from None
