"""Where a sweep keeps its samples' records while it runs, so an interrupted sweep resumes.

The records go to `.OUT.sweep/records.jsonl` beside the result folder OUT, one line of JSON per
sample, appended (and flushed to disk) as each chunk arrives; `sweep.json` beside it identifies
the sweep (scenario, catalogue, mode, seed, samples, ranges). `--resume` reads the lines back (a
line cut short by the interruption is dropped) and runs only the samples missing; a stored sweep
made with other settings is refused rather than mixed in. The folder is removed once the result
folder is written.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from fleet_planner.exceptions import OutputExistsError, ScenarioError

RECORDS = "records.jsonl"
IDENTITY = "sweep.json"


class SweepStore:
    """The staging area of the sweep that writes the result folder out_dir."""

    def __init__(self, out_dir: Path) -> None:
        out_dir = Path(out_dir)
        self.out_dir = out_dir
        self.folder = out_dir.parent / f".{out_dir.name}.sweep"

    def check_start(self, *, resume: bool, force: bool) -> None:
        """Refuse, before any work, to start over a stored sweep without --resume or --force."""
        if self.folder.exists() and not resume and not force:
            raise OutputExistsError(
                f"{self.out_dir}: an interrupted sweep is stored in {self.folder} ({len(self.read())} sample(s) "
                "done); give --resume to go on from it, or --force to start again.")

    def open(self, identity: dict, *, resume: bool, force: bool) -> dict[int, dict]:
        """Start the store (or, with resume, reopen it); return the records already stored."""
        identity = json.loads(json.dumps(identity))
        self.check_start(resume=resume, force=force)
        if self.folder.exists():
            if not resume:
                shutil.rmtree(self.folder)
            else:
                self._check_identity(identity)
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (self.folder / IDENTITY).is_file():
            _write_atomically(self.folder / IDENTITY, json.dumps(identity, indent=1, sort_keys=True) + "\n")
        records = self.read()
        _write_atomically(self.folder / RECORDS, "".join(record_line(r) for _, r in sorted(records.items())))
        return records

    def _check_identity(self, identity: dict) -> None:
        try:
            stored = json.loads((self.folder / IDENTITY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
        if stored != identity:
            differ = sorted(k for k in identity if not isinstance(stored, dict) or stored.get(k) != identity[k])
            raise ScenarioError(
                f"{self.folder}: the stored sweep was made with other settings ({', '.join(differ) or 'unreadable'}); "
                "run with the same scenario, catalogue, --samples, --mode, --seed and ranges to resume it, or give "
                "--force instead of --resume to start again.")

    def read(self) -> dict[int, dict]:
        """Stored records by sample index; lines that do not parse (cut short) are dropped."""
        path = self.folder / RECORDS
        records: dict[int, dict] = {}
        if not path.is_file():
            return records
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
                records[int(record["sample"])] = record
            except (ValueError, KeyError, TypeError):
                continue
        return records

    def append(self, records: list[dict]) -> None:
        """Add records and flush them to disk before returning."""
        with (self.folder / RECORDS).open("a", encoding="utf-8") as handle:
            handle.write("".join(record_line(r) for r in records))
            handle.flush()
            os.fsync(handle.fileno())

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def record_line(record: dict) -> str:
    """One record as one line of JSON (floats round-trip exactly)."""
    return json.dumps(record, sort_keys=True) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
