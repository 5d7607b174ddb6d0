"""Regenerate the stored regression tables of the shipped scenarios (tests/data/expected/).

Run from the repository root after a deliberate change to the model or the catalogues:

    .venv/bin/python tests/regenerate_expected.py

then review `git diff tests/data/expected` like any other change: every difference must be
explained by the change (the commit message says why). Do not regenerate to silence a failure
you do not understand.
"""

from __future__ import annotations

from pathlib import Path

from fleet_planner.loading.scenario import load_scenario
from fleet_planner.pipeline import optimise

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "expected"
SCENARIOS = {
    "senior-bus-santiago": None,
    "logistics-forklifts": None,
    "logistics-trucks-staged": None,
    "logistics-trucks-staged--direct_to_zero": "direct_to_zero",
}
REGRESSION_TABLES = ("plan_by_year", "fleet", "emissions", "summary")


def regression_tables(name: str) -> dict:
    """The tables a shipped scenario is compared on."""
    file, _, _ = name.partition("--")
    result = optimise(load_scenario(ROOT / "scenarios" / f"{file}.yaml", variant=SCENARIOS[name]))
    tables = result.tables
    return {table: tables[table] for table in REGRESSION_TABLES}


def main() -> None:
    for name in SCENARIOS:
        folder = EXPECTED / name
        folder.mkdir(parents=True, exist_ok=True)
        for table, frame in regression_tables(name).items():
            frame.to_csv(folder / f"{table}.csv", index=False, float_format="%.6f", lineterminator="\n")
        print(f"wrote {folder}")


if __name__ == "__main__":
    main()
