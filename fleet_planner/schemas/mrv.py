"""The MRV data files (mrv/*.csv) and the definition of an MRV project.

The numbers of the JCM-style calculation describe the world (conservative emission factors,
net calorific values, legal useful lives), so they live in data files with a source and a grade,
like the catalogue: `mrv/parameters.csv`, `mrv/monitoring.csv` and `mrv/sources.csv`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from fleet_planner.schemas._base import FrozenModel, Id, NonNegative, Year
from fleet_planner.schemas.catalogue import Grade, SourcedRow, SourceRow

MrvParameter = Literal["reference_co2_kg_per_gj", "reference_ncv_mj_per_unit", "reference_energy_use_factor",
                       "project_co2e_kg_per_gj", "legal_useful_life_years"]
"""What a row of mrv/parameters.csv gives; `key` is a fuel id, a segment id or 'all'."""

MonitoringScope = Literal["km", "h", "electricity", "hydrogen", "diesel", "gas", "lpg", "all", "fixed"]
"""Which projects a monitoring parameter applies to: by activity unit, by energy carrier, always
('all': measured each period; 'fixed': fixed ex ante)."""


class MrvParameterRow(SourcedRow):
    parameter: MrvParameter
    key: Id
    value: NonNegative
    unit: str = Field(min_length=1)
    year: Year
    grade: Grade
    notes: str | None = None


class MonitoringRow(SourcedRow):
    parameter: str = Field(min_length=3)
    symbol: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    applies_to: MonitoringScope
    measured_by: str = Field(min_length=3)
    frequency: str = Field(min_length=3)


# table name -> (file, row model, columns that must be unique together)
MRV_TABLES: dict[str, tuple[str, type[FrozenModel], tuple[str, ...]]] = {
    "mrv_sources": ("sources.csv", SourceRow, ("source_id",)),
    "mrv_parameters": ("parameters.csv", MrvParameterRow, ("parameter", "key")),
    "mrv_monitoring_list": ("monitoring.csv", MonitoringRow, ("parameter",)),
}


class MrvProject(FrozenModel):
    """The plan decisions a grant or credit application covers and its crediting period.

    Purchases of `technologies` in `segment` and conversions into them, made in first_year to
    last_year; their reductions are counted in crediting_first_year to crediting_last_year."""

    name: str = Field(min_length=1, max_length=200)
    segment: Id
    technologies: tuple[Id, ...] = Field(min_length=1)
    first_year: Year
    last_year: Year
    crediting_first_year: Year | None = None
    crediting_last_year: Year | None = None
    grant: NonNegative | None = None
    """The grant in the scenario currency; omitted: the plan's subsidies on the project's purchases."""

    @model_validator(mode="after")
    def _ordered(self) -> MrvProject:
        if self.last_year < self.first_year:
            msg = f"the decision years {self.first_year}-{self.last_year} run backwards; give FIRST-LAST"
            raise ValueError(msg)
        if (self.crediting_first_year is not None and self.crediting_last_year is not None
                and self.crediting_last_year < self.crediting_first_year):
            msg = "the crediting period runs backwards; give FIRST-LAST"
            raise ValueError(msg)
        return self
