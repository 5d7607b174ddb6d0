"""The scenario a user writes (YAML) and the existing-fleet cohorts (CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from fleet_planner.schemas._base import (
    Count,
    FrozenModel,
    Id,
    NonNegative,
    Number,
    Share,
    Year,
)


class GrowthSeries(FrozenModel):
    """A value that grows geometrically from a base year: base x (1 + growth_rate)^(year - base_year)."""

    base: NonNegative
    """Value in base_year (unit of the field that holds this series)."""
    base_year: Year
    """Year of the base value."""
    growth_rate: float = Field(default=0.0, ge=-0.5, le=1.0)
    """Growth per year as a fraction (0.05 = +5 %/yr). [1/a]"""


YearValues = dict[Year, NonNegative]
"""Values by year; between listed years the series interpolates (see each field)."""

Series = YearValues | GrowthSeries | NonNegative
"""A constant, values by year, or a growth series."""


class FleetCohort(FrozenModel):
    """Vehicles of one segment, technology and model year already in the fleet."""

    segment: Id
    technology: Id
    model_year: Year
    count: Count
    """Number of vehicles. [vehicles]"""
    annual_activity_au: NonNegative | None = None
    """Activity per vehicle per year in the segment's activity unit (km or h); optional. [au/a]"""
    lease_end_year: Year | None = None
    """The cohort may not be sold or converted before this year (lease or contract)."""


class DutyBand(FrozenModel):
    """Duties of one daily length: a vehicle doing this duty covers daily_activity_au on each
    operating day, so its range must reach it (range eligibility) and it does at most
    daily_activity_au x operating days a year in this duty."""

    daily_activity_au: float = Field(gt=0, le=1e6)
    """Activity per vehicle per operating day in this duty. [au/day]"""
    share: Share | dict[Year, Share]
    """Share of the segment's annual activity done in this duty: a constant, or values by year
    (linear between listed years, constant outside). [-]"""

    def share_in(self, y: int) -> float:
        """The band's share of the activity in year y. [-]"""
        return _share_at(self.share, y)


def _share_at(share: float | dict[int, float], y: int) -> float:
    if not isinstance(share, dict):
        return float(share)
    years = sorted(share)
    if y <= years[0]:
        return float(share[years[0]])
    if y >= years[-1]:
        return float(share[years[-1]])
    lower = max(x for x in years if x <= y)
    upper = min(x for x in years if x >= y)
    if upper == lower:
        return float(share[lower])
    return share[lower] + (share[upper] - share[lower]) * (y - lower) / (upper - lower)


