"""The catalogue file format: one pydantic model per table row, and which file holds which table.

See docs/catalogues.md for the meaning of each column.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from fleet_planner.schemas._base import FrozenModel, Id, NonNegative, Share, Year

Grade = Literal["A", "B", "C", "D"]
Currency = str  # checked against exchange_rates.csv by the cross-table checks
TaxBasis = Literal["excl_vat", "incl_vat", "incl_vat_excise"]
"""What taxes of the scenario's region a money value includes: none (excl_vat), VAT (incl_vat),
or VAT and a specific tax on the fuel (incl_vat_excise, retail fuel prices)."""


class SourcedRow(FrozenModel):
    source_id: str = Field(min_length=1)
    """One source id or several separated by ';'."""

    @field_validator("source_id")
    @classmethod
    def _ids(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(";")]
        if not all(parts):
            msg = "source_id has an empty entry; separate several ids with ';'"
            raise ValueError(msg)
        return ";".join(parts)

    @property
    def source_ids(self) -> list[str]:
        return self.source_id.split(";")


class SourceRow(FrozenModel):
    source_id: Id
    citation: str = Field(min_length=3)
    year: Year
    url: str | None = None
    grade: Grade
    notes: str | None = None


class TechnologyTypeRow(FrozenModel):
    technology: Id
    name: str
    zero_emission: bool
    natural_gas: bool
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    pattern: str | None = None


class SegmentRow(SourcedRow):
    segment: Id
    name: str
    activity_unit: Literal["km", "h"]
    daily_activity_au: float = Field(gt=0)
    """Typical daily duty of a vehicle (the duty band when a scenario gives none). [au/day]"""
    operating_days_per_year: float = Field(gt=0, le=366)
    """Days a year the vehicles work; typical yearly activity = daily x days. [d/a]"""
    emission_application: Literal["road", "offroad"]
    baseline_technology: Id
    notes: str | None = None


class TechnologyRow(SourcedRow):
    segment: Id
    technology: Id
    purchasable: bool
    lifetime_years: int = Field(ge=1, le=60)
    insurance_share_per_year: Share | None = None
    """Insurance per vehicle-year as a share of the vehicle's purchase price (its model year's; a
    converted vehicle: its donor's), times the age factor of age_factors.csv. [1/a]"""
    maintenance_share_per_year: Share | None = None
    """Maintenance per vehicle-year as a share of the purchase price, times its age factor. [1/a]"""
    lifetime_au: float | None = Field(default=None, gt=0)
    """Life in activity units (km or h); use beyond lifetime_au / lifetime_years in a year is
    charged as early replacement (blank: age only). [au]"""
    fixed_om_cost_per_year: NonNegative
    fixed_om_age_growth_share: float = Field(ge=0, le=1)
    variable_om_cost_per_au: NonNegative
    currency: Currency
    price_year: Year
    """Year whose money the values are in (the source's price year, not the model year)."""
    tax_basis: TaxBasis
    range_au: float | None = Field(default=None, gt=0)
    range_derate_share: Share | None = None
    methane_slip_share: Share | None = None
    charging_required: bool
    first_year: Year | None = None
    """First model year the technology can be bought in this segment (blank: always)."""
    last_year: Year | None = None
    """Last model year it can be bought (blank: always)."""
    notes: str | None = None


class TechnologyYearRow(SourcedRow):
    segment: Id
    technology: Id
    year: Year
    purchase_price: NonNegative
    energy_mj_per_au: float = Field(gt=0)
    currency: Currency
    price_year: Year
    """Year whose money the values are in (the source's price year, not the model year)."""
    tax_basis: TaxBasis
    notes: str | None = None


class ComponentRow(SourcedRow):
    """A part that wears with use and is replaced on its own (traction battery, fuel-cell stack)."""

    segment: Id
    technology: Id
    component: Id
    units_per_vehicle: float = Field(gt=0)
    """Size in the component price's unit (kWh, kW, or 1 for a whole unit). [unit/vehicle]"""
    life_au: float = Field(gt=0)
    """Activity one component lasts. [au]"""
    notes: str | None = None


