"""Cross-reference checks of a scenario against the catalogue (all problems at once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fleet_planner.loading.financing import offered_options
from fleet_planner.loading.rules import duty_bands, operating_days, purchasable_technologies, segment_demand_au

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario


def check_scenario(scenario: Scenario, catalogue: Catalogue, file: str = "scenario") -> tuple[list[str], list[str]]:
    """Check a scenario against the catalogue. Returns (problems, warnings)."""
    problems: list[str] = []
    warnings: list[str] = []
    problems += _check_money_and_region(scenario, catalogue, file)
    problems += _check_demand(scenario, catalogue, file)
    fleet_problems, fleet_warnings = _check_fleet(scenario, catalogue, file)
    problems += fleet_problems
    warnings += fleet_warnings
    problems += _check_policy(scenario, catalogue, file)
    problems += _check_options(scenario, catalogue, file)
    problems += _check_financing(scenario, catalogue, file)
    if not problems:
        banned, partly = _check_some_technology_left(scenario, catalogue, file)
        problems.extend(banned)
        warnings.extend(partly)
    return problems, warnings


def _outside_horizon(scenario: Scenario, years, field: str, file: str) -> list[str]:
    first, last = scenario.horizon_first_year, scenario.horizon_last_year
    outside = sorted(y for y in years if not first <= y <= last)
    if not outside:
        return []
    return [f"{file}: {field}: years {outside} are outside the horizon {first}-{last}. "
            "Move them inside or change the horizon."]


def _technologies_of(catalogue: Catalogue, segment: str) -> list[str]:
    """The technology ids the catalogue lists for a segment, for messages."""
    return sorted(catalogue.index.technologies_of_segment.get(segment, []))


def _pairs(catalogue: Catalogue) -> set[tuple[str, str]]:
    techs = catalogue.technologies
    return set(zip(techs["segment"], techs["technology"], strict=True))


def _check_money_and_region(scenario: Scenario, catalogue: Catalogue, file: str) -> list[str]:
    problems = []
    currencies = sorted(set(catalogue.exchange_rates["currency"]))
    if scenario.currency not in currencies:
        problems.append(f"{file}: currency: {scenario.currency!r} has no exchange rate in fuels/exchange_rates.csv. "
                        f"Use one of {currencies} or add a rate.")
    regions = set(catalogue.prices["region"])
    if scenario.region not in regions:
        problems.append(f"{file}: region: {scenario.region!r} has no fuel prices; known regions {sorted(regions)}.")
    return problems


def _check_demand(scenario: Scenario, catalogue: Catalogue, file: str) -> list[str]:
    """Demand names known segments and technologies and says how much each segment must do."""
    problems = []
    segments, pairs = set(catalogue.segments["segment"]), _pairs(catalogue)
    fleet_segments = {c.segment for c in scenario.fleet} if isinstance(scenario.fleet, list) else set()
    for segment, demand in scenario.demand.items():
        if segment not in segments:
            problems.append(f"{file}: demand.{segment}: unknown segment. Known segments: {sorted(segments)}.")
            continue
        for technology in demand.technologies or []:
            if (segment, technology) not in pairs:
                problems.append(f"{file}: demand.{segment}.technologies: {technology!r} is not a technology of "
                                f"{segment} in vehicles/technologies.csv; use one of "
                                f"{_technologies_of(catalogue, segment)}.")
        if isinstance(demand.annual_activity_au, dict):
            problems += _outside_horizon(scenario, [y for y in demand.annual_activity_au
                                                    if y > scenario.horizon_last_year],
                                         f"demand.{segment}.annual_activity_au", file)
        if demand.annual_activity_au is None and demand.vehicles_required_count is None \
                and segment not in fleet_segments:
            problems.append(f"{file}: demand.{segment}: no annual_activity_au, no vehicles_required_count and no "
                            "existing vehicles to derive activity from. Give annual_activity_au.")
    return problems


def _check_fleet(scenario: Scenario, catalogue: Catalogue, file: str) -> tuple[list[str], list[str]]:
    """Existing cohorts are known, built before the horizon, and (warning) not past their life."""
    problems, warnings = [], []
    first, pairs = scenario.horizon_first_year, _pairs(catalogue)
    for i, cohort in enumerate(scenario.fleet if isinstance(scenario.fleet, list) else []):
        where = f"fleet row {i + 1} ({cohort.segment}, {cohort.technology}, {cohort.model_year})"
        if cohort.segment not in scenario.demand:
            problems.append(f"{where}: segment {cohort.segment!r} has no entry under demand in {file}. "
                            "Add demand for it or remove the row.")
        elif (cohort.segment, cohort.technology) not in pairs:
            problems.append(f"{where}: technology {cohort.technology!r} is not in vehicles/technologies.csv for "
                            f"{cohort.segment}; use one of {_technologies_of(catalogue, cohort.segment)}.")
        if cohort.lease_end_year is not None and cohort.lease_end_year <= first:
            problems.append(f"{where}: lease_end_year {cohort.lease_end_year} is not after the first planning year "
                            f"{first}: the lease has ended, so the vehicles are owned or gone. Remove the lease "
                            "columns or the row.")
        if cohort.model_year > first:
            problems.append(f"{where}: model_year {cohort.model_year} is after the first planning year {first}; "
                            "existing vehicles must be built by then.")
        if (cohort.segment, cohort.technology) in pairs:
            life = int(catalogue.index.technology[cohort.segment, cohort.technology]["lifetime_years"])
            if cohort.model_year + life <= first:
                warnings.append(f"{where}: older than its catalogue lifetime ({life} years); it runs in {first} "
                                "and retires after it.")
    if not problems:
        warnings += _fleet_against_duties(scenario, catalogue, file)
    return problems, warnings


def _fleet_against_duties(scenario: Scenario, catalogue: Catalogue, file: str) -> list[str]:
    """Warn where the existing fleet is smaller than its first year's duties need (the plan must buy
    at once), usually a sign that the duty bands do not match the fleet file's hours or km."""
    warnings = []
    first = scenario.horizon_first_year
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    for s in scenario.demand:
        have = sum(c.count for c in fleet if c.segment == s)
        if not have:
            continue
        days = operating_days(scenario, catalogue, s)
        total = segment_demand_au(scenario, catalogue, s, first)
        need = sum(total * share / (daily * days) for daily, share in duty_bands(scenario, catalogue, s, first).items())
        if need > have * 1.02:
            warnings.append(f"{file}: demand.{s}: the {have:g} existing vehicles cover {have:g} of the {need:,.1f} duties "
                            f"of {first} (activity / (daily activity x {days:g} operating days)); the plan must add "
                            "vehicles at once. Check duty_bands and operating_days_per_year against the fleet file.")
    return warnings


