"""The independent evaluator: a plan's accounts recomputed from its decisions alone.

It imports nothing from the optimisation: every coefficient comes from the accounts' own price
book (accounts/prices.py), computed from the validated scenario and catalogue tables. It is used
three ways: (a) every optimised plan is re-checked against the MILP (NPV and yearly emissions
within 1e-6); (b) the baseline is accounted with exactly the same code; (c) a user's own plan is
evaluated and every broken rule listed, year by year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import pandas as pd

from fleet_planner.accounts.activity import activity_accounts, service_checks
from fleet_planner.accounts.energy import energy_accounts
from fleet_planner.accounts.financing import (
    cash_flow_table,
    contracts_table,
    existing_lease_payments,
    financing_accounts,
)
from fleet_planner.accounts.fleet import FleetRules, fleet_account
from fleet_planner.accounts.infrastructure import infrastructure_accounts
from fleet_planner.accounts.ledger import Ledger
from fleet_planner.accounts.policy import capex_by_year, emission_caps, operational_checks, policy_checks
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.subsidies import subsidy_accounts
from fleet_planner.accounts.tables import plan_tables
from fleet_planner.accounts.vehicles import end_service_accounts, vehicle_accounts
from fleet_planner.accounts.violations import Violation, check_integer
from fleet_planner.accounts.wear import wear_accounts
from fleet_planner.accounts.window import window_npv
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.frames import row_tuples
from fleet_planner.schemas.plan import Baseline, Decisions
from fleet_planner.schemas.scenario import Scenario


@dataclass
class Evaluation:
    """Accounts of one plan: tables with unit-suffixed columns, NPV, violations."""

    tables: Mapping[str, pd.DataFrame]
    """By name, each built when first read (accounts.tables.LazyTables)."""
    npv_cost: float
    violations: list[Violation] = field(default_factory=list)
    report_npv_cost: float | None = None
    """NPV over the reporting window (report_last_year), what is left valued at its end; None when
    the window is the whole horizon."""
    report_last_year: int | None = None
    decisions: Decisions | None = None
    """The plan these are the accounts of."""

    @property
    def reported_npv_cost(self) -> float:
        return self.npv_cost if self.report_npv_cost is None else self.report_npv_cost

    @property
    def reported_emissions_tco2e(self) -> float:
        table = self.tables["emissions"]
        if self.report_last_year is not None:
            table = table[table["year"] <= self.report_last_year]
        return float(table["emissions_tco2e"].sum())

    @property
    def emissions_by_year(self) -> dict[int, float]:
        table = self.tables["emissions"]
        return dict(zip(table["year"], table["emissions_tco2e"], strict=True))


def evaluate_plan(scenario: Scenario, catalogue: Catalogue, decisions: Decisions, *, baseline: Baseline = None,
                  base_emissions_tco2e: float | None = None, book: PriceBook | None = None,
                  tables: Collection[str] | None = None) -> Evaluation:
    """Recompute every account of a plan and check every rule of the scenario.

    baseline applies a baseline's rules instead of the scenario's (schemas.plan.Baseline: only
    each segment's baseline technology; no conversions, targets or grants; "like_for_like" no early
    sales either). base_emissions_tco2e: the baseline's emissions
    in the cap's base year, for caps written as a share of it. book: the scenario's price book when the
    caller has one (a Monte Carlo sweep's books share their catalogue lookups: PriceBook.for_sample).
    tables: build only these plan tables (costs and emissions always); None: all of them."""
    if book is None or book.scenario is not scenario:
        book = PriceBook(scenario, catalogue)
    violations: list[Violation] = []
    ledger = Ledger()
    fleet = fleet_account(FleetRules(book, baseline=baseline), decisions, violations)
    vehicle_accounts(book, fleet, ledger)
    activity = activity_accounts(book, fleet, decisions, ledger, violations)
    service_checks(book, fleet, decisions, violations)
    wear_accounts(book, fleet, activity, ledger)
    end_service_accounts(book, fleet, decisions, ledger)
    energy = energy_accounts(book, fleet, activity, decisions, ledger, violations)
    builds = _builds(book, decisions, violations)
    infrastructure_rows = infrastructure_accounts(book, fleet, energy, builds, ledger, violations)
    claims = subsidy_accounts(book, fleet, decisions, builds, ledger, violations, baseline=baseline)
    financing = financing_accounts(book, fleet, decisions, builds, ledger, violations)
    spent = capex_by_year(book, fleet, builds, claims)
    cash = cash_flow_table(book, spent, financing, existing_lease_payments(book))
    caps = {} if baseline else emission_caps(book, base_emissions_tco2e)
    operational_checks(book, fleet, violations)
    if not baseline:
        policy_checks(book, fleet, energy, caps, cash, violations)
    wanted = None if tables is None else {*tables, "costs", "emissions"}
    tables = plan_tables(book, fleet, decisions, activity, energy, ledger.frame(), infrastructure_rows, claims,
                         spent, caps, only=wanted)
    if wanted is None or "cash_flows" in wanted:
        tables["cash_flows"] = cash
    if wanted is None or "financing" in wanted:
        tables["financing"] = contracts_table(book, financing)
    window = scenario.report_last_year
    report_npv = None
    if window is not None and window < book.last_year:
        report_npv = window_npv(book, fleet, builds, decisions, ledger.frame(), window)
    return Evaluation(tables=tables, npv_cost=float(tables["costs"]["discounted_cost"].sum()), violations=violations,
                      report_npv_cost=report_npv, report_last_year=window if report_npv is not None else None,
                      decisions=decisions)


def _builds(book: PriceBook, decisions: Decisions, violations: list[Violation]) -> dict[tuple[str, int], float]:
    """Infrastructure builds of allowed options inside the horizon."""
    options = book.infrastructure()
    builds: dict[tuple[str, int], float] = defaultdict(float)
    for r in row_tuples(decisions.infrastructure_builds):
        k, y = r.infrastructure, int(r.year)
        if k not in options or y not in book.scenario.years:
            violations.append(Violation("infrastructure_not_allowed", y, k, f"{r.count:g} units built, but the "
                                        "option is not offered in the scenario then; ignored in the accounts"))
            continue
        check_integer(violations, "infrastructure build", y, k, r.count)
        builds[k, y] += r.count
    return builds
