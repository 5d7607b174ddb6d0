"""The range of an uncertain input by its kind and the reliability grade of the catalogue rows it
multiplies: vehicles/uncertainty_ranges.csv, the one table both the sensitivity analysis (tornado,
break-evens) and the Monte Carlo sweep read, so that both move an input over the same low and high.
A catalogue of your own may hold its own file; otherwise the shipped one applies. Rationale:
docs/model.md, "Analyses"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from fleet_planner.exceptions import CatalogueError
from fleet_planner.loading.files import read_csv_table
from fleet_planner.loading.frames import records
from fleet_planner.loading.shipped import shipped_catalogue
from fleet_planner.schemas.catalogue import UNCERTAINTY_RANGES_FILE

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue

RANGES_FILE = UNCERTAINTY_RANGES_FILE
SOURCES_FILE = "sources.csv"
KINDS: tuple[str, ...] = ("fuel_price", "capex", "discount_rate")
DISTRIBUTIONS: tuple[str, ...] = ("uniform", "triangular", "lognormal")
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
ANY_GRADE = "*"
"""A row for every grade of its kind (a row of the grade itself comes first)."""
GRADES_NEEDED: dict[str, tuple[str, ...]] = {"fuel_price": GRADES, "capex": GRADES, "discount_rate": (ANY_GRADE,)}
"""The grades each kind must have a range for: the discount rate has no catalogue row to grade."""
COLUMNS: tuple[str, ...] = ("kind", "grade", "low_multiplier", "high_multiplier", "distribution", "rationale",
                            "source_id")
SOURCE_COLUMNS: tuple[str, ...] = ("source_id", "citation", "year", "url", "grade", "notes")
DURING = "reading the uncertainty ranges"


@dataclass(frozen=True)
class InputRange:
    """The range of every input of one kind and grade. low, high: multipliers of the scenario's value;
    uniform and triangular inputs stay within them (triangular with its mode at 1), lognormal takes
    them as the 5th and 95th percentiles. [-]"""

    kind: str
    grade: str
    low: float
    high: float
    distribution: str
    rationale: str
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class UncertaintyRanges:
    file: Path
    rows: dict[tuple[str, str], InputRange]
    sources: pd.DataFrame
    """The rows of the sources.csv next to the file that it cites (columns SOURCE_COLUMNS)."""

    def of(self, kind: str, grade: str) -> InputRange:
        """The range of an input of this kind whose rows have this grade (or the kind's * row)."""
        return self.rows.get((kind, grade)) or self.rows[(kind, ANY_GRADE)]


def ranges_file(vehicles_dir: Path | None) -> Path:
    """The catalogue's own ranges file, or the shipped one."""
    own = Path(vehicles_dir) / RANGES_FILE if vehicles_dir is not None else None
    return own if own is not None and own.is_file() else shipped_catalogue("vehicles") / RANGES_FILE


def load_uncertainty_ranges(vehicles_dir: Path | None = None) -> UncertaintyRanges:
    """The ranges of the catalogue in vehicles_dir (or the shipped ones); CatalogueError naming every
    problem by file, line and column, with its fix."""
    path = ranges_file(vehicles_dir)
    problems: list[str] = []
    table = read_csv_table(path, str(path), problems)
    if table is None or problems:
        raise CatalogueError(problems or [f"{path}: unreadable"], during=DURING)
    _check_header(path, table)
    sources_path = path.parent / SOURCES_FILE
    sources = source_rows(sources_path, problems)
    rows: dict[tuple[str, str], InputRange] = {}
    first_line: dict[tuple[str, str], int] = {}
    for line, row in enumerate(records(table), start=2):
        where = f"{path} line {line}"
        found = _read_row(row, where, sources, sources_path, problems)
        if found is None:
            continue
        key = (found.kind, found.grade)
        if key in rows:
            problems.append(f"{where}: a second row for kind {key[0]}, grade {key[1]} (the first is line "
                            f"{first_line[key]}); keep one.")
            continue
        rows[key], first_line[key] = found, line
    if not problems:
        problems += [f"{path}: no range for kind {kind}, grade {grade}; add a row for it"
                     + (f", or one with grade {ANY_GRADE} for every grade of {kind}." if grade != ANY_GRADE else ".")
                     for kind, needed in GRADES_NEEDED.items() for grade in needed
                     if (kind, grade) not in rows and (kind, ANY_GRADE) not in rows]
    if problems:
        raise CatalogueError(problems, during=DURING)
    cited = list(dict.fromkeys(i for r in rows.values() for i in r.source_ids))
    return UncertaintyRanges(path, rows, cited_sources(sources, cited))


def _check_header(path: Path, table: pd.DataFrame) -> None:
    """Every column present; the earlier format (one range per grade for every input) named as such."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if not missing:
        return
    if "kind" in missing and "grade" in table.columns:
        raise CatalogueError(
            f"{path}: column(s) {', '.join(missing)} missing: this is the earlier format, one range per grade for "
            "every input. A range is now given per kind of input and grade, with its distribution, and both the "
            f"sensitivity analysis and the uncertainty sweep read it. Fix: use the header {','.join(COLUMNS)}, "
            f"one row per kind ({', '.join(k for k in KINDS if k != 'discount_rate')}) and grade (A-D, or "
            f"{ANY_GRADE} for every grade) and a discount_rate row with grade {ANY_GRADE}; start from the shipped "
            f"file {shipped_catalogue('vehicles') / RANGES_FILE}, or delete this file to use the shipped ranges.")
    raise CatalogueError(f"{path}: column(s) {', '.join(missing)} missing; the header is {','.join(COLUMNS)}.")


def _read_row(row: dict, where: str, sources: pd.DataFrame, sources_path: Path, problems: list[str]
              ) -> InputRange | None:
    """One row of the table, or None with its problems appended (each naming the column and the fix)."""
    before = len(problems)
    kind, grade, distribution = (str(row[c]).strip() for c in ("kind", "grade", "distribution"))
    if kind not in KINDS:
        problems.append(f"{where}, column kind: {kind!r} is not one of {', '.join(KINDS)}.")
    if grade not in (*GRADES, ANY_GRADE):
        problems.append(f"{where}, column grade: {grade!r} is not one of {', '.join(GRADES)} or {ANY_GRADE} (every "
                        "grade).")
    elif kind == "discount_rate" and grade != ANY_GRADE:
        problems.append(f"{where}, column grade: the discount rate has no catalogue row to grade; write "
                        f"{ANY_GRADE} (found {grade!r}).")
    if distribution not in DISTRIBUTIONS:
        problems.append(f"{where}, column distribution: {distribution!r} is not one of {', '.join(DISTRIBUTIONS)}.")
    low, high = (pd.to_numeric(pd.Series([row["low_multiplier"], row["high_multiplier"]]), errors="coerce")
                 .astype(float).tolist())
    problems += [f"{where}{p}" for p in _range_problems(low, high, distribution)]
    if not str(row["rationale"]).strip():
        problems.append(f"{where}, column rationale: empty; say why the range is this wide.")
    ids = tuple(i.strip() for i in str(row["source_id"]).split(";") if i.strip())
    known = set(sources["source_id"])
    if not ids:
        problems.append(f"{where}, column source_id: empty; name the source(s) of the range (several separated "
                        f"by ';'), each a row of {sources_path}.")
    problems += [f"{where}, column source_id: {i!r} is not in {sources_path}; add it there (citation, year, "
                 "grade) or correct the id." for i in ids if i not in known]
    if len(problems) > before:
        return None
    return InputRange(kind, grade, low, high, distribution, str(row["rationale"]).strip(), ids)


def _range_problems(low: float, high: float, distribution: str) -> list[str]:
    """What is wrong with a low/high pair (each message starts with the columns it is about)."""
    if pd.isna(low) or pd.isna(high) or low < 0 or high == float("inf"):
        return [", columns low_multiplier/high_multiplier: give two numbers >= 0, e.g. 0.8 and 1.2."]
    if low > high:
        return [f": low_multiplier {low:g} is above high_multiplier {high:g}; swap them."]
    if low == high:
        return [f": the range is empty (low_multiplier = high_multiplier = {low:g}); give a low below the high, "
                "e.g. 0.8 and 1.2."]
    if not low <= 1.0 <= high:
        return [f": the range {low:g}-{high:g} must include 1 (the catalogue value)."]
    if distribution == "lognormal" and low == 0:
        return [", column low_multiplier: a lognormal range needs a low above 0 (it is the 5th percentile)."]
    return []


def source_rows(path: Path, problems: list[str]) -> pd.DataFrame:
    """The rows of a sources.csv as text (empty, with a problem appended, if it cannot be read)."""
    table = read_csv_table(path, str(path), problems)
    if table is None or "source_id" not in table.columns:
        if table is not None:
            problems.append(f"{path}: no source_id column; the header is {','.join(SOURCE_COLUMNS)}.")
        return pd.DataFrame(columns=list(SOURCE_COLUMNS))
    return table.assign(source_id=table["source_id"].str.strip())


def cited_sources(sources: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of `sources` with these ids, in the order given."""
    by_id = sources.drop_duplicates("source_id").set_index("source_id")
    present = [i for i in ids if i in by_id.index]
    return by_id.loc[present].reset_index().reindex(columns=list(SOURCE_COLUMNS))


@dataclass(frozen=True)
class InputGrades:
    """The reliability grade of an uncertain input: the worst among the sources of the catalogue rows
    it multiplies (D where a row's source is unknown or none is given). A fuel price: its price rows in
    the scenario's region; a technology's capex: its purchase-price rows of the scenario's segments and
    the conversion rows to it there; the discount rate: no rows, ANY_GRADE."""

    catalogue: Catalogue
    region: str
    segments: frozenset[str]

    def of(self, kind: str, item: str) -> str:
        c = self.catalogue
        if kind == "fuel_price":
            prices = c.prices
            return self._worst(prices.loc[(prices["fuel"] == item) & (prices["region"] == self.region), "source_id"])
        if kind == "capex":
            years, conversions = c.technology_years, c.conversions
            return self._worst([
                *years.loc[(years["technology"] == item) & years["segment"].isin(self.segments), "source_id"],
                *conversions.loc[(conversions["to_technology"] == item) & conversions["segment"].isin(self.segments),
                                 "source_id"]])
        return ANY_GRADE

    @cached_property
    def _grade_of(self) -> dict[str, str]:
        sources = self.catalogue.sources
        return dict(zip(sources["source_id"], sources["grade"].astype(str), strict=True))

    def _worst(self, cells: Iterable) -> str:
        found = [self._grade_of.get(i.strip(), "D") for cell in cells if isinstance(cell, str) for i in cell.split(";")
                 if i.strip()]
        return max([g if g in GRADES else "D" for g in found], default="D")
