"""Where the catalogues shipped with fleet-planner are: inside the installed package
(fleet_planner/catalogues/, copied there when the wheel is built), or, in a checkout or an
editable install, the repository's own vehicles/ and fuels/ folders."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fleet_planner.exceptions import CatalogueError

PACKAGE = Path(__file__).resolve().parent.parent
PACKAGED = PACKAGE / "catalogues"
"""Where a built package (wheel) holds the catalogues."""
REPOSITORY = PACKAGE.parent
"""A checkout: the folder holding fleet_planner/, pyproject.toml, vehicles/ and fuels/."""
PRESENT_WHEN = "sources.csv"
"""A file every catalogue folder has (each table's sources)."""

CatalogueKind = Literal["vehicles", "fuels"]


def shipped_catalogue(kind: CatalogueKind) -> Path:
    """The folder of the shipped vehicle or fuel catalogue; CatalogueError (with the fix) if the
    installation lacks it."""
    candidates = [PACKAGED / kind]
    if (REPOSITORY / "pyproject.toml").is_file():
        candidates.append(REPOSITORY / kind)
    for folder in candidates:
        if (folder / PRESENT_WHEN).is_file():
            return folder
    looked = " and ".join(str(c) for c in candidates)
    raise CatalogueError(
        f"the {kind} catalogue shipped with fleet-planner is missing (looked in {looked}). Reinstall "
        "fleet-planner (pip install --force-reinstall fleet-planner), or name your own folder in the scenario "
        f"with {kind}_catalogue: PATH (or --{kind} PATH for `fleet-planner catalogue`)."
    )