class SegmentDemand(FrozenModel):
    """What a segment must deliver each year."""

    annual_activity_au: Series | None = None
    """Total activity of the segment per year (km or operating hours). Omitted: the existing
    fleet's activity in the first year, grown by growth_rate. Values by year interpolate
    linearly. [au/a]"""
    growth_rate: float = Field(default=0.0, ge=-0.5, le=1.0)
    """Growth of the fleet-derived activity per year (only when annual_activity_au is omitted). [1/a]"""
    vehicles_required_count: Series | None = None
    """Vehicles needed in service each year (e.g. buses on routes), before spares. Values by
    year hold until the next listed year (step). [vehicles]"""
    spare_share: Share = 0.0
    """Spare vehicles on top of the vehicles in service, as a share of them: of
    vehicles_required_count, and of the duties each duty band needs at once (a spare for a long
    duty must have the range for it). [-]"""
    duty_bands: list[DutyBand] | None = None
    """Split of the activity by daily duty; omitted: one band at the segment's typical daily activity."""
    operating_days_per_year: float | None = Field(default=None, gt=0, le=366)
    """Days a year the vehicles work; omitted: the catalogue's (segments.csv). [d/a]"""
    one_duty_per_vehicle: bool = False
    """Each vehicle serves a single duty band all year (whole vehicles per band); default: a
    vehicle may work different duties on different days. [-]"""
    max_annual_activity_au: float | None = None
    """Removed: a vehicle's yearly activity now follows from its duty (daily activity x operating
    days). Kept only to explain the change to old scenario files."""
    technologies: list[Id] | None = None
    """Technologies the segment may use; omitted: all in the catalogue for the segment."""

    @model_validator(mode="after")
    def _bands_sum_to_one(self) -> SegmentDemand:
        if self.max_annual_activity_au is not None:
            msg = ("max_annual_activity_au is no longer used: a vehicle's yearly activity is its duty's "
                   "daily_activity_au x operating_days_per_year; remove it and set duty_bands or "
                   "operating_days_per_year instead")
            raise ValueError(msg)
        if self.duty_bands:
            listed = sorted({y for b in self.duty_bands if isinstance(b.share, dict) for y in b.share})
            for y in listed or [0]:
                total = sum(b.share_in(y) for b in self.duty_bands)
                if abs(total - 1.0) > 1e-6:
                    when = f" in {y}" if listed else ""
                    msg = f"duty_bands shares add up to {total:g}{when}; they must add up to 1"
                    raise ValueError(msg)
            dailies = [b.daily_activity_au for b in self.duty_bands]
            if len(set(dailies)) != len(dailies):
                msg = "duty_bands: two bands have the same daily_activity_au; merge them into one band"
                raise ValueError(msg)
        return self


class EmissionCap(FrozenModel):
    """Yearly emission caps, absolute or as a share of a base year."""

    tco2e: dict[Year, NonNegative] | None = None
    """Absolute caps by milestone year. [tCO2e/a]"""
    share_of_base: dict[Year, float] | None = None
    """Caps by milestone year as a share of the base emissions (0.7 = -30 %). [-]"""
    base_year: Year | None = None
    """Base emissions are the baseline (business-as-usual) plan's emissions in this year."""
    base_tco2e: NonNegative | None = None
    """Base emissions given directly instead of base_year. [tCO2e/a]"""
    interpolation: Literal["step", "linear"] = "step"
    """step: a milestone holds until the next one; linear: straight line between milestones.
    Before the first milestone there is no cap."""

    @model_validator(mode="after")
    def _one_form(self) -> EmissionCap:
        if (self.tco2e is None) == (self.share_of_base is None):
            msg = "give exactly one of tco2e (absolute) or share_of_base"
            raise ValueError(msg)
        if self.share_of_base is not None:
            if (self.base_year is None) == (self.base_tco2e is None):
                msg = "share_of_base needs exactly one of base_year or base_tco2e"
                raise ValueError(msg)
            bad = {y: v for y, v in self.share_of_base.items() if not 0 <= v <= 10}
            if bad:
                msg = f"share_of_base values must be between 0 and 10 (found {bad})"
                raise ValueError(msg)
        return self


class PurchaseWindow(FrozenModel):
    """Years in which a technology may be bought (or converted to)."""

    technology: Id
    segments: list[Id] | None = None
    """Segments the window applies to; omitted: all."""
    first_year: Year | None = None
    last_year: Year | None = None


class LockedCohort(FrozenModel):
    """A cohort that may not be sold or converted before until_year (lease, contract)."""

    segment: Id
    technology: Id
    model_year: Year
    until_year: Year


class Policy(FrozenModel):
    """Targets and rules the plan must respect."""

    emission_scope: Literal["ttw", "wtw"] = "ttw"
    """ttw: tank-to-wheel (tailpipe, incl. methane slip); wtw: well-to-wheel (incl. grid and fuel supply)."""
    emission_cap: EmissionCap | None = None
    purchase_windows: list[PurchaseWindow] = []
    zero_emission_share_min: dict[Year, Share] = {}
    """Minimum share of zero-emission vehicles in the fleet's stock by milestone year (step). [-]"""
    gas_end_year: Year | None = None
    """From this year on, natural-gas technologies (DDF, CNG) may no longer be bought, converted to or run."""
    capex_budget: Series | None = None
    """Most the owner may spend per year on vehicles (net of subsidies), conversions and
    infrastructure. [scenario currency/a]"""
    purchases_max_count: Series | None = None
    """Most vehicles bought per year, all segments together. [vehicles/a]"""
    sales_max_count: Series | None = None
    """Most vehicles sold early per year. [vehicles/a]"""
    locked_cohorts: list[LockedCohort] = []
    allow_conversions: bool = True
    allow_sales: bool = True


