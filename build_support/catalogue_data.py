"""Put the catalogues into the wheel: vehicles/ and fuels/ of the repository are copied to
fleet_planner/catalogues/ while the package is built.

The top-level folders stay the one copy in the repository (nothing under fleet_planner/ is
committed twice); an installed package finds them in fleet_planner/catalogues/, a checkout or an
editable install in the repository itself (fleet_planner/loading/shipped.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

REPOSITORY = Path(__file__).resolve().parent.parent
CATALOGUE_FOLDERS = ("vehicles", "fuels")
CATALOGUE_SUFFIXES = (".csv", ".md")
PACKAGED_UNDER = Path("fleet_planner") / "catalogues"


def catalogue_files() -> list[Path]:
    """The catalogue files of the repository, relative to it (regular files only, no links)."""
    files = []
    for folder in CATALOGUE_FOLDERS:
        source = REPOSITORY / folder
        if not source.is_dir():
            msg = f"{source}: catalogue folder missing; build the package from a full copy of the repository"
            raise FileNotFoundError(msg)
        files += sorted(p.relative_to(REPOSITORY) for p in source.iterdir()
                        if p.suffix in CATALOGUE_SUFFIXES and p.is_file() and not p.is_symlink())
    return files


class BuildPyWithCatalogues(build_py):
    """build_py that also copies the catalogues into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the repository's own folders
        for relative in catalogue_files():
            target = Path(self.build_lib) / PACKAGED_UNDER / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPOSITORY / relative, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return [*outputs, *(str(Path(self.build_lib) / PACKAGED_UNDER / r) for r in catalogue_files())]