class ComponentPriceRow(SourcedRow):
    """Replacement price of a component per unit of size, by year of replacement."""

    component: Id
    year: Year
    price_per_unit: NonNegative
    unit: str
    currency: Currency
    price_year: Year
    """Year whose money the values are in (the source's price year, not the year of replacement)."""
    tax_basis: TaxBasis
    notes: str | None = None


class AgeFactorRow(SourcedRow):
    """How insurance and maintenance charged as a share of the price change with age (linear
    between listed ages, constant outside; no rows: 1)."""

    segment: Id
    technology: str = Field(default="*", pattern=r"^(\*|[a-z][a-z0-9]*(_[a-z0-9]+)*)$")
    age_years: int = Field(ge=0, le=60)
    insurance_factor: NonNegative = 1.0
    maintenance_factor: NonNegative = 1.0


class FinancingRow(SourcedRow):
    """A way to pay for vehicles, conversions or infrastructure other than cash (vehicles/financing.csv).

    loan: the owner pays down_payment_share at once and borrows the rest at rate_share_per_year over
    tenor_years (a fixed yearly annuity, paid at the end of each year). esco: an energy-service
    company buys the asset (net of any grant), and the client pays a yearly fee over tenor_years
    that returns the ESCO's cost x (1 + margin_share) at rate_share_per_year (its required return); the
    asset passes to the client at the end. battery_lease: an electric vehicle is bought and its
    battery (components.csv) paid over tenor_years at rate_share_per_year. lease: a leasing company
    owns the vehicle; the client pays payment_share_per_year of its price each year for
    tenor_years and at the end returns it, receives it (transfer) or buys it at buyout_share."""

    option: Id
    mode: Literal["loan", "esco", "battery_lease", "lease"]
    applies_to: str = Field(min_length=1)
    """';'-list of purchase, conversion, infrastructure."""
    segments: str = "*"
    """';'-list of segments, or '*'."""
    technologies: str = "*"
    """';'-list of technologies (or infrastructure options), or '*'."""
    rate_share_per_year: float = Field(default=0.0, ge=0.0, le=1.0)
    """Real interest rate, or the ESCO's required real return. [1/a]"""
    tenor_years: int = Field(ge=1, le=40)
    """Loan tenor, contract or lease term. [a]"""
    down_payment_share: Share = 0.0
    margin_share: float = Field(default=0.0, ge=0.0, le=2.0)
    """ESCO margin on the capex it finances. [-]"""
    payment_share_per_year: float | None = Field(default=None, gt=0.0, le=1.0)
    """lease: yearly payment as a share of the vehicle's price. [1/a]"""
    end: Literal["transfer", "return", "buy_out"] = "transfer"
    """lease: what happens at the end of the term."""
    buyout_share: Share = 0.0
    """lease with end buy_out: the price paid at the end, as a share of the vehicle's price. [-]"""
    notes: str | None = None


class ResidualValueRow(SourcedRow):
    segment: Id
    technology: str = Field(default="*", pattern=r"^(\*|[a-z][a-z0-9]*(_[a-z0-9]+)*)$")
    """A technology with its own curve, or '*' for the segment's curve (the one used otherwise)."""
    age_years: int = Field(ge=0, le=60)
    residual_share: Share


class ConversionRow(SourcedRow):
    segment: Id
    from_technology: Id
    to_technology: Id
    conversion_cost: NonNegative
    currency: Currency
    price_year: Year
    """Year whose money the values are in (the source's price year, not the model year)."""
    tax_basis: TaxBasis
    min_age_years: int = Field(ge=0, le=60)
    max_age_years: int = Field(ge=0, le=60)
    energy_multiplier: float = Field(gt=0, le=5)
    first_year: Year
    last_year: Year
    notes: str | None = None


