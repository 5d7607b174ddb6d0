"""Cross-reference checks: catalogue tables against each other, and a scenario against the catalogue.

Each check returns messages instead of raising, so the user sees every problem at once.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from fleet_planner.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

GAS_TECHNOLOGY_FLAG = "natural_gas"


def _ids(cell: str) -> list[str]:
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def check_catalogue(t: dict[str, pd.DataFrame]) -> list[str]:
    """Consistency of the catalogue tables with each other."""
    problems: list[str] = []
    vehicle_sources = set(t["vehicle_sources"]["source_id"])
    fuel_sources = set(t["fuel_sources"]["source_id"])
    both = vehicle_sources & fuel_sources
    if both:
        problems.append(
            f"source ids {sorted(both)} appear in both vehicles/sources.csv and fuels/sources.csv; "
            "rename one so every id is unique."
        )
    known_sources = vehicle_sources | fuel_sources
    for name, (folder, file, _model, _u) in _tables().items():
        frame = t[name]
        if "source_id" not in frame.columns or name.endswith("sources"):
            continue
        for position, cell in enumerate(frame["source_id"]):
            unknown = [s for s in _ids(cell) if s not in known_sources]
            if unknown:
                problems.append(
                    f"{folder}/{file} line {position + 2}, column source_id: {unknown} not found in "
                    f"{folder}/sources.csv. Add a sources row (citation, year, url, grade) or fix the id."
                )
    types = set(t["technology_types"]["technology"])
    segments = set(t["segments"]["segment"])
    fuels = set(t["fuels"]["fuel"])
    techs = t["technologies"]
    pairs = set(zip(techs["segment"], techs["technology"], strict=True))
    purchasable = set(
        zip(techs.loc[techs["purchasable"], "segment"], techs.loc[techs["purchasable"], "technology"], strict=True)
    )

    def where(file: str, position: int, column: str) -> str:
        return f"vehicles/{file} line {position + 2}, column {column}"

    for i, row in techs.reset_index(drop=True).iterrows():
        if row["technology"] not in types:
            problems.append(f"{where('technologies.csv', i, 'technology')}: {row['technology']!r} is not in "
                            f"technology_types.csv {sorted(types)}. Add it there or fix the id.")
        if row["segment"] not in segments:
            problems.append(f"{where('technologies.csv', i, 'segment')}: {row['segment']!r} is not in "
                            f"segments.csv {sorted(segments)}.")
    for i, row in t["segments"].reset_index(drop=True).iterrows():
        if (row["segment"], row["baseline_technology"]) not in purchasable:
            problems.append(f"{where('segments.csv', i, 'baseline_technology')}: {row['baseline_technology']!r} "
                            f"is not a purchasable technology of {row['segment']} in technologies.csv.")
    years = t["technology_years"]
    for i, row in years.reset_index(drop=True).iterrows():
        if (row["segment"], row["technology"]) not in purchasable:
            problems.append(f"{where('technology_years.csv', i, 'technology')}: ({row['segment']}, "
                            f"{row['technology']}) is not a purchasable row of technologies.csv.")
    priced = set(zip(years["segment"], years["technology"], strict=True))
    for segment, technology in sorted(purchasable - priced):
        problems.append(f"vehicles/technology_years.csv: no price/energy rows for ({segment}, {technology}). "
                        "Add at least one year.")
    conversions = t["conversions"]
    for i, row in conversions.reset_index(drop=True).iterrows():
        for column in ("from_technology", "to_technology"):
            if (row["segment"], row[column]) not in pairs:
                problems.append(f"{where('conversions.csv', i, column)}: ({row['segment']}, {row[column]}) "
                                "is not in technologies.csv.")
        if row["min_age_years"] > row["max_age_years"]:
            problems.append(f"{where('conversions.csv', i, 'min_age_years')}: larger than max_age_years.")
        if row["first_year"] > row["last_year"]:
            problems.append(f"{where('conversions.csv', i, 'first_year')}: after last_year.")
    reachable = set(zip(conversions["segment"], conversions["to_technology"], strict=True))
    for segment, technology in sorted(pairs - purchasable - reachable):
        problems.append(f"vehicles/technologies.csv: ({segment}, {technology}) is neither purchasable nor the "
                        "target of a conversion in conversions.csv; add one or remove the row.")
    tf = t["technology_fuels"]
    for i, row in tf.reset_index(drop=True).iterrows():
        if row["fuel"] not in fuels:
            problems.append(f"{where('technology_fuels.csv', i, 'fuel')}: {row['fuel']!r} is not in fuels/fuels.csv.")
        if row["technology"] not in types:
            problems.append(f"{where('technology_fuels.csv', i, 'technology')}: {row['technology']!r} is not in "
                            "technology_types.csv.")
    for technology, group in tf.groupby("technology"):
        shares = group.groupby("slot")["energy_share"].agg(["min", "max"])
        uneven = shares[(shares["max"] - shares["min"]).abs() > 1e-9]
        if not uneven.empty:
            problems.append(f"vehicles/technology_fuels.csv: technology {technology} slot(s) {list(uneven.index)} "
                            "have different energy_share values; one share per slot.")
        if abs(shares["max"].sum() - 1.0) > 1e-6:
            problems.append(f"vehicles/technology_fuels.csv: slot energy_share of {technology} add up to "
                            f"{shares['max'].sum():g}; they must add up to 1.")
    for technology in sorted(set(techs["technology"]) - set(tf["technology"])):
        problems.append(f"vehicles/technology_fuels.csv: no fuel for technology {technology}. Add its fuel rows.")
    for i, row in t["infrastructure"].reset_index(drop=True).iterrows():
        seg = _ids(row["segments"])
        if seg != ["*"] and set(seg) - segments:
            problems.append(f"{where('infrastructure.csv', i, 'segments')}: unknown {sorted(set(seg) - segments)}.")
        served = set(_ids(row["serves"]))
        vocabulary = types if row["basis"] == "vehicles" else fuels
        if served - vocabulary:
            problems.append(f"{where('infrastructure.csv', i, 'serves')}: unknown {sorted(served - vocabulary)} "
                            f"(basis {row['basis']} serves {'technologies' if row['basis'] == 'vehicles' else 'fuels'}).")
        capacity = "capacity_vehicles_per_unit" if row["basis"] == "vehicles" else "capacity_gj_per_year_per_unit"
        if row[capacity] is None or (isinstance(row[capacity], float) and math.isnan(row[capacity])):
            problems.append(f"{where('infrastructure.csv', i, capacity)}: needed for basis {row['basis']}.")
    currencies = set(t["exchange_rates"]["currency"])
    for name, (folder, file, _m, _u) in _tables().items():
        frame = t[name]
        if "currency" in frame.columns and name != "exchange_rates":
            for position, cur in enumerate(frame["currency"]):
                if cur not in currencies:
                    problems.append(f"{folder}/{file} line {position + 2}, column currency: {cur!r} has no rate "
                                    f"in fuels/exchange_rates.csv {sorted(currencies)}. Add a rate row.")
    for i, row in t["prices"].reset_index(drop=True).iterrows():
        if row["fuel"] not in fuels:
            problems.append(f"fuels/prices.csv line {i + 2}, column fuel: {row['fuel']!r} is not in fuels.csv.")
    factors = t["emission_factors"]
    for fuel in sorted(fuels - set(factors["fuel"])):
        problems.append(f"fuels/emission_factors.csv: no factor for fuel {fuel}. Add rows (application all).")
    for fuel, group in factors.groupby("fuel"):
        apps = set(group["application"])
        if "all" not in apps and not {"road", "offroad"} <= apps:
            problems.append(f"fuels/emission_factors.csv: fuel {fuel} needs an 'all' row or both 'road' and 'offroad'.")
    for segment in sorted(segments - set(t["residual_values"]["segment"])):
        problems.append(f"vehicles/residual_values.csv: no rows for segment {segment}.")
    if "gwp100_ch4" not in set(t["constants"]["constant"]):
        problems.append("fuels/constants.csv: constant gwp100_ch4 is missing (needed for methane slip).")
    return problems


def _tables():
    from fleet_planner.catalogue import TABLES

    return TABLES


def check_scenario(scenario: Scenario, catalogue: Catalogue, file: str = "scenario") -> tuple[list[str], list[str]]:
    """Check a scenario against the catalogue. Returns (problems, warnings)."""
    problems: list[str] = []
    warnings: list[str] = []
    first, last = scenario.horizon_first_year, scenario.horizon_last_year
    techs = catalogue.technologies
    segments = set(catalogue.segments["segment"])
    types = catalogue.technology_types.set_index("technology")
    fuels = set(catalogue.fuels["fuel"])
    pairs = set(zip(techs["segment"], techs["technology"], strict=True))
    infra_ids = set(catalogue.infrastructure["infrastructure"])

    def in_horizon(years, field: str) -> None:
        outside = sorted(y for y in years if not first <= y <= last)
        if outside:
            problems.append(f"{file}: {field}: years {outside} are outside the horizon {first}-{last}. "
                            "Move them inside or change the horizon.")

    if scenario.currency not in set(catalogue.exchange_rates["currency"]):
        problems.append(f"{file}: currency: {scenario.currency!r} has no exchange rate in fuels/exchange_rates.csv. "
                        "Use one of " + str(sorted(set(catalogue.exchange_rates['currency']))) + " or add a rate.")
    regions = set(catalogue.prices["region"])
    if scenario.region not in regions:
        problems.append(f"{file}: region: {scenario.region!r} has no fuel prices; known regions {sorted(regions)}.")
    for segment, demand in scenario.demand.items():
        if segment not in segments:
            problems.append(f"{file}: demand.{segment}: unknown segment. Known segments: {sorted(segments)}.")
            continue
        for technology in demand.technologies or []:
            if (segment, technology) not in pairs:
                problems.append(f"{file}: demand.{segment}.technologies: {technology!r} is not a technology of "
                                f"{segment} in vehicles/technologies.csv.")
        if isinstance(demand.annual_activity_au, dict):
            in_horizon([y for y in demand.annual_activity_au if y > last], f"demand.{segment}.annual_activity_au")
        fleet_segments = {c.segment for c in scenario.fleet} if isinstance(scenario.fleet, list) else set()
        if demand.annual_activity_au is None and demand.vehicles_required_count is None \
                and segment not in fleet_segments:
            problems.append(f"{file}: demand.{segment}: no annual_activity_au, no vehicles_required_count and no "
                            "existing vehicles to derive activity from. Give annual_activity_au.")
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    for i, cohort in enumerate(fleet):
        where = f"fleet row {i + 1} ({cohort.segment}, {cohort.technology}, {cohort.model_year})"
        if cohort.segment not in scenario.demand:
            problems.append(f"{where}: segment {cohort.segment!r} has no entry under demand in {file}. "
                            "Add demand for it or remove the row.")
        elif (cohort.segment, cohort.technology) not in pairs:
            problems.append(f"{where}: technology {cohort.technology!r} is not in vehicles/technologies.csv for "
                            f"{cohort.segment}.")
        if cohort.model_year > first:
            problems.append(f"{where}: model_year {cohort.model_year} is after the first planning year {first}; "
                            "existing vehicles must be built by then.")
        if (cohort.segment, cohort.technology) in pairs:
            life = int(techs.set_index(["segment", "technology"]).loc[(cohort.segment, cohort.technology), "lifetime_years"])
            if cohort.model_year + life <= first:
                warnings.append(f"{where}: older than its catalogue lifetime ({life} years); it runs in {first} "
                                "and retires after it.")
    locked = {(c.segment, c.technology, c.model_year) for c in fleet}
    for i, lock in enumerate(scenario.policy.locked_cohorts):
        if (lock.segment, lock.technology, lock.model_year) not in locked:
            problems.append(f"{file}: policy.locked_cohorts[{i}]: no fleet cohort ({lock.segment}, {lock.technology}, "
                            f"{lock.model_year}). Fix the ids or add the cohort to the fleet.")
    for i, window in enumerate(scenario.policy.purchase_windows):
        if window.technology not in types.index:
            problems.append(f"{file}: policy.purchase_windows[{i}].technology: unknown {window.technology!r}; "
                            f"known {sorted(types.index)}.")
        if window.first_year and window.last_year and window.first_year > window.last_year:
            problems.append(f"{file}: policy.purchase_windows[{i}]: first_year after last_year.")
        for segment in window.segments or []:
            if segment not in scenario.demand:
                problems.append(f"{file}: policy.purchase_windows[{i}].segments: {segment!r} is not in demand.")
    policy = scenario.policy
    in_horizon(policy.zero_emission_share_min, "policy.zero_emission_share_min")
    if policy.emission_cap is not None:
        cap = policy.emission_cap
        in_horizon(cap.tco2e or cap.share_of_base or {}, "policy.emission_cap")
        if cap.base_year is not None and not first <= cap.base_year <= last:
            problems.append(f"{file}: policy.emission_cap.base_year {cap.base_year} is outside the horizon "
                            f"{first}-{last}; pick a year inside it or give base_tco2e.")
    for i, rule in enumerate(scenario.subsidies):
        vocabulary = set(types.index) | infra_ids
        unknown = [x for x in rule.technologies if x not in vocabulary]
        if unknown:
            problems.append(f"{file}: subsidies[{i}] ({rule.name}).technologies: unknown {unknown}.")
        if rule.first_year > rule.last_year:
            problems.append(f"{file}: subsidies[{i}] ({rule.name}): first_year after last_year.")
    for option in scenario.infrastructure.options or []:
        if option not in infra_ids:
            problems.append(f"{file}: infrastructure.options: unknown {option!r}; known {sorted(infra_ids)}.")
    for option in scenario.infrastructure.existing_units:
        if option not in infra_ids:
            problems.append(f"{file}: infrastructure.existing_units: unknown {option!r}; known {sorted(infra_ids)}.")
    for fuel in [*(scenario.fuels.allowed or []), *scenario.fuels.price_multipliers]:
        if fuel not in fuels:
            problems.append(f"{file}: fuels: unknown fuel {fuel!r}; known {sorted(fuels)}.")
    if not problems:
        banned, partly = _check_some_technology_left(scenario, catalogue, file)
        problems.extend(banned)
        warnings.extend(partly)
    return problems, warnings


def _check_some_technology_left(scenario: Scenario, catalogue: Catalogue, file: str) -> tuple[list[str], list[str]]:
    """A policy that bans every technology of a segment for the whole horizon can never be met;
    one that bans them only in some years is worth a warning (existing vehicles may cover them)."""
    from fleet_planner.inputs import purchasable_technologies

    problems, warnings = [], []
    for segment in scenario.demand:
        banned = [y for y in scenario.years if not purchasable_technologies(scenario, catalogue, segment, y)]
        if len(banned) == len(scenario.years):
            problems.append(
                f"{file}: the policy bans every technology of segment {segment} in every year (purchase windows, "
                "gas_end_year, demand technologies and fuel availability together). Widen a purchase window "
                "or allow another technology."
            )
        elif banned:
            warnings.append(f"{file}: no technology of segment {segment} may be bought in {banned[0]}-{banned[-1]} "
                            f"({len(banned)} year(s)); only existing vehicles can serve then.")
    return problems, warnings