class SubsidyRule(FrozenModel):
    """A capex subsidy, e.g. JCM: a share of eligible capex within a year window, with caps."""

    name: Id
    technologies: list[Id] = Field(min_length=1)
    segments: list[Id] | None = None
    """Segments covered; omitted: all."""
    applies_to: list[Literal["purchases", "conversions", "infrastructure"]] = ["purchases"]
    """What counts as eligible capex. For infrastructure, technologies lists the infrastructure ids."""
    first_year: Year
    last_year: Year
    capex_share: Share
    """Share of eligible capex paid by the subsidy. [-]"""
    max_per_unit: NonNegative | None = None
    """Cap per vehicle, conversion or infrastructure unit. [scenario currency]"""
    max_total: NonNegative | None = None
    """Cap over the whole horizon for this rule. [scenario currency]"""
    vat_eligible: bool = False
    """Whether VAT the owner pays (and cannot recover) counts as eligible capex. Japanese grants,
    JCM included, exclude consumption tax from eligible costs: false."""


class ExistingUnits(FrozenModel):
    """Infrastructure units in place at the start, with the year they were built."""

    count: Count
    build_year: Year
    """They retire after the catalogue lifetime of the option, from this year."""


class InfrastructureSettings(FrozenModel):
    """Which infrastructure options of the catalogue may be built, and what exists already."""

    options: list[Id] | None = None
    """Catalogue infrastructure ids that may be built; omitted: all."""
    existing_units: dict[Id, Count | ExistingUnits] = {}
    """Units already in place: a count (taken as built the year before the horizon) or
    {count, build_year}; they retire at the end of their catalogue lifetime. [units]"""

    def existing(self, option: str, first_year: int) -> tuple[int, int]:
        """(count, build year) of the option's existing units; (0, first_year) if none."""
        units = self.existing_units.get(option)
        if units is None:
            return 0, first_year
        if isinstance(units, ExistingUnits):
            return units.count, units.build_year
        return int(units), first_year - 1


class FuelSettings(FrozenModel):
    """Fuel availability and price sensitivities."""

    allowed: list[Id] | None = None
    """Fuels that may be used; omitted: all in the catalogue."""
    price_multipliers: dict[Id, NonNegative] = {}
    """Multiply a fuel's catalogue price (sensitivity, e.g. {diesel: 1.2}). [-]"""
    supply_gj_per_year: dict[Id, Series | None] = {}
    """Most of a fuel the fleet can buy per year, replacing fuels/supply.csv (null: no limit);
    e.g. a biomethane contract {biomethane: 50000}. [GJ/a]"""


class TaxSettings(FrozenModel):
    """How the owner pays taxes included in catalogue prices (region's rates in fuels/taxes.csv)."""

    vat_recoverable: bool = True
    """True for a VAT-registered firm, which recovers VAT on vehicles, fuel and services (prices
    are used net of VAT); false for an owner that cannot (a municipality's free service, an
    exempt bus operator): prices are used with VAT."""
    diesel_excise_refund_share: dict[Id, Share] | Share = 0.0
    """Share of the diesel specific tax refunded, by segment or one share for all (Chile: 0.25
    permanent and up to 0.80 until 2026 for freight carriers, Ley 19.764; up to 1.0 for VAT
    firms' off-road diesel, Ley 18.502 art. 7). [-]"""

    def refund_share(self, segment: str) -> float:
        share = self.diesel_excise_refund_share
        return float(share.get(segment, 0.0)) if isinstance(share, dict) else float(share)


