"""Prepare model inputs: scenario + catalogue -> canonical units, sparse index sets, coefficients.

This is the only place where raw data becomes model parameters:

* money is converted once into the scenario currency (exchange rates of the price base year);
* fuel prices become currency per GJ and emission factors tCO2e per GJ (scope and methane slip
  included);
* index sets are sparse: a purchase exists only where the technology may be bought, a stock
  only while a cohort is alive, a conversion only at eligible ages.

Timing conventions (also in docs/model.md): decisions of year y happen at its start; a vehicle
bought in y serves in y; a vehicle sold or converted in y does not serve in y as its old self;
a cohort of model year v leaves after its last year of life, v + lifetime - 1; cash flows of
year y are discounted by (1 + r)^-(y - first year); the value left at the end of the horizon is
discounted from the start of last year + 1.

Letters in loops: s segment, t technology, v vintage (model year), y year, f fuel, k infrastructure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from fleet_planner.loading.rules import (
    baseline_can_buy,
    interpolate_years,
    milestone_value,
    present,
    purchasable_technologies,
    series_value,
    technology_allowed_in_year,
    technology_fuel_options,
)

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

Cohort = tuple[str, str, int]  # (segment, technology, vintage)
TJ_PER_GJ = 1e-3
GJ_PER_MJ = 1e-3
T_PER_KG = 1e-3


def currency_factor(catalogue: Catalogue, from_currency: str, to_currency: str, year: int) -> float:
    """Multiply an amount in from_currency to get to_currency, with the rates of `year`."""
    if from_currency == to_currency:
        return 1.0
    rates = interpolate_years(catalogue.exchange_rates, ["currency"], ["units_per_usd"], [year])
    per_usd = dict(zip(rates["currency"], rates["units_per_usd"], strict=True))
    return per_usd[to_currency] / per_usd[from_currency]


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


@dataclass
class ModelInputs:
    """Everything the model builder and the evaluator need, in canonical units.

    Money in the scenario currency; energy in GJ; emissions in tCO2e; activity in each segment's
    activity unit (au: km or h).
    """

    scenario: Scenario
    years: list[int]
    currency: str
    discount_factor: dict[int, float]
    end_discount_factor: float
    segments: list[str]
    activity_unit: dict[str, str]
    demand_au: dict[tuple[str, int], float]
    vehicles_required_count: dict[tuple[str, int], float]
    duty_bands: dict[str, list[tuple[float, float]]]  # s -> [(daily au, share)] ascending
    max_annual_activity_au: dict[str, float]
    # cohorts
    cohorts: dict[Cohort, dict]  # attributes: origin, initial_count, life_end_year, lock_until, ...
    stock_years: dict[Cohort, list[int]]
    forced_exit_year: dict[Cohort, int]  # year in which policy (gas end) removes a live cohort
    purchase_index: list[tuple[str, str, int]]
    conversion_index: list[tuple[str, str, str, int, int]]  # (s, from t, to t, v, y)
    sale_index: list[tuple[Cohort, int]]
    # coefficients (per unit of the decision)
    purchase_price: dict[tuple[str, str, int], float]
    conversion_cost: dict[tuple[str, str, str, int], float]  # (s, from, to, y)
    fixed_om_cost: dict[tuple[Cohort, int], float]  # per vehicle in stock
    variable_om_cost_per_au: dict[tuple[str, str], float]
    energy_gj_per_au: dict[Cohort, float]
    range_effective_au: dict[Cohort, float | None]
    activity_cap_au: dict[Cohort, float]
    """Most one vehicle of the cohort can do per year: the segment's maximum, and for range-limited
    vehicles at most their usable range on each operating day. [au/a]"""
    retirement_value: dict[Cohort, tuple[int, float, float]]
    """Cohorts whose life ends inside the horizon: (retirement year, value share, value per vehicle)."""
    resale_value: dict[tuple[Cohort, int], float]  # per vehicle sold at start of y
    end_value: dict[Cohort, float]  # per vehicle still in stock after the last year
    resale_share: dict[tuple[Cohort, int], float]  # resale value / purchase price
    end_value_share: dict[Cohort, float]  # end-of-horizon value / purchase price
    fuel_slots: dict[tuple[str, str, int], dict[str, tuple[float, list[str]]]]  # (s, t, y) -> slots
    fuel_price_per_gj: dict[tuple[str, int], float]
    emission_t_per_gj: dict[tuple[str, str, str, int], float]  # (s, t, f, y), policy scope
    emission_t_per_gj_ttw: dict[tuple[str, str, str, int], float]
    emission_t_per_gj_wtw: dict[tuple[str, str, str, int], float]
    carbon_price_per_t: dict[int, float]
    zero_emission: dict[str, bool]
    natural_gas: dict[str, bool]
    charging_required: dict[tuple[str, str], bool]
    infrastructure: dict[str, InfrastructureOption]
    infrastructure_build_index: list[tuple[str, int]]
    subsidy_rules: list[dict] = field(default_factory=list)
    emission_cap_t: dict[int, float] = field(default_factory=dict)
    zero_emission_share_min: dict[int, float] = field(default_factory=dict)
    capex_budget: dict[int, float] = field(default_factory=dict)
    purchases_max_count: dict[int, float] = field(default_factory=dict)
    sales_max_count: dict[int, float] = field(default_factory=dict)
    unmet_penalty_per_au: dict[str, float] = field(default_factory=dict)
    allow_unmet_demand: bool = False
    money_scale: float = 1.0
    is_baseline: bool = False
    supply_fuels: frozenset[str] = frozenset()
    """Fuels whose use needs an energy-basis infrastructure option (hydrogen, bulk CNG)."""

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]


def prepare_inputs(scenario: Scenario, catalogue: Catalogue, *, baseline: bool = False) -> ModelInputs:
    """Turn a checked scenario and catalogue into ModelInputs (see module docstring)."""
    years = scenario.years
    first, last = years[0], years[-1]
    base_year = scenario.price_base_year

    def money(amount: float, currency: str) -> float:
        return amount * currency_factor(catalogue, currency, scenario.currency, base_year)

    segments = list(scenario.demand)
    seg_table = catalogue.segments.set_index("segment")
    policy = scenario.policy

    discount = {y: (1 + scenario.discount_rate) ** -(y - first) for y in years}
    end_discount = (1 + scenario.discount_rate) ** -(last + 1 - first)

    # --- technology-year data (price, energy), interpolated over every year we may need
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    earliest = min([first, *(c.model_year for c in fleet)])
    all_years = list(range(earliest, last + 2))
    ty = interpolate_years(
        catalogue.technology_years.assign(
            purchase_price=[money(p, c) for p, c in zip(catalogue.technology_years["purchase_price"],
                                                         catalogue.technology_years["currency"], strict=True)]
        ),
        ["segment", "technology"], ["purchase_price", "energy_mj_per_au"], all_years,
    )
    price_of = {(r.segment, r.technology, r.year): r.purchase_price for r in ty.itertuples()}
    energy_of = {(r.segment, r.technology, r.year): r.energy_mj_per_au for r in ty.itertuples()}

    residual = {}
    for s, group in catalogue.residual_values.groupby("segment"):
        group = group.sort_values("age_years")
        residual[s] = (group["age_years"].tolist(), group["residual_share"].tolist())

    def residual_share(s: str, age: int) -> float:
        ages, shares = residual[s]
        if age <= ages[0]:
            return shares[0]
        if age >= ages[-1]:
            return shares[-1]
        for a0, s0, a1, s1 in zip(ages, shares, ages[1:], shares[1:], strict=False):
            if a0 <= age <= a1:
                return s0 + (s1 - s0) * (age - a0) / (a1 - a0)
        return shares[-1]

    # --- demand
    activity_unit = {s: str(seg_table.loc[s, "activity_unit"]) for s in segments}
    max_activity = {
        s: float(scenario.demand[s].max_annual_activity_au or seg_table.loc[s, "max_annual_activity_au"])
        for s in segments
    }
    demand_au: dict[tuple[str, int], float] = {}
    required: dict[tuple[str, int], float] = {}
    duty_bands: dict[str, list[tuple[float, float]]] = {}
    for s in segments:
        d = scenario.demand[s]
        typical = float(seg_table.loc[s, "annual_activity_au"])
        fleet_activity = sum(c.count * (c.annual_activity_au if c.annual_activity_au is not None else typical)
                             for c in fleet if c.segment == s)
        for y in years:
            if d.annual_activity_au is not None:
                demand_au[s, y] = series_value(d.annual_activity_au, y) or 0.0
            elif fleet_activity > 0:
                demand_au[s, y] = fleet_activity * (1 + d.growth_rate) ** (y - first)
            else:
                demand_au[s, y] = 0.0
            vehicles = series_value(d.vehicles_required_count, y, "step")
            if vehicles is not None:
                required[s, y] = vehicles * (1 + d.spare_share)
        bands = d.duty_bands or []
        duty_bands[s] = sorted((b.daily_activity_au, b.share) for b in bands) or [
            (float(seg_table.loc[s, "daily_activity_au"]), 1.0)
        ]

    # --- cohorts
    cohorts: dict[Cohort, dict] = {}
    tech_rows = catalogue.index.technology
    lifetime = {key: int(row["lifetime_years"]) for key, row in tech_rows.items()}
    is_gas = {t: bool(row["natural_gas"]) for t, row in catalogue.index.technology_type.items()}
    locks = {(c.segment, c.technology, c.model_year): c.until_year for c in policy.locked_cohorts}

    def gas_blocked(t: str, y: int) -> bool:
        return is_gas.get(t, False) and policy.gas_end_year is not None and y >= policy.gas_end_year

    for c in fleet:
        key = (c.segment, c.technology, c.model_year)
        lock = max(c.lease_end_year or 0, locks.get(key, 0)) or None
        cohorts[key] = {
            "origin": "existing", "initial_count": c.count,
            "life_end_year": max(c.model_year + lifetime[c.segment, c.technology], first + 1),
            "lock_until": lock, "source": None,
        }
    purchase_index = []
    purchase_allowed = {}
    for s in segments:
        base_t = str(seg_table.loc[s, "baseline_technology"])
        for y in years:
            allowed = purchasable_technologies(scenario, catalogue, s, y)
            if baseline:
                allowed = [base_t] if baseline_can_buy(scenario, catalogue, s, base_t, y) else []
            purchase_allowed[s, y] = allowed
            for t in allowed:
                purchase_index.append((s, t, y))
                cohorts.setdefault((s, t, y), {
                    "origin": "new", "initial_count": 0, "life_end_year": y + lifetime[s, t],
                    "lock_until": None, "source": None,
                })
    # Vehicles bought inside a subsidy window are held: not sold early nor converted (the grant's
    # holding condition). This keeps the accounts linear and exact: a claim reduces the value of
    # its cohort by residual share x claim when the cohort is finally valued (see docs/model.md).
    held = set() if baseline else {
        (s, t, y) for s, t, y in purchase_index for rule in scenario.subsidies
        if "purchases" in rule.applies_to and t in rule.technologies and rule.first_year <= y <= rule.last_year
        and (rule.segments is None or s in rule.segments)}
    for key in held:
        cohorts[key]["held_for_subsidy"] = True
    # conversions: from each live cohort (existing or new) at eligible ages
    conversion_index = []
    conversion_cost: dict[tuple[str, str, str, int], float] = {}
    conv_rows = [] if (baseline or not policy.allow_conversions) else catalogue.conversions.to_dict("records")
    for row in conv_rows:
        s, t_from, t_to = row["segment"], row["from_technology"], row["to_technology"]
        if s not in scenario.demand:
            continue
        for (cs, ct, v), attrs in list(cohorts.items()):
            if (cs, ct) != (s, t_from):
                continue
            for y in years:
                age = y - v
                if y <= v and attrs["origin"] == "new":
                    continue  # a new vehicle is bought as what it is
                if not (row["min_age_years"] <= age <= row["max_age_years"]):
                    continue
                if not (row["first_year"] <= y <= row["last_year"]) or y >= attrs["life_end_year"]:
                    continue
                if (attrs["lock_until"] and y < attrs["lock_until"]) or attrs.get("held_for_subsidy"):
                    continue
                if not technology_allowed_in_year(scenario, catalogue, s, t_to, y) or gas_blocked(t_to, y):
                    continue
                conversion_index.append((s, t_from, t_to, v, y))
                conversion_cost[s, t_from, t_to, y] = money(row["conversion_cost"], row["currency"])
                target = (s, t_to, v)
                cohorts.setdefault(target, {
                    "origin": "converted", "initial_count": 0, "life_end_year": attrs["life_end_year"],
                    "lock_until": None, "source": (s, t_from, v), "energy_multiplier": row["energy_multiplier"],
                    "first_year": y,
                })
                cohorts[target]["first_year"] = min(cohorts[target]["first_year"], y)

    # stock years (alive and not removed by policy), forced exits
    stock_years: dict[Cohort, list[int]] = {}
    forced_exit: dict[Cohort, int] = {}
    for key, attrs in cohorts.items():
        s, t, v = key
        start = {"existing": first, "new": v, "converted": attrs.get("first_year", first)}[attrs["origin"]]
        alive = [y for y in years if start <= y < attrs["life_end_year"]]
        allowed = [y for y in alive if not gas_blocked(t, y)]
        if len(allowed) < len(alive) and allowed:
            forced_exit[key] = alive[len(allowed)]
        elif alive and not allowed and attrs["origin"] == "existing":
            forced_exit[key] = first
        stock_years[key] = allowed

    sale_index = []
    if policy.allow_sales and not baseline:
        for key, ys in stock_years.items():
            attrs = cohorts[key]
            for y in ys:
                if attrs["origin"] == "new" and y == key[2]:
                    continue
                if attrs["origin"] == "converted" and y <= attrs["first_year"]:
                    continue
                if (attrs["lock_until"] and y < attrs["lock_until"]) or attrs.get("held_for_subsidy"):
                    continue
                sale_index.append((key, y))
    for key, y in forced_exit.items():
        if (key, y) not in set(sale_index):
            sale_index.append((key, y))

    # infrastructure
    infra: dict[str, InfrastructureOption] = {}
    options = scenario.infrastructure.options
    for row in catalogue.infrastructure.to_dict("records"):
        k = row["infrastructure"]
        if options is not None and k not in options:
            continue
        segs = segments if row["segments"].strip() == "*" else [x.strip() for x in row["segments"].split(";")]
        served = frozenset((s, x.strip()) for s in segs if s in segments for x in row["serves"].split(";"))
        capacity = row["capacity_vehicles_per_unit"] if row["basis"] == "vehicles" else row["capacity_gj_per_year_per_unit"]
        infra[k] = InfrastructureOption(
            infrastructure=k, basis=row["basis"], serves=served, capacity_per_unit=float(capacity),
            capex_cost_per_unit=money(row["capex_cost_per_unit"], row["currency"]),
            fixed_om_cost_per_unit_year=money(row["fixed_om_cost_per_unit_year"], row["currency"]),
            lifetime_years=int(row["lifetime_years"]),
            existing_units=int(scenario.infrastructure.existing_units.get(k, 0)),
        )
    infra_build_index = [(k, y) for k in infra for y in years]

    # subsidies -> per-unit amounts on eligible decisions
    rules = [] if baseline else _prepare_subsidies(scenario, purchase_index, price_of, conversion_index,
                                                   conversion_cost, infra, years)
    # per-cohort coefficients
    def original_price(key: Cohort) -> float:
        s, t, v = key
        source = cohorts[key]["source"]
        if source is not None:
            return original_price(source)
        return price_of.get((s, t, v), 0.0)

    def cohort_energy(key: Cohort) -> float:
        s, t, v = key
        attrs = cohorts[key]
        if attrs["source"] is not None:
            return cohort_energy(attrs["source"]) * attrs["energy_multiplier"]
        return energy_of[s, t, v]

    fixed_om: dict[tuple[Cohort, int], float] = {}
    resale: dict[tuple[Cohort, int], float] = {}
    end_value: dict[Cohort, float] = {}
    resale_share: dict[tuple[Cohort, int], float] = {}
    end_value_share: dict[Cohort, float] = {}
    activity_cap: dict[Cohort, float] = {}
    retirement_value: dict[Cohort, tuple[int, float, float]] = {}
    energy_gj: dict[Cohort, float] = {}
    range_eff: dict[Cohort, float | None] = {}
    for key, ys in stock_years.items():
        s, t, v = key
        row = catalogue.index.technology[s, t]
        base_om = money(row["fixed_om_cost_per_year"], row["currency"])
        for y in ys:
            fixed_om[key, y] = base_om * (1 + float(row["fixed_om_age_growth_share"]) * (y - v))
        energy_gj[key] = cohort_energy(key) * GJ_PER_MJ
        rng = row["range_au"]
        range_eff[key] = (float(rng) * (1 - float(row["range_derate_share"] or 0.0))) if present(rng) else None
        # operating days per year implied by the segment's typical use (typical annual / typical daily)
        days = float(seg_table.loc[s, "annual_activity_au"]) / float(seg_table.loc[s, "daily_activity_au"])
        cap = max_activity[s] if range_eff[key] is None else min(max_activity[s], range_eff[key] * days)
        activity_cap[key] = cap
        # value of the vehicles still owned after the last year (or retiring just then)
        if ys and ys[-1] == last:
            end_value_share[key] = residual_share(s, last + 1 - v)
            end_value[key] = end_value_share[key] * original_price(key)
        # vehicles retiring at the end of their life inside the horizon are sold for their residual
        # value, as an owner would; without it, selling a year early would always look better
        elif ys and ys[-1] == cohorts[key]["life_end_year"] - 1:
            retire_year = cohorts[key]["life_end_year"]
            share = residual_share(s, retire_year - v)
            retirement_value[key] = (retire_year, share, share * original_price(key))
    for key, y in sale_index:
        resale_share[key, y] = residual_share(key[0], y - key[2])
        resale[key, y] = resale_share[key, y] * original_price(key)

    variable_om = {
        (s, t): money(float(row["variable_om_cost_per_au"]), str(row["currency"]))
        for (s, t), row in tech_rows.items() if s in segments
    }

    # fuels: slots per technology-year, prices and emission factors
    tech_years = sorted({(s, t, y) for (s, t, _v), ys in stock_years.items() for y in ys})
    fuel_slots = {(s, t, y): technology_fuel_options(scenario, catalogue, t, y) for s, t, y in tech_years}
    fuel_ids = sorted({f for slots in fuel_slots.values() for _sh, fs in slots.values() for f in fs})
    fuels = catalogue.fuels.set_index("fuel")
    regional = catalogue.prices[catalogue.prices["region"] == scenario.region]
    pr = interpolate_years(
        regional.assign(price_per_unit=[money(p, c) for p, c in zip(regional["price_per_unit"], regional["currency"], strict=True)]),
        ["fuel"], ["price_per_unit"], years,
    )
    fuel_price = {}
    for r in pr.itertuples():
        multiplier = scenario.fuels.price_multipliers.get(r.fuel, 1.0)
        fuel_price[r.fuel, r.year] = r.price_per_unit / float(fuels.loc[r.fuel, "lhv_mj_per_unit"]) * 1000 * multiplier
    ef = interpolate_years(catalogue.emission_factors, ["fuel", "application"],
                           ["ttw_kgco2e_per_gj", "wtw_kgco2e_per_gj"], years)
    ef_lookup = {(r.fuel, r.application, r.year): (r.ttw_kgco2e_per_gj, r.wtw_kgco2e_per_gj) for r in ef.itertuples()}
    gwp_ch4 = catalogue.constant("gwp100_ch4")
    e_ttw, e_wtw = {}, {}
    application_of = {s: str(seg_table.loc[s, "emission_application"]) for s in segments}
    ch4_of = {f: (float(r["methane_kg_per_gj"]) if present(r["methane_kg_per_gj"]) else 0.0)
              for f, r in catalogue.index.fuel.items()}
    for s, t, y in tech_years:
        application = application_of[s]
        slip = tech_rows[s, t]["methane_slip_share"]
        slip = float(slip) if present(slip) else 0.0
        for _share, fs in fuel_slots[s, t, y].values():
            for f in fs:
                ttw, wtw = ef_lookup.get((f, application, y)) or ef_lookup[f, "all", y]
                slip_kg = slip * ch4_of[f] * gwp_ch4
                e_ttw[s, t, f, y] = (ttw + slip_kg) * T_PER_KG
                e_wtw[s, t, f, y] = (wtw + slip_kg) * T_PER_KG
    scope = e_ttw if policy.emission_scope == "ttw" else e_wtw


    # policy series
    cap_t: dict[int, float] = {}
    if policy.emission_cap is not None and policy.emission_cap.tco2e is not None and not baseline:
        for y in years:
            value = milestone_value(policy.emission_cap.tco2e, y, policy.emission_cap.interpolation)
            if value is not None:
                cap_t[y] = value
    ze_min = {} if baseline else {
        y: v for y in years if (v := milestone_value(policy.zero_emission_share_min, y, "step")) is not None
    }

    def yearly(series) -> dict[int, float]:
        return {} if series is None or baseline else {y: series_value(series, y, "step") for y in years}

    carbon = {y: series_value(scenario.carbon_price, y) or 0.0 for y in years}


    # money scale for the solver: keep coefficients near 1..1e3 (see docs/performance notes)
    largest = max([1.0, *price_of.values()])
    money_scale = 10.0 ** max(0, math.floor(math.log10(largest)) - 2)

    # unmet-demand penalty: 100 x the dearest way to serve one activity unit (capex spread over a
    # typical year's activity + energy), so slack is used only where nothing else can serve
    penalty = {}
    dearest_fuel = max(fuel_price.values(), default=0.0)
    for s in segments:
        typical = max(1.0, float(seg_table.loc[s, "annual_activity_au"]))
        per_au = [p / typical for (ss, _t, _y), p in price_of.items() if ss == s]
        energy = [e * GJ_PER_MJ * dearest_fuel for (ss, _t, _y), e in energy_of.items() if ss == s]
        penalty[s] = 100.0 * (max(per_au, default=1.0) + max(energy, default=1.0)) + 1.0

    return ModelInputs(
        scenario=scenario, years=years, currency=scenario.currency, discount_factor=discount,
        end_discount_factor=end_discount, segments=segments, activity_unit=activity_unit,
        demand_au=demand_au, vehicles_required_count=required, duty_bands=duty_bands,
        max_annual_activity_au=max_activity, cohorts=cohorts, stock_years=stock_years,
        forced_exit_year=forced_exit, purchase_index=purchase_index, conversion_index=conversion_index,
        sale_index=sale_index,
        purchase_price={(s, t, y): price_of[s, t, y] for s, t, y in purchase_index},
        conversion_cost=conversion_cost, fixed_om_cost=fixed_om, variable_om_cost_per_au=variable_om,
        energy_gj_per_au=energy_gj, range_effective_au=range_eff, resale_value=resale, end_value=end_value,
        resale_share=resale_share, end_value_share=end_value_share, activity_cap_au=activity_cap,
        retirement_value=retirement_value,
        fuel_slots=fuel_slots, fuel_price_per_gj={(f, y): fuel_price[f, y] for f in fuel_ids for y in years
                                                  if (f, y) in fuel_price},
        emission_t_per_gj=scope, emission_t_per_gj_ttw=e_ttw, emission_t_per_gj_wtw=e_wtw,
        carbon_price_per_t=carbon,
        zero_emission={t: bool(r["zero_emission"]) for t, r in catalogue.index.technology_type.items()},
        natural_gas=is_gas,
        charging_required={key: bool(row["charging_required"]) for key, row in tech_rows.items()},
        infrastructure=infra, infrastructure_build_index=infra_build_index, subsidy_rules=rules,
        emission_cap_t=cap_t, zero_emission_share_min=ze_min, capex_budget=yearly(policy.capex_budget),
        purchases_max_count=yearly(policy.purchases_max_count), sales_max_count=yearly(policy.sales_max_count),
        unmet_penalty_per_au=penalty, allow_unmet_demand=scenario.allow_unmet_demand, money_scale=money_scale,
        is_baseline=baseline,
        supply_fuels=frozenset(fuels.index[fuels["supply_infrastructure_required"].astype(bool)]),
    )


def _prepare_subsidies(scenario, purchase_index, price_of, conversion_index, conversion_cost, infra, years) -> list[dict]:
    """Per rule: eligible decisions with the subsidy per unit (share x capex, capped per unit)."""
    rules = []
    for rule in scenario.subsidies:
        def per_unit(capex: float, rule=rule) -> float:
            amount = rule.capex_share * capex
            return min(amount, rule.max_per_unit) if rule.max_per_unit is not None else amount

        def covers(s: str | None, y: int, item: str, rule=rule) -> bool:
            return (item in rule.technologies and rule.first_year <= y <= rule.last_year
                    and (s is None or rule.segments is None or s in rule.segments))

        eligible: dict[tuple, float] = {}
        if "purchases" in rule.applies_to:
            for s, t, y in purchase_index:
                if covers(s, y, t):
                    eligible["purchase", s, t, y] = per_unit(price_of[s, t, y])
        if "conversions" in rule.applies_to:
            for s, t_from, t_to, _v, y in conversion_index:
                if covers(s, y, t_to):
                    eligible["conversion", s, t_from, t_to, y] = per_unit(conversion_cost[s, t_from, t_to, y])
        if "infrastructure" in rule.applies_to:
            for k, option in infra.items():
                for y in years:
                    if covers(None, y, k):
                        eligible["infrastructure", k, y] = per_unit(option.capex_cost_per_unit)
        rules.append({"name": rule.name, "eligible": eligible, "max_total": rule.max_total,
                      "years": sorted({key[-1] for key in eligible})})
    return rules


def requirement_keys(inputs: ModelInputs) -> dict[str, list[tuple[str, str]]]:
    """Infrastructure each option may serve: {k: [(segment, technology or fuel)]} actually needed."""
    needed_vehicles = {(s, t) for (s, t, _v) in inputs.stock_years if inputs.charging_required.get((s, t))}
    needed_fuels = set()
    fuels_requiring = inputs.supply_fuels
    for (s, _t, _y), slots in inputs.fuel_slots.items():
        for _share, fs in slots.values():
            needed_fuels.update((s, f) for f in fs if f in fuels_requiring)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for k, option in inputs.infrastructure.items():
        pool = needed_vehicles if option.basis == "vehicles" else needed_fuels
        out[k] = sorted(option.serves & pool)
    return out


def cohort_table(inputs: ModelInputs) -> pd.DataFrame:
    """Cohorts as a table (for reports and the evaluator)."""
    return pd.DataFrame(
        [{"segment": s, "technology": t, "model_year": v, **{k: a.get(k) for k in ("origin", "initial_count",
          "life_end_year", "lock_until")}} for (s, t, v), a in inputs.cohorts.items()]
    )