def _check_policy(scenario: Scenario, catalogue: Catalogue, file: str) -> list[str]:
    """Locked cohorts exist; purchase windows, targets and caps name known things inside the horizon."""
    problems = []
    policy, types = scenario.policy, set(catalogue.technology_types["technology"])
    fleet = {(c.segment, c.technology, c.model_year) for c in scenario.fleet} if isinstance(scenario.fleet, list) \
        else set()
    for i, lock in enumerate(policy.locked_cohorts):
        if (lock.segment, lock.technology, lock.model_year) not in fleet:
            problems.append(f"{file}: policy.locked_cohorts[{i}]: no fleet cohort ({lock.segment}, {lock.technology}, "
                            f"{lock.model_year}). Fix the ids or add the cohort to the fleet.")
    for i, window in enumerate(policy.purchase_windows):
        if window.technology not in types:
            problems.append(f"{file}: policy.purchase_windows[{i}].technology: unknown {window.technology!r}; "
                            f"known {sorted(types)}.")
        if window.first_year and window.last_year and window.first_year > window.last_year:
            problems.append(f"{file}: policy.purchase_windows[{i}]: first_year after last_year.")
        for segment in window.segments or []:
            if segment not in scenario.demand:
                problems.append(f"{file}: policy.purchase_windows[{i}].segments: {segment!r} is not in demand.")
    problems += _outside_horizon(scenario, policy.zero_emission_share_min, "policy.zero_emission_share_min", file)
    cap = policy.emission_cap
    if cap is not None:
        problems += _outside_horizon(scenario, cap.tco2e or cap.share_of_base or {}, "policy.emission_cap", file)
        first, last = scenario.horizon_first_year, scenario.horizon_last_year
        if cap.base_year is not None and not first <= cap.base_year <= last:
            problems.append(f"{file}: policy.emission_cap.base_year {cap.base_year} is outside the horizon "
                            f"{first}-{last}; pick a year inside it or give base_tco2e.")
    for field in ("zero_emission_share_min_by_segment", "zero_emission_purchase_share_min_by_segment"):
        for segment in getattr(policy, field):
            if segment not in scenario.demand:
                problems.append(f"{file}: policy.{field}: {segment!r} has no entry under demand; known "
                                f"{sorted(scenario.demand)}.")
    return problems


