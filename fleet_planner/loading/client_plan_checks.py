"""Check a client's plan against the scenario and catalogue before anything is solved: known
segments, technologies and infrastructure, years inside the horizon, and no sale or conversion
of vehicles the fleet does not have. Every problem names the line and the fix."""

from __future__ import annotations

from collections import defaultdict

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.client_plan import ClientPlan
from fleet_planner.schemas.scenario import Scenario
from fleet_planner.text import shortened


def check_client_plan(plan: ClientPlan, scenario: Scenario, catalogue: Catalogue) -> None:
    """Raise ScenarioError listing every problem of the plan (file, line, column, fix)."""
    problems: list[str] = []
    first, last = scenario.horizon_first_year, scenario.horizon_last_year
    segments = list(scenario.demand)
    options = set(catalogue.tables["infrastructure"]["infrastructure"])
    bad: set[int] = set()
    for r in plan.rows.itertuples():
        where = f"{plan.name} line {r.line}"
        before = len(problems)
        if r.kind == "infrastructure_build":
            if r.infrastructure not in options:
                problems.append(f"{where}, column infrastructure: unknown option {shortened(repr(r.infrastructure))}; "
                                f"the catalogue has {', '.join(sorted(options))}.")
        elif r.segment not in scenario.demand:
            problems.append(f"{where}, column segment: {shortened(repr(r.segment))} is not a segment of the scenario; "
                            f"use one of {', '.join(segments)}.")
        else:
            known = catalogue.index.technologies_of_segment.get(r.segment, [])
            for column in ("technology", "to_technology") if r.kind == "conversion" else ("technology",):
                value = getattr(r, column)
                if value not in known:
                    problems.append(f"{where}, column {column}: unknown technology {shortened(repr(value))} for "
                                    f"segment {r.segment}; the catalogue has {', '.join(known)}.")
        if not first <= r.year <= last:
            problems.append(f"{where}, column year: {r.year} is outside the horizon {first}-{last}; move the "
                            "decision into the horizon or drop the row.")
        if r.model_year is not None and r.model_year == r.model_year and r.model_year > r.year:
            problems.append(f"{where}, column model_year: model year {int(r.model_year)} is after the year {r.year} "
                            "of the decision; vehicles must exist before they are sold or converted.")
        if len(problems) > before:
            bad.add(r.line)
    problems += _stock_problems(plan, scenario, bad)
    if problems:
        raise ScenarioError(problems, during="in the plan file")


def _stock_problems(plan: ClientPlan, scenario: Scenario, bad: set[int]) -> list[str]:
    """Sales and conversions of vehicles the fleet does not have: the existing fleet plus the
    plan's purchases and conversions, minus its earlier sales and conversions (retirement at the
    end of life and lease returns are checked by the accounts afterwards)."""
    stock: dict[tuple[str, str, int], float] = defaultdict(float)
    for c in scenario.fleet if isinstance(scenario.fleet, list) else []:
        stock[c.segment, c.technology, c.model_year] += c.count
    problems = []
    rows = plan.rows[~plan.rows["line"].isin(bad)].sort_values(["year", "line"], kind="mergesort")
    for y in range(scenario.horizon_first_year, scenario.horizon_last_year + 1):
        now = rows[rows["year"] == y]
        opening = dict(stock)
        leaving: dict[tuple, float] = defaultdict(float)
        arriving: dict[tuple, float] = defaultdict(float)
        for r in now[now["kind"].isin(("sale", "conversion")) & now["model_year"].notna()].itertuples():
            cohort = (r.segment, r.technology, int(r.model_year))
            have = opening.get(cohort, 0.0) - leaving[cohort]
            if r.count > have + 1e-9:
                problems.append(_too_many(plan.name, r, have, f"of model year {int(r.model_year)}"))
                continue
            leaving[cohort] += r.count
        for r in now[now["kind"].isin(("sale", "conversion")) & now["model_year"].isna()].itertuples():
            cohorts = sorted(c for c in opening if c[:2] == (r.segment, r.technology))
            have = sum(opening[c] - leaving[c] for c in cohorts)
            if r.count > have + 1e-9:
                problems.append(_too_many(plan.name, r, have, "(any model year)"))
                continue
            left = r.count
            for c in cohorts:  # bookkeeping only: the solve chooses the cohorts
                take = min(left, opening[c] - leaving[c])
                leaving[c] += take
                left -= take
                if r.kind == "conversion":
                    arriving[r.segment, r.to_technology, c[2]] += take
        for cohort, n in leaving.items():
            stock[cohort] -= n
        for r in now.itertuples():
            if r.kind == "purchase":
                stock[r.segment, r.technology, r.year] += r.count
        for r in now[(now["kind"] == "conversion") & now["model_year"].notna()].itertuples():
            arriving[r.segment, r.to_technology, int(r.model_year)] += r.count  # a conversion keeps the model year
        for cohort, n in arriving.items():
            stock[cohort] += n
    return problems


def _too_many(name: str, r, have: float, which: str) -> str:
    verb = "sells" if r.kind == "sale" else "converts"
    if not have:
        return (f"{name} line {r.line}: {verb} {r.count:g} {r.segment}/{r.technology} vehicles {which} in {r.year}, "
                "but there are none then: not in the fleet file, not bought or converted by the plan before, or "
                "already sold; fix the technology, the model year or the year, or drop the row.")
    return (f"{name} line {r.line}: {verb} {r.count:g} {r.segment}/{r.technology} vehicles {which} in {r.year}, but "
            f"the fleet has only {have:g} of them then (the existing fleet plus the plan's purchases and conversions, "
            "minus its earlier sales and conversions); fix the count, the model year or the year.")