class SolverSettings(FrozenModel):
    """How the MILP is solved."""

    name: Literal["highs", "cbc"] = "highs"
    mip_gap: float = Field(default=0.001, ge=0.0, le=0.5)
    """Relative MIP gap at which the solver may stop (0.001 = 0.1 %). [-]"""
    time_limit_s: float = Field(default=120.0, gt=0, le=86_400)
    """Wall-clock limit, enforced from outside the solver. [s]"""
    threads: int = Field(default=1, ge=1, le=64)


class Scenario(FrozenModel):
    """One planning question."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    horizon_first_year: Year
    """First planning year (decisions are made from this year)."""
    horizon_last_year: Year
    """Last planning year (inclusive)."""
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """Currency of every money input and output of the scenario, e.g. USD or CLP."""
    running_cost_timing: Literal["start", "mid_year", "end_of_year"] = "mid_year"
    """When running costs (O&M, energy, carbon, leases) of a year are paid, for discounting:
    purchases, sales and grants happen at the start of the year."""
    price_base_year: Year
    """All money is real, in money of this year: catalogue values are brought to it with the CPI
    of their own currency (fuels/cpi.csv), then converted with this year's exchange rates."""
    discount_rate: float = Field(ge=0.0, le=0.5)
    """Real discount rate for all cash flows. [1/a]"""
    region: Id = "santiago"
    """Region whose fuel prices are used."""
    vehicles_catalogue: Path = Path("../vehicles")
    """Folder of the vehicle catalogue, relative to the scenario file."""
    fuels_catalogue: Path = Path("../fuels")
    """Folder of the fuel catalogue, relative to the scenario file."""
    fleet: Path | list[FleetCohort] = []
    """Existing fleet: a CSV file (relative to the scenario file) or a list of cohorts."""
    demand: dict[Id, SegmentDemand] = Field(min_length=1)
    """Demand per segment id; only these segments are planned."""
    policy: Policy = Policy()
    subsidies: list[SubsidyRule] = []
    carbon_price: Series | None = None
    """Carbon price on the policy's emission scope, by year (linear). [scenario currency/tCO2e]"""
    infrastructure: InfrastructureSettings = InfrastructureSettings()
    fuels: FuelSettings = FuelSettings()
    taxes: TaxSettings = TaxSettings()
    solver: SolverSettings = SolverSettings()
    allow_unmet_demand: bool = False
    """Add penalised unmet-demand slack (diagnosis only; a plan with unmet demand is flagged)."""
    variants: dict[Id, dict[str, Any]] = {}
    """Named variants: {name: {dotted.key: value}} applied with --variant NAME."""
    _source_file: Path | None = PrivateAttr(default=None)

    @property
    def source_file(self) -> str:
        """The file the scenario was read from (for messages)."""
        return str(self._source_file) if self._source_file else "scenario"

    @model_validator(mode="after")
    def _horizon(self) -> Scenario:
        if self.horizon_last_year < self.horizon_first_year:
            msg = (
                f"horizon_last_year ({self.horizon_last_year}) is before horizon_first_year "
                f"({self.horizon_first_year})"
            )
            raise ValueError(msg)
        if self.horizon_last_year - self.horizon_first_year > 60:
            msg = "the horizon is longer than 60 years; shorten it"
            raise ValueError(msg)
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.horizon_first_year, self.horizon_last_year + 1))


__all__ = [
    "DutyBand",
    "ExistingUnits",
    "EmissionCap",
    "FleetCohort",
    "FuelSettings",
    "GrowthSeries",
    "InfrastructureSettings",
    "LockedCohort",
    "Number",
    "Policy",
    "PurchaseWindow",
    "Scenario",
    "SegmentDemand",
    "Series",
    "SolverSettings",
    "SubsidyRule",
    "TaxSettings",
]