def _check_options(scenario: Scenario, catalogue: Catalogue, file: str) -> list[str]:
    """Subsidies, infrastructure options and fuel settings name known ids."""
    problems = []
    types, fuels = set(catalogue.technology_types["technology"]), set(catalogue.fuels["fuel"])
    infrastructure = set(catalogue.infrastructure["infrastructure"])
    for i, rule in enumerate(scenario.subsidies):
        unknown = [x for x in rule.technologies if x not in types | infrastructure]
        if unknown:
            problems.append(f"{file}: subsidies[{i}] ({rule.name}).technologies: unknown {unknown}; known technologies "
                            f"{sorted(types)} and infrastructure {sorted(infrastructure)}.")
        if rule.first_year > rule.last_year:
            problems.append(f"{file}: subsidies[{i}] ({rule.name}): first_year after last_year.")
    for where, options in (("options", scenario.infrastructure.options or []),
                           ("existing_units", scenario.infrastructure.existing_units)):
        for option in options:
            if option not in infrastructure:
                problems.append(f"{file}: infrastructure.{where}: unknown {option!r}; known {sorted(infrastructure)}.")
    for fuel in [*(scenario.fuels.allowed or []), *scenario.fuels.price_multipliers, *scenario.fuels.supply_gj_per_year]:
        if fuel not in fuels:
            problems.append(f"{file}: fuels: unknown fuel {fuel!r}; known {sorted(fuels)}.")
    for technology in scenario.capex_multipliers:
        if technology not in types:
            problems.append(f"{file}: capex_multipliers: unknown technology {technology!r}; known {sorted(types)}.")
    return problems


def _check_financing(scenario: Scenario, catalogue: Catalogue, file: str) -> list[str]:
    """Offered options exist in vehicles/financing.csv; terms are given only for offered options; no
    contract runs longer than the life of a vehicle it may pay for."""
    problems = []
    settings = scenario.financing
    known = set(catalogue.financing["option"])
    for option in settings.offers:
        if option not in known:
            problems.append(f"{file}: financing.offers: unknown option {option!r}; known {sorted(known)} "
                            "(vehicles/financing.csv).")
    for option in settings.terms:
        if option not in settings.offers:
            problems.append(f"{file}: financing.terms.{option}: not in financing.offers; offer it or remove its terms.")
    if isinstance(settings.upfront_max, dict):
        problems += _outside_horizon(scenario, settings.upfront_max, "financing.upfront_max", file)
    if problems:
        return problems
    lives = catalogue.technologies.set_index(["segment", "technology"])["lifetime_years"]
    for option in offered_options(scenario, catalogue):
        for segment in scenario.demand:
            for (s, technology), life in lives.items():
                if s == segment and option.covers("purchase", segment, technology) and option.tenor_years > life:
                    problems.append(f"{file}: financing: option {option.name!r} runs {option.tenor_years} years, longer "
                                    f"than the {life:g}-year life of {segment}/{technology} it may pay for; shorten "
                                    f"tenor_years under financing.terms.{option.name}, or offer another option.")
    return problems


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
