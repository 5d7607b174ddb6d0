"""Load and check the vehicle and fuel catalogues (CSV -> validated pandas tables).

Every problem in every file is collected and reported at once, each with the file, the
row (as the line number a spreadsheet shows), the column, what was found and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from fleet_planner.exceptions import CatalogueError
from fleet_planner.schemas import catalogue as rows

# table name -> (catalogue folder, file, row model, columns that must be unique together)
TABLES: dict[str, tuple[str, str, type[BaseModel], tuple[str, ...]]] = {
    "vehicle_sources": ("vehicles", "sources.csv", rows.SourceRow, ("source_id",)),
    "technology_types": ("vehicles", "technology_types.csv", rows.TechnologyTypeRow, ("technology",)),
    "segments": ("vehicles", "segments.csv", rows.SegmentRow, ("segment",)),
    "technologies": ("vehicles", "technologies.csv", rows.TechnologyRow, ("segment", "technology")),
    "technology_years": (
        "vehicles", "technology_years.csv", rows.TechnologyYearRow, ("segment", "technology", "year"),
    ),
    "residual_values": ("vehicles", "residual_values.csv", rows.ResidualValueRow, ("segment", "age_years")),
    "conversions": (
        "vehicles", "conversions.csv", rows.ConversionRow, ("segment", "from_technology", "to_technology"),
    ),
    "technology_fuels": ("vehicles", "technology_fuels.csv", rows.TechnologyFuelRow, ("technology", "slot", "fuel")),
    "infrastructure": ("vehicles", "infrastructure.csv", rows.InfrastructureRow, ("infrastructure",)),
    "fuel_sources": ("fuels", "sources.csv", rows.SourceRow, ("source_id",)),
    "fuels": ("fuels", "fuels.csv", rows.FuelRow, ("fuel",)),
    "prices": ("fuels", "prices.csv", rows.PriceRow, ("fuel", "region", "year")),
    "emission_factors": ("fuels", "emission_factors.csv", rows.EmissionFactorRow, ("fuel", "application", "year")),
    "exchange_rates": ("fuels", "exchange_rates.csv", rows.ExchangeRateRow, ("currency", "year")),
    "constants": ("fuels", "constants.csv", rows.ConstantRow, ("constant",)),
}

FIRST_DATA_LINE = 2  # line 1 is the header


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue tables, one DataFrame per file (columns as in docs/catalogues.md)."""

    tables: dict[str, pd.DataFrame]
    vehicles_dir: Path
    fuels_dir: Path

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.__dict__["tables"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def sources(self) -> pd.DataFrame:
        return pd.concat([self.tables["vehicle_sources"], self.tables["fuel_sources"]], ignore_index=True)

    def constant(self, name: str) -> float:
        table = self.tables["constants"].set_index("constant")
        return float(table.loc[name, "value"])

    @cached_property
    def index(self) -> CatalogueIndex:
        """Dictionaries for fast lookups while preparing a model (built once per catalogue)."""
        return CatalogueIndex.from_tables(self.tables)


@dataclass(frozen=True)
class CatalogueIndex:
    """Row lookups by id: technologies by (segment, technology), types, fuels, fuel slots, regions."""

    technology: dict[tuple[str, str], dict]
    technologies_of_segment: dict[str, list[str]]
    technology_type: dict[str, dict]
    fuel: dict[str, dict]
    priced_fuels: dict[str, set[str]]
    fuel_slots: dict[str, dict[str, tuple[float, list[str]]]]

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> CatalogueIndex:
        technology = {(r["segment"], r["technology"]): r for r in tables["technologies"].to_dict("records")}
        of_segment: dict[str, list[str]] = {}
        for s, t in technology:
            of_segment.setdefault(s, []).append(t)
        slots: dict[str, dict[str, tuple[float, list[str]]]] = {}
        for r in tables["technology_fuels"].sort_values(["technology", "slot"], kind="mergesort").to_dict("records"):
            share, fuels = slots.setdefault(r["technology"], {}).get(r["slot"], (r["energy_share"], []))
            slots[r["technology"]][r["slot"]] = (float(share), [*fuels, r["fuel"]])
        priced: dict[str, set[str]] = {}
        for r in tables["prices"][["fuel", "region"]].to_dict("records"):
            priced.setdefault(r["region"], set()).add(r["fuel"])
        return cls(
            technology=technology, technologies_of_segment=of_segment,
            technology_type={r["technology"]: r for r in tables["technology_types"].to_dict("records")},
            fuel={r["fuel"]: r for r in tables["fuels"].to_dict("records")},
            priced_fuels=priced, fuel_slots=slots,
        )


def interpolate_years(
    table: pd.DataFrame, keys: list[str], value_columns: list[str], years: Iterable[int]
) -> pd.DataFrame:
    """Values for every requested year: linear between listed years, constant outside them.

    This is the catalogue's extrapolation rule: a table listing 2025 and 2030 gives the 2025
    value for 2020 and the 2030 value for 2050.
    """
    years = list(years)
    pieces = []
    for key, group in table.groupby(keys, sort=True):
        group = group.sort_values("year")
        out = pd.DataFrame({"year": years})
        for column in value_columns:
            out[column] = _interp(years, group["year"].tolist(), group[column].astype(float).tolist())
        key = key if isinstance(key, tuple) else (key,)
        for name, value in zip(keys, key, strict=True):
            out[name] = value
        pieces.append(out)
    if not pieces:
        return pd.DataFrame(columns=[*keys, "year", *value_columns])
    return pd.concat(pieces, ignore_index=True)[[*keys, "year", *value_columns]]


def _interp(x_new: list[int], xs: list[int], ys: list[float]) -> list[float]:
    result = []
    for x in x_new:
        if x <= xs[0]:
            result.append(ys[0])
        elif x >= xs[-1]:
            result.append(ys[-1])
        else:
            for (x0, y0), (x1, y1) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True), strict=False):
                if x0 <= x <= x1:
                    result.append(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
                    break
    return result


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
        from io import StringIO

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


def load_catalogue(vehicles_dir: Path | str, fuels_dir: Path | str) -> Catalogue:
    """Read, validate and cross-check both catalogue folders; raise CatalogueError listing every problem."""
    folders = {"vehicles": Path(vehicles_dir), "fuels": Path(fuels_dir)}
    problems: list[str] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, (folder, file, model, unique) in TABLES.items():
        display = f"{folder}/{file}"
        frame = read_csv_table(folders[folder] / file, display, problems)
        if frame is None:
            tables[name] = pd.DataFrame(columns=list(model.model_fields))
            continue
        typed = validate_rows(frame, model, display, problems)
        duplicated = typed[typed.duplicated(list(unique), keep=False)]
        if not duplicated.empty:
            keys = sorted({tuple(r) for r in duplicated[list(unique)].itertuples(index=False)})
            problems.append(f"{display}: duplicated {list(unique)} {keys[:5]}. Keep one row per key.")
        tables[name] = typed
    if not problems:
        from fleet_planner.checks import check_catalogue

        problems.extend(check_catalogue(tables))
    if problems:
        raise CatalogueError(problems, during="in the catalogues")
    return Catalogue(tables=tables, vehicles_dir=folders["vehicles"], fuels_dir=folders["fuels"])
