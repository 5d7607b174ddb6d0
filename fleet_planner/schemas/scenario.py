"""The scenario a user writes (YAML); its fleet cohorts, demand and series live in fleet.py,
demand.py and series.py and are re-exported here."""

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
from fleet_planner.schemas.demand import DutyBand, SegmentDemand
from fleet_planner.schemas.financing import FinancingSettings
from fleet_planner.schemas.fleet import FleetCohort
from fleet_planner.schemas.series import GrowthSeries, Series, YearValues, series_peak

MONEY_MAX = 1e15
"""Largest yearly amount (a thousand trillion in any currency, JPY and CLP included)."""
MONEY_PER_UNIT_MAX = 1e9
"""Largest price per tonne or per unit."""

__all__ = ["DISCOUNT_RATE_MAX", "DutyBand", "FleetCohort", "GrowthSeries", "Scenario", "SegmentDemand", "Series", "YearValues"]


DISCOUNT_RATE_MAX = 0.5
"""The largest real discount rate a scenario may give. [1/a]"""


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
        if not (self.tco2e or self.share_of_base):
            msg = "the cap has no milestone years; give {year: value} pairs, or set emission_cap: null for no cap"
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
    zero_emission_share_min_by_segment: dict[Id, dict[Year, Share]] = {}
    """The same for one segment's stock: {segment: {year: share}} (step). [-]"""
    zero_emission_purchase_share_min: dict[Year, Share] = {}
    """Minimum zero-emission share of the vehicles bought each year, all segments (step; e.g.
    {2026: 0.25, 2030: 0.5, 2035: 1.0}). [-]"""
    zero_emission_purchase_share_min_by_segment: dict[Id, dict[Year, Share]] = {}
    """The same for one segment's purchases. [-]"""
    gas_end_year: Year | None = None
    """From this year on, natural-gas technologies (DDF, CNG) may no longer be bought, converted to or run."""
    capex_budget: Series | None = None
    """Most the owner may pay out per year for vehicles, conversions and infrastructure: cash
    purchases and down payments (net of grants), loan and battery-lease payments, ESCO fees and
    lease payments of that year (all cash, it is the capital spending). [scenario currency/a]"""
    purchases_max_count: Series | None = None
    """Most vehicles bought per year, all segments together. [vehicles/a]"""
    sales_max_count: Series | None = None
    """Most vehicles sold early per year. [vehicles/a]"""
    sales_max_share: dict[Year, Share] = {}
    """Most vehicles disposed of per year as a share of the fleet at the start of the year
    (step by milestone year; e.g. 0.2). [-]"""
    sales_max_counts_retirements: bool = False
    """With sales_max_share: vehicles retiring at the end of their life count as disposals too."""
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
    report_last_year: Year | None = None
    """Last year of the results (summary, report); the years after it up to horizon_last_year are a
    tail modelled with the last rules held, so decisions near the end see what follows. What is
    left at the end of this year is valued by end_of_horizon. Omitted: horizon_last_year."""
    end_of_horizon: Literal["economic", "resale", "none", "sell"] = "economic"
    """How vehicles and infrastructure left after the last year are valued: 'economic' (the
    capital-recovery value of the service they still have to give, so results do not depend on
    where the horizon stops), 'resale' (their resale value at that age), 'none' (nothing), or
    'sell' (sold at the start of the next year at their resale value; reported as sales)."""
    price_base_year: Year
    """All money is real, in money of this year: catalogue values are brought to it with the CPI
    of their own currency (fuels/cpi.csv), then converted with this year's exchange rates."""
    discount_rate: float = Field(ge=0.0, le=DISCOUNT_RATE_MAX)
    """Real discount rate for all cash flows. [1/a]"""
    region: Id = "santiago"
    """Region whose fuel prices are used."""
    vehicles_catalogue: Path | None = None
    """Folder of a vehicle catalogue of your own, relative to the scenario file; omitted: the
    catalogue shipped with fleet-planner."""
    fuels_catalogue: Path | None = None
    """Folder of a fuel catalogue of your own, relative to the scenario file; omitted: the catalogue
    shipped with fleet-planner."""
    fleet: Path | list[FleetCohort] = []
    """Existing fleet: a fleet file relative to the scenario file (CSV in any dialect Excel writes, or an
    Excel workbook: register.xlsx for its first sheet, register.xlsx#Sheet for a named one;
    `fleet-planner template fleet` writes an empty one) or a list of cohorts."""
    demand: dict[Id, SegmentDemand] = Field(min_length=1)
    """Demand per segment id; only these segments are planned."""
    policy: Policy = Policy()
    subsidies: list[SubsidyRule] = []
    carbon_price: Series | None = None
    """Carbon price on the policy's emission scope, by year (linear). [scenario currency/tCO2e]"""
    infrastructure: InfrastructureSettings = InfrastructureSettings()
    fuels: FuelSettings = FuelSettings()
    capex_multipliers: dict[Id, NonNegative] = {}
    """Multiply a technology's catalogue capex (sensitivity, uncertainty): the purchase price of every model
    year, and the cost of converting a vehicle to it, e.g. {bev: 0.9}; resale and residual values,
    insurance and maintenance charged as a share of the price, grants and financing follow. [-]"""
    taxes: TaxSettings = TaxSettings()
    financing: FinancingSettings = FinancingSettings()
    solver: SolverSettings = SolverSettings()
    allow_unmet_demand: bool = False
    """Add penalised unmet-demand slack (diagnosis only; a plan with unmet demand is flagged)."""
    variants: dict[Id, dict[str, Any]] = {}
    """Named variants: {name: {dotted.key: value}} applied with --variant NAME."""
    _source_file: Path | None = PrivateAttr(default=None)
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)
    """Dotted keys set by a variant or --set -> which one (messages blame it, not the file)."""

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
        if series_peak(self.carbon_price) > MONEY_PER_UNIT_MAX or series_peak(self.policy.capex_budget) > MONEY_MAX:
            msg = (f"carbon_price above {MONEY_PER_UNIT_MAX:.0e} or capex_budget above {MONEY_MAX:.0e} per year is "
                   "not plausible in any currency; check the number of zeros")
            raise ValueError(msg)
        if self.report_last_year is not None and not self.horizon_first_year <= self.report_last_year \
                <= self.horizon_last_year:
            msg = (f"report_last_year ({self.report_last_year}) must lie within the horizon "
                   f"{self.horizon_first_year}-{self.horizon_last_year}")
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