class TechnologyFuelRow(SourcedRow):
    technology: Id
    slot: Id
    energy_share: Share
    """Share of the technology's energy need the slot supplies (fuel_shares.csv may give a range)."""
    fuel: Id
    energy_multiplier: float = Field(default=1.0, gt=0, le=5)
    """GJ of this fuel per GJ of the need it covers (a fuel burned less efficiently needs more). [-]"""


class FuelShareRow(SourcedRow):
    """A segment's own range for a fuel slot (e.g. how much gas a DDF engine can burn on its duty)."""

    segment: Id
    technology: Id
    slot: Id
    min_share: Share
    max_share: Share
    fuels: str | None = None
    """';'-list restricting the slot's fuels for this segment (blank: the technology's)."""
    notes: str | None = None


class SupplyRow(SourcedRow):
    """Most of a fuel the fleet can buy per year in a region (fuels with limited supply)."""

    fuel: Id
    region: Id
    year: Year
    max_gj_per_year: NonNegative
    notes: str | None = None


class InfrastructureRow(SourcedRow):
    infrastructure: Id
    name: str
    segments: str = Field(min_length=1)
    """';'-list of segment ids, or '*'."""
    basis: Literal["vehicles", "energy"]
    serves: str = Field(min_length=1)
    """';'-list of technology ids (basis vehicles) or fuel ids (basis energy)."""
    capacity_vehicles_per_unit: float | None = Field(default=None, gt=0)
    capacity_gj_per_year_per_unit: float | None = Field(default=None, gt=0)
    capex_cost_per_unit: NonNegative
    fixed_om_cost_per_unit_year: NonNegative
    currency: Currency
    price_year: Year
    """Year whose money the values are in (the source's price year, not the model year)."""
    tax_basis: TaxBasis
    lifetime_years: int = Field(ge=1, le=100)
    notes: str | None = None


class FuelRow(SourcedRow):
    fuel: Id
    name: str
    physical_unit: Literal["L", "kg", "Nm3", "kWh"]
    lhv_mj_per_unit: float = Field(gt=0)
    methane_kg_per_gj: NonNegative | None = None
    supply_infrastructure_required: bool
    delivery_losses_share: Share | None = None
    """Share of the energy generated that is lost before the vehicle (electricity: transmission
    and distribution); well-to-wheel factors per GJ delivered are divided by (1 - it). [-]"""
    first_year: Year
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    notes: str | None = None


class PriceRow(SourcedRow):
    fuel: Id
    region: Id
    year: Year
    price_per_unit: NonNegative
    currency: Currency
    price_year: Year
    """Year whose money the values are in (the source's price year, not the model year)."""
    tax_basis: TaxBasis
    notes: str | None = None


class EmissionFactorRow(SourcedRow):
    fuel: Id
    application: Literal["all", "road", "offroad"]
    year: Year
    ttw_kgco2e_per_gj: NonNegative
    wtw_kgco2e_per_gj: NonNegative
    notes: str | None = None


class ExchangeRateRow(SourcedRow):
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    year: Year
    units_per_usd: float = Field(gt=0)


class CpiRow(SourcedRow):
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    year: Year
    cpi_index: float = Field(gt=0)
    """Annual-average consumer price index (any base, the same within a currency)."""
    notes: str | None = None


class TaxRow(SourcedRow):
    region: Id
    tax: Literal["vat_rate", "excise"]
    fuel: Id | None = None
    """The fuel an excise applies to (blank for vat_rate)."""
    year: Year
    value: NonNegative
    """vat_rate: a share (0.19); excise: money per physical unit of the fuel, in `currency`."""
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    notes: str | None = None


