"""Write a result folder safely: everything goes to a temporary sibling folder, which replaces the
target only once complete. A failed or interrupted run leaves no half-written folder and never
touches an earlier result unless --force is given.

A result folder can be re-run on its own: it holds the resolved scenario, the fleet CSV and a
copy of the catalogues it used (`inputs/`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import yaml

from fleet_planner.exceptions import OutputExistsError
from fleet_planner.schemas.scenario import FleetCohort

CSV_FLOAT_FORMAT = "%.6f"


@contextmanager
def staged_output(out_dir: Path, *, force: bool):
    """Yield a temporary folder; on success move it to out_dir (replacing it only with force)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not force:
        raise OutputExistsError(f"{out_dir} already exists; give --force to replace it, or choose another --out.")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(f"{out_dir} exists and is not a folder; choose another --out.")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        yield staging
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            old.rmdir()
            out_dir.rename(old)
            staging.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """One CSV per table, fixed float format (byte-identical for identical inputs)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in sorted(tables.items()):
        frame.to_csv(folder / f"{name}.csv", index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")


def write_resolved_scenario(scenario, folder: Path) -> Path:
    """Copy the catalogues and fleet into folder/inputs and write scenario.resolved.yaml pointing at them."""
    inputs = folder / "inputs"
    shutil.copytree(scenario.vehicles_catalogue, inputs / "vehicles",
                    ignore=shutil.ignore_patterns("*.md", "__pycache__"))
    shutil.copytree(scenario.fuels_catalogue, inputs / "fuels", ignore=shutil.ignore_patterns("*.md", "__pycache__"))
    data = scenario.model_dump(mode="json", exclude={"variants"})
    fleet = pd.DataFrame([c.model_dump() for c in scenario.fleet]) if scenario.fleet else pd.DataFrame(
        columns=list(FleetCohort.model_fields))
    fleet.to_csv(inputs / "fleet.csv", index=False, lineterminator="\n")
    data["fleet"] = "inputs/fleet.csv" if not fleet.empty else []
    data["vehicles_catalogue"] = "inputs/vehicles"
    data["fuels_catalogue"] = "inputs/fuels"
    path = folder / "scenario.resolved.yaml"
    path.write_text("# The scenario exactly as solved (variant and --set applied); re-run with\n"
                    "#   fleet-planner plan scenario.resolved.yaml --out OTHER_DIR\n"
                    + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_plan_result(result, out_dir: Path, *, force: bool,
                      extra: Callable[[Path], None] | None = None) -> Path:
    """Write every table, the decisions, the resolved scenario and run metadata; then `extra(folder)`."""
    with staged_output(out_dir, force=force) as folder:
        write_tables(result.tables, folder)
        result.decisions.to_long().to_csv(folder / "decisions.csv", index=False, float_format=CSV_FLOAT_FORMAT,
                                          lineterminator="\n")
        write_resolved_scenario(result.scenario, folder)
        run = {
            "solver": result.solve.solver, "status": str(result.solve.status), "message": result.solve.message,
            "mip_gap": result.solve.gap, "model_size": result.model_size,
            "warnings": result.warnings,
        }
        (folder / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if extra is not None:
            extra(folder)
    return Path(out_dir)
