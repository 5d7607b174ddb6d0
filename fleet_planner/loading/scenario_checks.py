"""Cross-reference checks of a scenario against the catalogue (all problems at once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fleet_planner.loading.rules import purchasable_technologies

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario


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
