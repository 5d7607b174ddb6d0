"""What each segment must deliver: activity by duty band, vehicles in service, operating days.

A duty band k of segment s has a daily activity d_k (km or h per vehicle per operating day) and a
share phi_k of the segment's yearly activity D. A vehicle doing that duty covers d_k on each of
the segment's operating days, so the band needs D x phi_k / (d_k x days) vehicles at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.rules import (
    duty_bands,
    operating_days,
    segment_demand_au,
    series_value,
    typical_annual_activity_au,
)

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario


@dataclass(frozen=True)
class SegmentActivity:
    """Demand side of the model, by segment s, duty band (its daily activity d) and year y."""

    activity_unit: dict[str, str]
    demand_au: dict[tuple[str, int], float]
    """Activity the segment must deliver. [au/a]"""
    vehicles_required_count: dict[tuple[str, int], float]
    """Vehicles in service incl. spares (the scenario's vehicles_required_count). [vehicles]"""
    duty_bands: dict[str, list[float]]
    """s -> daily activity of each duty band, ascending. [au/day]"""
    band_demand_au: dict[tuple[str, float, int], float]
    """Activity done in band d of segment s in year y: D x phi. [au/a]"""
    duties_count: dict[tuple[str, float, int], float]
    """Vehicles band d needs at once: D x phi / (d x days). [vehicles]"""
    operating_days: dict[str, float]
    """Days a year the segment's vehicles work. [d/a]"""
    spare_share: dict[str, float]
    one_duty_per_vehicle: dict[str, bool]
    typical_annual_activity_au: dict[str, float]
    """Yearly activity of one vehicle on the segment's typical duty (sizes penalties). [au/a]"""


def segment_activity(scenario: Scenario, catalogue: Catalogue) -> SegmentActivity:
    """Demand, service and duty bands per segment (see SegmentDemand in schemas/scenario.py)."""
    segments = catalogue.segments.set_index("segment")
    unit, days, typical = {}, {}, {}
    demand: dict[tuple[str, int], float] = {}
    required: dict[tuple[str, int], float] = {}
    bands: dict[str, list[float]] = {}
    band_demand: dict[tuple[str, float, int], float] = {}
    duties: dict[tuple[str, float, int], float] = {}
    for s, d in scenario.demand.items():
        unit[s] = str(segments.loc[s, "activity_unit"])
        days[s] = operating_days(scenario, catalogue, s)
        typical[s] = typical_annual_activity_au(scenario, catalogue, s)
        bands[s] = sorted(duty_bands(scenario, catalogue, s, scenario.horizon_first_year))
        for y in scenario.years:
            demand[s, y] = segment_demand_au(scenario, catalogue, s, y)
            vehicles = series_value(d.vehicles_required_count, y, "step")
            if vehicles is not None:
                required[s, y] = vehicles * (1 + d.spare_share)
            for daily, share in duty_bands(scenario, catalogue, s, y).items():
                band_demand[s, daily, y] = demand[s, y] * share
                duties[s, daily, y] = band_demand[s, daily, y] / (daily * days[s])
    return SegmentActivity(
        activity_unit=unit, demand_au=demand, vehicles_required_count=required, duty_bands=bands,
        band_demand_au=band_demand, duties_count=duties, operating_days=days,
        spare_share={s: d.spare_share for s, d in scenario.demand.items()},
        one_duty_per_vehicle={s: d.one_duty_per_vehicle for s, d in scenario.demand.items()},
        typical_annual_activity_au=typical,
    )
