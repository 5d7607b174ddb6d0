"""The existing fleet: cohorts of vehicles a scenario starts with (the fleet CSV), leases included."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from fleet_planner.schemas._base import Count, FrozenModel, Id, NonNegative, Year


class FleetCohort(FrozenModel):
    """Vehicles of one segment, technology and model year already in the fleet."""

    segment: Id
    """Segment id of the vehicle catalogue (vehicles/segments.csv; `fleet-planner catalogue` lists them)."""
    technology: Id
    """Technology id of the segment in the vehicle catalogue (vehicles/technologies.csv)."""
    model_year: Year
    """Year the vehicles were built (their vintage); at most the first planning year."""
    count: Count
    """Number of vehicles. [vehicles]"""
    annual_activity_au: NonNegative | None = None
    """Activity per vehicle per year in the segment's activity unit (km or h); optional. [au/a]"""
    lease_end_year: Year | None = None
    """Leased vehicles: the year the lease ends. Until then they may not be sold or converted,
    and the lease is paid; from that year they are returned or bought out (lease_end)."""
    lease_cost_per_year: NonNegative | None = None
    """Lease payment per vehicle-year, in the scenario currency and money of the price base year,
    as the fleet pays it (its VAT position); paid in every year of the horizon before
    lease_end_year. Required with lease_end_year (0 to leave it out). [currency/vehicle/a]"""
    lease_end: Literal["return", "buy_out"] | None = None
    """At lease_end_year the vehicles go back to the lessor ('return', the default: no resale, no
    value) or the fleet may buy any of them at buyout_price ('buy_out': the plan chooses)."""
    buyout_price: NonNegative | None = None
    """Price per vehicle of the buy-out option, in the scenario currency and money of the price
    base year. [currency/vehicle]"""

    @model_validator(mode="after")
    def _lease_fields_together(self) -> FleetCohort:
        if self.lease_end_year is None:
            given = [name for name in ("lease_cost_per_year", "lease_end", "buyout_price")
                     if getattr(self, name) is not None]
            if given:
                msg = f"{', '.join(given)} given without lease_end_year; give the year the lease ends"
                raise ValueError(msg)
            return self
        if self.lease_cost_per_year is None:
            msg = ("lease_end_year given without lease_cost_per_year; give the yearly lease payment per vehicle "
                   "(0 to leave it out), or use policy.locked_cohorts for a holding condition that is not a lease")
            raise ValueError(msg)
        if self.lease_end == "buy_out" and self.buyout_price is None:
            msg = "lease_end is buy_out but buyout_price is missing; give the price per vehicle"
            raise ValueError(msg)
        if self.buyout_price is not None and self.lease_end != "buy_out":
            msg = "buyout_price given but lease_end is not buy_out; set lease_end: buy_out or remove the price"
            raise ValueError(msg)
        return self
