"""Write a result folder safely: everything goes to a temporary sibling folder, which replaces the
target only once complete. A failed or interrupted run leaves no half-written folder and never
touches an earlier result unless --force is given.

A result folder can be re-run on its own: it holds the resolved scenario, the fleet CSV and a
copy of the catalogues it used (`inputs/`).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import yaml

from fleet_planner._version import __version__
from fleet_planner.exceptions import OutputExistsError
from fleet_planner.schemas.catalogue import TABLES, UNCERTAINTY_RANGES_FILE
from fleet_planner.schemas.scenario import FleetCohort
from fleet_planner.text import spreadsheet_safe

CSV_FLOAT_FORMAT = "%.6f"


MARKER = ".fleet-planner-result"
"""File in every result folder: --force replaces only a folder that has it (never, say, a folder of
documents given as --out by mistake)."""


def check_output_target(out_dir: Path, *, force: bool) -> None:
    """Refuse, before any work, an --out the run could not write or must not replace."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise OutputExistsError(f"{out_dir} exists and is not a folder; choose another --out.")
    if out_dir.exists():
        if not force:
            raise OutputExistsError(f"{out_dir} already exists; give --force to replace it, or choose another --out.")
        if any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
            raise OutputExistsError(f"{out_dir} is not a fleet-planner result folder (no {MARKER} file), so --force "
                                    "will not delete it; choose another --out.")
    parent = out_dir.resolve().parent
    if parent.exists() and not parent.is_dir():
        raise OutputExistsError(f"{parent} is a file, so {out_dir} cannot be created; choose another --out.")


@contextmanager
def staged_output(out_dir: Path, *, force: bool):
    """Yield a temporary folder; on success move it to out_dir (replacing it only with force, and
    only a result folder). The check and the move happen under a lock on the parent folder, so of
    two runs into the same --out without --force the second fails instead of replacing the first.
    Staging folders left by killed runs are removed first."""
    out_dir = Path(out_dir)
    check_output_target(out_dir, force=force)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-{os.getpid()}-", dir=out_dir.parent))
    readable_like_other_files(staging)
    try:
        yield staging
        (staging / MARKER).write_text(f"fleet-planner {__version__}\n", encoding="utf-8")
        with _locked(out_dir.parent):
            check_output_target(out_dir, force=force)
            if out_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
                old.rmdir()
                out_dir.rename(old)
                staging.rename(out_dir)
                shutil.rmtree(old, ignore_errors=True)
            else:
                staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def _locked(folder: Path):
    """An exclusive lock on a folder (flock on the folder itself: nothing is left behind)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def remove_stale_staging(out_dir: Path) -> None:
    """Remove .NAME.partial-PID-* and .NAME.old-PID-* folders of runs that are no longer alive."""
    for folder in out_dir.parent.glob(f".{out_dir.name}.*-*-*"):
        kind, _, rest = folder.name.removeprefix(f".{out_dir.name}.").partition("-")
        pid = rest.split("-", 1)[0]
        if kind in ("partial", "old") and pid.isdigit() and folder.is_dir() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A table as CSV, fixed float format (byte-identical for identical inputs); text a spreadsheet
    would run as a formula is written with a leading apostrophe (fleet_planner.text)."""
    safe = frame.copy()
    for column in safe.columns:
        if is_count_column(str(column)) and whole_numbers(safe[column]):
            safe[column] = safe[column].round().astype("Int64")  # 14, not 14.000000
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    safe.columns = [spreadsheet_safe(str(c)) for c in safe.columns]
    safe.to_csv(path, index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")


def is_count_column(name: str) -> bool:
    """Vehicles or units counted: `*_count` and `count`."""
    return name == "count" or name.endswith("_count")


def whole_numbers(values: pd.Series) -> bool:
    """A numeric column whose every value is a whole number (within 1e-6; empty cells allowed)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    present = values.dropna()
    return bool(((present - present.round()).abs() <= 1e-6).all()) and bool(present.abs().le(2**53).all())


def readable_like_other_files(folder: Path) -> None:
    """A staging folder (mkdtemp: 0700) gets the permissions any folder the user creates gets
    (0777 less the umask), so a result folder is readable like the user's other files."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """One CSV per table (write_csv)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in sorted(tables.items()):
        write_csv(frame, folder / f"{name}.csv")


def write_resolved_scenario(scenario, folder: Path) -> Path:
    """Copy the catalogues and fleet into folder/inputs and write scenario.resolved.yaml pointing at them."""
    inputs = folder / "inputs"
    copy_catalogue(scenario, inputs)
    data = scenario.model_dump(mode="json", exclude={"variants"})
    fleet = pd.DataFrame([c.model_dump() for c in scenario.fleet]) if scenario.fleet else pd.DataFrame(
        columns=list(FleetCohort.model_fields))
    write_csv(fleet, inputs / "fleet.csv")
    data["fleet"] = "inputs/fleet.csv" if not fleet.empty else []
    data["vehicles_catalogue"] = "inputs/vehicles"
    data["fuels_catalogue"] = "inputs/fuels"
    path = folder / "scenario.resolved.yaml"
    path.write_text("# The scenario exactly as solved (variant and --set applied); re-run with\n"
                    "#   fleet-planner plan scenario.resolved.yaml --out OTHER_DIR\n"
                    + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def copy_catalogue(scenario, inputs: Path) -> None:
    """Copy the catalogue into inputs/vehicles and inputs/fuels: only the files the catalogue format
    defines (schemas.catalogue.TABLES, and the uncertainty ranges where the catalogue has them, so a
    re-run's analyses use the same), read as CSV text and written back with write_csv, so nothing
    else in those folders (a symlink to a secret, a huge file, a folder loop) is copied and no cell
    becomes a live formula."""
    folders = {"vehicles": Path(scenario.vehicles_catalogue), "fuels": Path(scenario.fuels_catalogue)}
    files = [(folder_name, file_name) for folder_name, file_name, _model, _keys in TABLES.values()]
    if (folders["vehicles"] / UNCERTAINTY_RANGES_FILE).is_file():
        files.append(("vehicles", UNCERTAINTY_RANGES_FILE))
    for folder_name, file_name in files:
        source = folders[folder_name] / file_name
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        target = inputs / folder_name / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_csv(frame, target)


def write_plan_result(result, out_dir: Path, *, force: bool,
                      extra: Callable[[Path], None] | None = None) -> Path:
    """Write every table, the decisions, the resolved scenario and run metadata; then `extra(folder)`."""
    with staged_output(out_dir, force=force) as folder:
        write_tables(result.tables, folder)
        write_csv(result.decisions.to_long(), folder / "decisions.csv")
        write_resolved_scenario(result.scenario, folder)
        run = {
            "solver": result.solve.solver, "status": str(result.solve.status), "message": result.solve.message,
            "mip_gap": result.solve.gap, "model_size": result.model_size,
            "interrupted": bool(getattr(result.solve, "interrupted", False)),
            "warnings": result.warnings,
        }
        (folder / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if extra is not None:
            extra(folder)
    return Path(out_dir)
