"""Which cohorts can exist and what may be done to them: purchases, conversions, sales.

Index sets are sparse: a purchase exists only where the technology may be bought, a stock only
while a cohort is alive and allowed, a conversion only at eligible ages, a sale only where the
cohort may be sold (not in its purchase year, not while locked). Vehicles that claim a grant are
held by a row of the model (optimisation/build/subsidies.py), not by the index sets.
Letters: s segment, t technology, v vintage (model year), y year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fleet_planner.loading.frames import records
from fleet_planner.loading.rules import baseline_can_buy, purchasable_technologies, technology_allowed_in_year
from fleet_planner.schemas.plan import Baseline

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

Cohort = tuple[str, str, int]  # (segment, technology, vintage)


@dataclass(frozen=True)
class CohortIndex:
    """Cohorts and the sparse index sets of the fleet decisions."""

    cohorts: dict[Cohort, dict]
    """attributes: origin (existing|new|converted), initial_count, life_end_year, lock_until,
    source (the cohort a converted one came from), energy_multiplier, first_year."""
    purchase_index: list[tuple[str, str, int]]
    conversion_index: list[tuple[str, str, str, int, int]]  # (s, from t, to t, v, y)
    conversion_rows: dict[tuple[str, str, str], dict]  # (s, from t, to t) -> conversions.csv row
    stock_years: dict[Cohort, list[int]]
    forced_exit_year: dict[Cohort, int]
    """Year in which policy (gas end) removes a live cohort: all of it must be sold or converted."""
    sale_index: list[tuple[Cohort, int]]
    lease_buy_out: dict[Cohort, int]
    """Leased cohorts the plan may buy out: cohort -> the lease's end year (inside the horizon)."""


def cohort_index(scenario: Scenario, catalogue: Catalogue, *, baseline: Baseline) -> CohortIndex:
    """Build the cohorts and index sets of a scenario (baseline: only the baseline technology and
    no conversions; no early sales in the like-for-like reference)."""
    cohorts = _existing_cohorts(scenario, catalogue)
    purchase_index = _purchases(scenario, catalogue, cohorts, baseline=baseline)
    conversion_index, conversion_rows = _conversions(scenario, catalogue, cohorts, baseline=baseline)
    stock_years, forced_exit = _stock_years(scenario, catalogue, cohorts)
    sale_index = _sales(scenario, cohorts, stock_years, forced_exit, baseline=baseline)
    buy_out = {key: attrs["lease"]["end_year"] for key, attrs in cohorts.items()
               if attrs.get("lease") and attrs["lease"]["buy_out"] and attrs["lease"]["end_year"] in stock_years[key]
               and attrs["lease"]["end_year"] - 1 in stock_years[key]}
    return CohortIndex(cohorts, purchase_index, conversion_index, conversion_rows, stock_years, forced_exit,
                       sale_index, buy_out)


def _lifetime(catalogue: Catalogue, s: str, t: str) -> int:
    return int(catalogue.index.technology[s, t]["lifetime_years"])


def gas_blocked(scenario: Scenario, catalogue: Catalogue, t: str, y: int) -> bool:
    """True if policy bans natural-gas technology t in year y (gas_end_year)."""
    row = catalogue.index.technology_type.get(t)
    end = scenario.policy.gas_end_year
    return bool(row and row["natural_gas"]) and end is not None and y >= end


def _existing_cohorts(scenario: Scenario, catalogue: Catalogue) -> dict[Cohort, dict]:
    """Existing cohorts; one older than its lifetime still serves the first year. A leased cohort
    (lease_end_year) is locked until its lease ends; returned vehicles leave then (life_end_year is
    the lease end), a buy-out lease keeps its age life and the plan decides how many to buy."""
    first = scenario.horizon_first_year
    locks = {(c.segment, c.technology, c.model_year): c.until_year for c in scenario.policy.locked_cohorts}
    cohorts: dict[Cohort, dict] = {}
    for c in scenario.fleet if isinstance(scenario.fleet, list) else []:
        key = (c.segment, c.technology, c.model_year)
        life_end = max(c.model_year + _lifetime(catalogue, c.segment, c.technology), first + 1)
        lease = None
        if c.lease_end_year is not None:
            buy_out = c.lease_end == "buy_out" and c.lease_end_year < life_end
            lease = {"end_year": c.lease_end_year, "cost_per_year": float(c.lease_cost_per_year or 0.0),
                     "buy_out": buy_out, "buyout_price": float(c.buyout_price or 0.0)}
            if not buy_out:
                life_end = c.lease_end_year  # returned to the lessor (or kept to the lease's end)
        cohorts[key] = {
            "origin": "existing", "initial_count": c.count, "life_end_year": life_end,
            "lock_until": max(c.lease_end_year or 0, locks.get(key, 0)) or None, "source": None, "lease": lease,
        }
    return cohorts


def owned(attrs: dict, year: int) -> bool:
    """Whether the fleet owns the cohort's vehicles in `year` (leased ones: only after a buy-out)."""
    lease = attrs.get("lease")
    return lease is None or (lease["buy_out"] and year >= lease["end_year"])


