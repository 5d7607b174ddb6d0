"""Infrastructure options (chargers, hydrogen and CNG stations) in the scenario's currency, and
what each may serve.

Letters: s segment, t technology, f fuel, k infrastructure option.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.frames import records

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.optimisation.coefficients.money import Money
    from fleet_planner.schemas.scenario import Scenario


@dataclass(frozen=True)
class InfrastructureOption:
    """An infrastructure option after unit conversion (money in the scenario currency)."""

    infrastructure: str
    basis: str  # "vehicles" or "energy"
    serves: frozenset[tuple[str, str]]  # (segment, technology) or (segment, fuel)
    capacity_per_unit: float  # vehicles, or GJ per year
    capex_cost_per_unit: float
    fixed_om_cost_per_unit_year: float
    lifetime_years: int
    existing_units: int
    existing_build_year: int

    def existing_in(self, year: int) -> int:
        """Existing units still in place in `year` (they retire at the end of their lifetime)."""
        return self.existing_units if year < self.existing_build_year + self.lifetime_years else 0


def infrastructure_options(scenario: Scenario, catalogue: Catalogue, money: Money) -> dict[str, InfrastructureOption]:
    """The catalogue's options the scenario allows, restricted to its segments."""
    segments = list(scenario.demand)
    allowed = scenario.infrastructure.options
    options: dict[str, InfrastructureOption] = {}
    for row in records(catalogue.infrastructure):
        k = row["infrastructure"]
        if allowed is not None and k not in allowed:
            continue
        listed = segments if row["segments"].strip() == "*" else [x.strip() for x in row["segments"].split(";")]
        served = frozenset((s, x.strip()) for s in listed if s in segments for x in row["serves"].split(";"))
        capacity = row["capacity_vehicles_per_unit" if row["basis"] == "vehicles" else "capacity_gj_per_year_per_unit"]
        options[k] = InfrastructureOption(
            infrastructure=k, basis=row["basis"], serves=served, capacity_per_unit=float(capacity),
            capex_cost_per_unit=money(row, "capex_cost_per_unit"),
            fixed_om_cost_per_unit_year=money(row, "fixed_om_cost_per_unit_year"),
            lifetime_years=int(row["lifetime_years"]),
            existing_units=scenario.infrastructure.existing(k, scenario.horizon_first_year)[0],
            existing_build_year=scenario.infrastructure.existing(k, scenario.horizon_first_year)[1],
        )
    return options


def requirement_keys(options: dict[str, InfrastructureOption], stock_segment_technologies: set[tuple[str, str]],
                     charging_required: dict[tuple[str, str], bool], fuel_slots: dict,
                     supply_fuels: frozenset[str]) -> dict[str, list[tuple[str, str]]]:
    """Needs each option may serve: {k: [(segment, technology or fuel)]} that the plan can have."""
    needed_vehicles = {(s, t) for s, t in stock_segment_technologies if charging_required.get((s, t))}
    needed_fuels = set()
    for (s, _t, _y), slots in fuel_slots.items():
        for slot in slots.values():
            needed_fuels.update((s, f) for f in slot.fuels if f in supply_fuels)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for k, option in options.items():
        pool = needed_vehicles if option.basis == "vehicles" else needed_fuels
        out[k] = sorted(option.serves & pool)
    return out
