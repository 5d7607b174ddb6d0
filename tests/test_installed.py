"""Installed like any Python tool: the wheel built from this repository, installed (not editable)
into a fresh virtual environment, plans a scenario that names no catalogue path, run from a
folder that is not the repository.

The build uses pip's isolated build (the setuptools of pyproject.toml's build-system, from the
package registry), as `pip install .` does. The fresh environment reuses this environment's
installed dependencies (a path file), so only fleet-planner itself is installed into it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow

NOT_COPIED_AT_TOP = {".git", ".venv", "results", "build", "dist", "bench", ".pytest_cache", ".hypothesis"}
NOT_COPIED_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info")


def not_copied(folder: str, names: list[str]) -> set[str]:
    """Local folders of a working tree (at its top only: fleet_planner/optimisation/build is code)."""
    top = {n for n in names if n in NOT_COPIED_AT_TOP} if Path(folder) == REPO else set()
    return top | NOT_COPIED_ANYWHERE(folder, names)
SMALL_SCENARIO = """\
# A scenario as a user writes one: no catalogue path, a fleet register next to it.
name: Installed check
horizon_first_year: 2026
horizon_last_year: 2028
currency: USD
price_base_year: 2025
discount_rate: 0.08
fleet: register.csv
demand:
  forklift_2_5t:
    annual_activity_au: 8000
solver:
  mip_gap: 0.01
"""
SMALL_FLEET = "segment;technology;model_year;count\nforklift_2_5t;diesel;2018;4\n"


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder, environment, build log) of a venv with the wheel of this repository installed."""
    root = tmp_path_factory.mktemp("installed")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=not_copied)  # never build inside the working tree
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    built = _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-v", "-w", str(root / "dist")],
                 root, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next((root / "dist").glob("fleet_planner-*.whl"))
    venv = root / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], root, env).returncode == 0
    python = venv / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root, env)
    # the dependencies: this environment's site-packages, after the venv's own (a plain path line,
    # so this environment's editable install of fleet-planner is not picked up)
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib.stdout.strip()) / "dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")
    install = _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], root, env)
    assert install.returncode == 0, install.stdout + install.stderr
    return venv / "bin", env, built.stdout + built.stderr


def test_the_wheel_builds_without_licence_deprecation_warnings(installed):
    _bin, _env, log = installed
    # e.g. "BuildBackendWarning: `project.license` as a TOML table is deprecated"
    found = [line for line in log.splitlines() if "licen" in line.lower() and "deprecat" in line.lower()]
    assert not found, "setuptools warned:\n" + "\n".join(found)


def test_the_installed_package_is_the_wheel_with_its_catalogues(installed, tmp_path):
    bin_dir, env, _log = installed
    where = _run([str(bin_dir / "python"), "-c", "import fleet_planner, pathlib; "
                  "p = pathlib.Path(fleet_planner.__file__).parent; print(p); "
                  "print((p / 'catalogues' / 'vehicles' / 'technologies.csv').is_file())"], tmp_path, env)
    folder, has_catalogue = where.stdout.split()
    assert Path(folder).is_relative_to(bin_dir.parent), folder  # not the checkout, not an editable install
    assert has_catalogue == "True"


def test_catalogue_and_plan_run_from_any_folder(installed, tmp_path):
    bin_dir, env, _log = installed
    tool = str(bin_dir / "fleet-planner")
    listing = _run([tool, "catalogue"], tmp_path, env)
    assert listing.returncode == 0, listing.stdout + listing.stderr
    assert "forklift_2_5t" in listing.stdout and "not found" not in listing.stdout + listing.stderr
    version = _run([tool, "--version"], tmp_path, env)
    assert version.returncode == 0 and version.stdout.startswith("fleet-planner "), version.stdout + version.stderr
    template = _run([tool, "template", "fleet", "--out", "register.xlsx"], tmp_path, env)
    assert template.returncode == 0 and (tmp_path / "register.xlsx").is_file(), template.stdout + template.stderr
    (tmp_path / "scenario.yaml").write_text(SMALL_SCENARIO)
    (tmp_path / "register.csv").write_text(SMALL_FLEET)
    plan = _run([tool, "plan", "scenario.yaml", "--out", "out"], tmp_path, env)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "separator ';'" in plan.stderr  # the dialect of the fleet file is named
    assert (tmp_path / "out" / "inputs" / "vehicles" / "technologies.csv").is_file()
    assert "NPV of total cost" in plan.stdout