def _purchases(scenario: Scenario, catalogue: Catalogue, cohorts: dict[Cohort, dict], *,
               baseline: Baseline) -> list[tuple[str, str, int]]:
    """Purchase index (s, t, y); adds a new cohort (s, t, y) for each."""
    base_technology = catalogue.segments.set_index("segment")["baseline_technology"]
    index = []
    for s in scenario.demand:
        for y in scenario.years:
            if baseline:
                t0 = str(base_technology[s])
                allowed = [t0] if baseline_can_buy(scenario, catalogue, s, t0, y) else []
            else:
                allowed = purchasable_technologies(scenario, catalogue, s, y)
            for t in allowed:
                index.append((s, t, y))
                cohorts.setdefault((s, t, y), {"origin": "new", "initial_count": 0,
                                               "life_end_year": y + _lifetime(catalogue, s, t),
                                               "lock_until": None, "source": None})
    return index


def _conversions(scenario: Scenario, catalogue: Catalogue, cohorts: dict[Cohort, dict], *, baseline: Baseline,
                 ) -> tuple[list[tuple[str, str, str, int, int]], dict[tuple[str, str, str], dict]]:
    """Conversions from each live cohort (existing or new) at eligible ages; adds converted cohorts."""
    index: list[tuple[str, str, str, int, int]] = []
    rows: dict[tuple[str, str, str], dict] = {}
    if baseline or not scenario.policy.allow_conversions:
        return index, rows
    for row in records(catalogue.conversions):
        s, t_from, t_to = row["segment"], row["from_technology"], row["to_technology"]
        if s not in scenario.demand:
            continue
        rows[s, t_from, t_to] = row
        for (cs, ct, v), attrs in list(cohorts.items()):
            if (cs, ct) != (s, t_from):
                continue
            for y in scenario.years:
                if not _may_convert(scenario, catalogue, row, attrs, v, y):
                    continue
                index.append((s, t_from, t_to, v, y))
                target = cohorts.setdefault((s, t_to, v), {
                    "origin": "converted", "initial_count": 0, "life_end_year": attrs["life_end_year"],
                    "lock_until": None, "source": (s, t_from, v), "energy_multiplier": row["energy_multiplier"],
                    "first_year": y,
                })
                target["first_year"] = min(target["first_year"], y)
    return index, rows


def _may_convert(scenario: Scenario, catalogue: Catalogue, row: dict, attrs: dict, v: int, y: int) -> bool:
    """A cohort of vintage v may be converted in y: eligible age and years, alive, not locked, and
    the target technology allowed then. A new vehicle is bought as what it is."""
    if y <= v and attrs["origin"] == "new":
        return False
    if not row["min_age_years"] <= y - v <= row["max_age_years"]:
        return False
    if not row["first_year"] <= y <= row["last_year"] or y >= attrs["life_end_year"]:
        return False
    if attrs["lock_until"] and y < attrs["lock_until"]:
        return False
    t_to = row["to_technology"]
    return (technology_allowed_in_year(scenario, catalogue, row["segment"], t_to, y)
            and not gas_blocked(scenario, catalogue, t_to, y))


def _stock_years(scenario: Scenario, catalogue: Catalogue, cohorts: dict[Cohort, dict],
                 ) -> tuple[dict[Cohort, list[int]], dict[Cohort, int]]:
    """Years each cohort is alive and allowed; the year policy forces a live cohort out."""
    first = scenario.horizon_first_year
    stock_years: dict[Cohort, list[int]] = {}
    forced_exit: dict[Cohort, int] = {}
    for key, attrs in cohorts.items():
        t, v = key[1], key[2]
        start = {"existing": first, "new": v, "converted": attrs.get("first_year", first)}[attrs["origin"]]
        alive = [y for y in scenario.years if start <= y < attrs["life_end_year"]]
        # a leased vehicle runs until its lease ends even past the gas end (the contract binds)
        allowed = [y for y in alive if not (gas_blocked(scenario, catalogue, t, y) and owned(attrs, y))]
        if len(allowed) < len(alive) and allowed:
            forced_exit[key] = alive[len(allowed)]
        elif alive and not allowed and attrs["origin"] == "existing":
            forced_exit[key] = first
        stock_years[key] = allowed
    return stock_years, forced_exit


def _sales(scenario: Scenario, cohorts: dict[Cohort, dict], stock_years: dict[Cohort, list[int]],
           forced_exit: dict[Cohort, int], *, baseline: Baseline) -> list[tuple[Cohort, int]]:
    """Early sales (c, y): not in the purchase or conversion year, not while locked; plus the forced
    exits of the gas end. The like-for-like reference sells nothing early."""
    index: list[tuple[Cohort, int]] = []
    if scenario.policy.allow_sales and baseline != "like_for_like":
        for key, years in stock_years.items():
            attrs = cohorts[key]
            for y in years:
                if attrs["origin"] == "new" and y == key[2]:
                    continue
                if attrs["origin"] == "converted" and y <= attrs["first_year"]:
                    continue
                if attrs["lock_until"] and y < attrs["lock_until"]:
                    continue
                index.append((key, y))
    listed = set(index)
    index += [(key, y) for key, y in forced_exit.items() if (key, y) not in listed]
    return index
