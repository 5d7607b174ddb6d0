"""What each segment must deliver: activity, vehicles in service and duty bands."""

from __future__ import annotations

from pydantic import Field, model_validator

from fleet_planner.schemas._base import FrozenModel, Id, Share, Year
from fleet_planner.schemas.series import Series, series_peak

ACTIVITY_AU_MAX = 1e11
"""Largest yearly activity of a segment: 100 billion km or hours (about a million trucks)."""
VEHICLES_MAX = 1_000_000


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
    def _plausible_size(self) -> SegmentDemand:
        """Magnitudes no fleet has are typos (a unit or a few zeros off); they would only fail later,
        in the solver, with a message about something else."""
        if series_peak(self.annual_activity_au) > ACTIVITY_AU_MAX:
            msg = (f"annual_activity_au above {ACTIVITY_AU_MAX:.0e} km or hours a year is not a fleet; check the "
                   "unit and the number of zeros")
            raise ValueError(msg)
        if series_peak(self.vehicles_required_count) > VEHICLES_MAX:
            msg = f"vehicles_required_count above {VEHICLES_MAX:,} vehicles; check the number of zeros"
            raise ValueError(msg)
        return self

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