class CalibrationRow(SourcedRow):
    """A published figure to hold the catalogue against (vehicles/calibration.csv)."""

    segment: Id
    technology: Id
    metric: Literal["energy_use_per_au", "energy_use_ratio_vs_diesel", "energy_cost_per_au",
                    "energy_cost_ratio_vs_diesel", "maintenance_cost_per_au", "maintenance_cost_ratio_vs_diesel",
                    "capex_ratio_vs_diesel", "tco_ratio_vs_diesel"]
    low: float
    high: float
    unit: str = Field(min_length=1)
    """For money metrics: CURRENCY/km or CURRENCY/h; energy: L/100 km (diesel-equivalent), kWh/km,
    kg H2/100 km, L/h, kg/h or kWh/h; ratios: ratio."""
    price_year: Year | None = None
    """Money of this year (money metrics only)."""
    included: str
    """What the published figure covers (energy only, energy + maintenance, full TCO...)."""
    verdict: str = Field(min_length=1)
    """'inside' if the catalogue's value lies in [low, high]; otherwise why it may differ (market,
    year, what the figure includes) or what should change."""
    notes: str | None = None


class ConstantRow(SourcedRow):
    constant: Id
    value: float
    unit: str
    notes: str | None = None


UNCERTAINTY_RANGES_FILE = "uncertainty_ranges.csv"
"""Optional in a vehicles/ folder: ranges of uncertain inputs for the analyses (loading/ranges.py)."""

# table name -> (catalogue folder, file, row model, columns that must be unique together)
TABLES: dict[str, tuple[str, str, type[BaseModel], tuple[str, ...]]] = {
    "vehicle_sources": ("vehicles", "sources.csv", SourceRow, ("source_id",)),
    "technology_types": ("vehicles", "technology_types.csv", TechnologyTypeRow, ("technology",)),
    "segments": ("vehicles", "segments.csv", SegmentRow, ("segment",)),
    "technologies": ("vehicles", "technologies.csv", TechnologyRow, ("segment", "technology")),
    "technology_years": (
        "vehicles", "technology_years.csv", TechnologyYearRow, ("segment", "technology", "year"),
    ),
    "residual_values": ("vehicles", "residual_values.csv", ResidualValueRow, ("segment", "technology", "age_years")),
    "conversions": (
        "vehicles", "conversions.csv", ConversionRow, ("segment", "from_technology", "to_technology"),
    ),
    "technology_fuels": ("vehicles", "technology_fuels.csv", TechnologyFuelRow, ("technology", "slot", "fuel")),
    "fuel_shares": ("vehicles", "fuel_shares.csv", FuelShareRow, ("segment", "technology", "slot")),
    "components": ("vehicles", "components.csv", ComponentRow, ("segment", "technology", "component")),
    "age_factors": ("vehicles", "age_factors.csv", AgeFactorRow, ("segment", "technology", "age_years")),
    "financing": ("vehicles", "financing.csv", FinancingRow, ("option",)),
    "component_prices": ("vehicles", "component_prices.csv", ComponentPriceRow, ("component", "year")),
    "infrastructure": ("vehicles", "infrastructure.csv", InfrastructureRow, ("infrastructure",)),
    "fuel_sources": ("fuels", "sources.csv", SourceRow, ("source_id",)),
    "fuels": ("fuels", "fuels.csv", FuelRow, ("fuel",)),
    "prices": ("fuels", "prices.csv", PriceRow, ("fuel", "region", "year")),
    "emission_factors": ("fuels", "emission_factors.csv", EmissionFactorRow, ("fuel", "application", "year")),
    "exchange_rates": ("fuels", "exchange_rates.csv", ExchangeRateRow, ("currency", "year")),
    "constants": ("fuels", "constants.csv", ConstantRow, ("constant",)),
    "cpi": ("fuels", "cpi.csv", CpiRow, ("currency", "year")),
    "supply": ("fuels", "supply.csv", SupplyRow, ("fuel", "region", "year")),
    "calibration": ("vehicles", "calibration.csv", CalibrationRow, ("segment", "technology", "metric", "source_id")),
    "taxes": ("fuels", "taxes.csv", TaxRow, ("region", "tax", "fuel", "year")),
}
