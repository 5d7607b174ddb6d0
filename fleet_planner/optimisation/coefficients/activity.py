"""What each segment must deliver: activity demand, vehicles in service, duty bands, activity limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.rules import series_value

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario


@dataclass(frozen=True)
class SegmentActivity:
    """Demand side of the model, by segment s and year y."""

    activity_unit: dict[str, str]
    demand_au: dict[tuple[str, int], float]
    """Activity the segment must deliver. [au/a]"""
    vehicles_required_count: dict[tuple[str, int], float]
    """Vehicles in service incl. spares. [vehicles]"""
    duty_bands: dict[str, list[tuple[float, float]]]
    """s -> [(daily activity au/day, share of the activity)], ascending."""
    max_annual_activity_au: dict[str, float]
    """Most one vehicle of the segment can do per year. [au/a]"""
    operating_days: dict[str, float]
    """Operating days per year: the segment's typical annual / typical daily activity. [d/a]"""


def segment_activity(scenario: Scenario, catalogue: Catalogue) -> SegmentActivity:
    """Demand, service and duty bands per segment (see SegmentDemand in schemas/scenario.py)."""
    segments = catalogue.segments.set_index("segment")
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    first = scenario.horizon_first_year
    unit, max_activity, days = {}, {}, {}
    demand: dict[tuple[str, int], float] = {}
    required: dict[tuple[str, int], float] = {}
    bands: dict[str, list[tuple[float, float]]] = {}
    for s, d in scenario.demand.items():
        row = segments.loc[s]
        unit[s] = str(row["activity_unit"])
        max_activity[s] = float(d.max_annual_activity_au or row["max_annual_activity_au"])
        days[s] = float(row["annual_activity_au"]) / float(row["daily_activity_au"])
        typical = float(row["annual_activity_au"])
        fleet_activity = sum(c.count * (c.annual_activity_au if c.annual_activity_au is not None else typical)
                             for c in fleet if c.segment == s)
        for y in scenario.years:
            if d.annual_activity_au is not None:
                demand[s, y] = series_value(d.annual_activity_au, y) or 0.0
            elif fleet_activity > 0:
                demand[s, y] = fleet_activity * (1 + d.growth_rate) ** (y - first)
            else:
                demand[s, y] = 0.0
            vehicles = series_value(d.vehicles_required_count, y, "step")
            if vehicles is not None:
                required[s, y] = vehicles * (1 + d.spare_share)
        bands[s] = sorted((b.daily_activity_au, b.share) for b in d.duty_bands or []) or [
            (float(row["daily_activity_au"]), 1.0)]
    return SegmentActivity(unit, demand, required, bands, max_activity, days)
