"""Model inputs: scenario + catalogue -> canonical units, sparse index sets, coefficients.

`prepare_inputs` assembles the coefficient modules (optimisation/coefficients/) into one
ModelInputs for the model builder. Money is converted once into the scenario currency; fuel
prices become currency per GJ and emission factors tCO2e per GJ; index sets are sparse.

Timing conventions (also in docs/model.md): decisions of year y happen at its start; a vehicle
bought in y serves in y; a vehicle sold or converted in y does not serve in y as its old self;
a cohort of model year v leaves after its last year of life, v + lifetime - 1; cash flows of
year y are discounted by (1 + r)^-(y - first year); the value left at the end of the horizon is
discounted from the start of last year + 1.

Letters in loops: s segment, t technology, v vintage (model year), y year, f fuel, k infrastructure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fleet_planner.loading.rules import FuelSlot, series_value
from fleet_planner.optimisation.coefficients import infrastructure as infrastructure_module
from fleet_planner.optimisation.coefficients.cohorts import Cohort, cohort_index
from fleet_planner.optimisation.coefficients.energy import energy_coefficients
from fleet_planner.optimisation.coefficients.financing import FinancingCoefficients, financing_coefficients
from fleet_planner.optimisation.coefficients.infrastructure import InfrastructureOption
from fleet_planner.optimisation.coefficients.policy import money_scale, policy_series, unmet_penalties
from fleet_planner.optimisation.coefficients.shared import ScenarioTerms
from fleet_planner.optimisation.coefficients.subsidies import subsidy_rules
from fleet_planner.optimisation.coefficients.vehicles import EndOfHorizon, vehicle_coefficients
from fleet_planner.optimisation.coefficients.wear import battery_values, wear_coefficients
from fleet_planner.schemas.plan import Baseline

if TYPE_CHECKING:
    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario


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
    running_discount_factor: dict[int, float]
    """Discount factor of running costs (O&M, energy, carbon), paid at the scenario's running_cost_timing."""
    end_discount_factor: float
    segments: list[str]
    activity_unit: dict[str, str]
    demand_au: dict[tuple[str, int], float]
    vehicles_required_count: dict[tuple[str, int], float]
    duty_bands: dict[str, list[float]]  # s -> daily activity of each band, ascending [au/day]
    band_demand_au: dict[tuple[str, float, int], float]  # (s, band, y) activity done in the band [au/a]
    duties_count: dict[tuple[str, float, int], float]  # (s, band, y) vehicles the band needs at once
    operating_days: dict[str, float]  # [d/a]
    spare_share: dict[str, float]
    one_duty_per_vehicle: dict[str, bool]
    typical_annual_activity_au: dict[str, float]  # one vehicle on the typical duty [au/a]
    # cohorts
    cohorts: dict[Cohort, dict]  # attributes: origin, initial_count, life_end_year, lock_until, ...
    stock_years: dict[Cohort, list[int]]
    forced_exit_year: dict[Cohort, int]  # year in which policy (gas end) removes a live cohort
    purchase_index: list[tuple[str, str, int]]
    conversion_index: list[tuple[str, str, str, int, int]]  # (s, from t, to t, v, y)
    sale_index: list[tuple[Cohort, int]]
    lease_buy_out: dict[Cohort, int]  # leased cohorts the plan may buy out -> the lease's end year
    buyout_price: dict[Cohort, float]  # per vehicle bought out [currency]
    lease_payment: dict[int, float]  # all leases' payments in year y (fixed: leases cannot end early) [currency]
    # coefficients (per unit of the decision)
    purchase_price: dict[tuple[str, str, int], float]
    conversion_cost: dict[tuple[str, str, str, int], float]  # (s, from, to, y)
    fixed_om_cost: dict[tuple[Cohort, int], float]  # per vehicle in stock
    variable_om_cost_per_au: dict[tuple[str, str], float]
    energy_gj_per_au: dict[Cohort, float]
    range_effective_au: dict[Cohort, float | None]
    """Usable range per day; a cohort may take a duty band only if it reaches the band's daily
    activity (None: not range-limited). [au/day]"""
    wear_allowance_au: dict[tuple[Cohort, str], float]
    """(cohort, part) -> activity per vehicle-year before wear by use is charged. [au/a]"""
    wear_cost_per_au: dict[tuple[Cohort, str, int], float]
    """(cohort, part, y) -> cost per activity unit beyond the allowance. [currency/au]"""
    retirement_value: dict[Cohort, tuple[int, float, float]]
    """Cohorts whose life ends inside the horizon: (retirement year, value share, value per vehicle)."""
    resale_value: dict[tuple[Cohort, int], float]  # per vehicle sold at start of y
    end_value: dict[Cohort, float]  # per vehicle still in stock after the last year
    end_service_premium: dict[Cohort, float]  # economic: extra value per vehicle in service in the last year
    resale_share: dict[tuple[Cohort, int], float]  # resale value / purchase price
    end_value_share: dict[Cohort, float]  # end-of-horizon value / purchase price
    end_of_horizon: str  # the scenario's treatment of what is left (coefficients/horizon.py)
    fuel_slots: dict[tuple[str, str, int], dict[str, FuelSlot]]  # (s, t, y) -> slots
    fuel_price_per_gj: dict[tuple[str, str, int], float]  # (s, f, y)
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
    zero_emission_share_min_by_segment: dict[tuple[str, int], float] = field(default_factory=dict)
    zero_emission_purchase_share_min: dict[tuple[str | None, int], float] = field(default_factory=dict)
    """(segment, or None for all segments, y) -> least zero-emission share of the year's purchases."""
    sales_max_share: dict[int, float] = field(default_factory=dict)
    """Most vehicles disposed of in y as a share of the fleet at the start of y."""
    sales_max_counts_retirements: bool = False
    unmet_penalty_per_au: dict[str, float] = field(default_factory=dict)
    allow_unmet_demand: bool = False
    money_scale: float = 1.0
    is_baseline: Baseline = None
    supply_limit_gj: dict[tuple[str, int], float] = field(default_factory=dict)
    """Most of fuel f the fleet may buy in year y. [GJ/a]"""
    financing: FinancingCoefficients | None = None
    """Loans, ESCO contracts, battery and vehicle leases the plan may use (None: cash only)."""
    upfront_max: dict[int, float] = field(default_factory=dict)
    """Most paid up front per year (cash capex and down payments, net of grants). [currency]"""
    supply_fuels: frozenset[str] = frozenset()
    """Fuels whose use needs an energy-basis infrastructure option (hydrogen, bulk CNG)."""

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]


def prepare_inputs(scenario: Scenario, catalogue: Catalogue, *, baseline: Baseline = None,
                   terms: ScenarioTerms | None = None) -> ModelInputs:
    """Turn a checked scenario and catalogue into ModelInputs (see the module docstring).

    baseline: the rules of a baseline instead of the scenario's (schemas.plan.Baseline).
    terms: the scenario-wide coefficients when the caller prepares several models of one scenario
    and catalogue (the plan and its baselines); computed here if None."""
    if terms is None or not terms.serves(scenario, catalogue):
        terms = ScenarioTerms(scenario, catalogue)
    money = terms.money
    discount, running_discount, end_discount = terms.discount
    price_of, energy_of = terms.technology_year_values
    activity = terms.activity
    index = cohort_index(scenario, catalogue, baseline=baseline)
    conversion_cost = {(s, t_from, t_to, y): money(row, "conversion_cost") * scenario.capex_multipliers.get(t_to, 1.0)
                       for s, t_from, t_to, _v, y in index.conversion_index
                       for row in [index.conversion_rows[s, t_from, t_to]]}
    vehicles = vehicle_coefficients(catalogue, index, money, price_of, energy_of,
                                    terms.residual_share, scenario.horizon_last_year,
                                    set(scenario.demand), EndOfHorizon(scenario.end_of_horizon, scenario.discount_rate))
    wear = wear_coefficients(catalogue, terms.component_prices, index.stock_years, vehicles.original_price)
    stock_technology_years = {(s, t, y) for (s, t, _v), years in index.stock_years.items() for y in years}
    energy = energy_coefficients(scenario, catalogue, stock_technology_years, prices=terms.fuel_prices,
                                 factors=terms.emission_factors, limits=terms.supply_limits)
    infrastructure = dict(terms.infrastructure)
    purchase_price = {(s, t, y): price_of[s, t, y] for s, t, y in index.purchase_index}
    policy = policy_series(scenario, baseline=baseline)
    scope = energy.emission_t_per_gj_ttw if scenario.policy.emission_scope == "ttw" else energy.emission_t_per_gj_wtw
    types = catalogue.index.technology_type
    return ModelInputs(
        scenario=scenario, years=scenario.years, currency=scenario.currency, discount_factor=discount,
        running_discount_factor=running_discount,
        end_discount_factor=end_discount, segments=list(scenario.demand), activity_unit=activity.activity_unit,
        demand_au=activity.demand_au, vehicles_required_count=activity.vehicles_required_count,
        duty_bands=activity.duty_bands, band_demand_au=activity.band_demand_au, duties_count=activity.duties_count,
        operating_days=activity.operating_days, spare_share=activity.spare_share,
        one_duty_per_vehicle=activity.one_duty_per_vehicle,
        typical_annual_activity_au=activity.typical_annual_activity_au,
        cohorts=index.cohorts, stock_years=index.stock_years, forced_exit_year=index.forced_exit_year,
        purchase_index=index.purchase_index, conversion_index=index.conversion_index, sale_index=index.sale_index,
        lease_buy_out=index.lease_buy_out,
        buyout_price={key: index.cohorts[key]["lease"]["buyout_price"] for key in index.lease_buy_out},
        lease_payment=lease_payments(scenario, index.cohorts),
        purchase_price=purchase_price, conversion_cost=conversion_cost, fixed_om_cost=vehicles.fixed_om_cost,
        variable_om_cost_per_au=vehicles.variable_om_cost_per_au, energy_gj_per_au=vehicles.energy_gj_per_au,
        range_effective_au=vehicles.range_effective_au, wear_allowance_au=wear.allowance_au,
        wear_cost_per_au=wear.cost_per_au,
        retirement_value=vehicles.retirement_value, resale_value=vehicles.resale_value, end_value=vehicles.end_value,
        end_service_premium=vehicles.end_service_premium,
        resale_share=vehicles.resale_share, end_value_share=vehicles.end_value_share,
        end_of_horizon=scenario.end_of_horizon,
        fuel_slots=energy.fuel_slots, fuel_price_per_gj=energy.fuel_price_per_gj, emission_t_per_gj=scope,
        emission_t_per_gj_ttw=energy.emission_t_per_gj_ttw, emission_t_per_gj_wtw=energy.emission_t_per_gj_wtw,
        carbon_price_per_t=policy.carbon_price_per_t,
        zero_emission={t: bool(r["zero_emission"]) for t, r in types.items()},
        natural_gas={t: bool(r["natural_gas"]) for t, r in types.items()},
        charging_required={key: bool(row["charging_required"]) for key, row in catalogue.index.technology.items()},
        infrastructure=infrastructure, infrastructure_build_index=[(k, y) for k in infrastructure for y in scenario.years],
        subsidy_rules=[] if baseline else subsidy_rules(scenario, purchase_price, index.conversion_index,
                                                         conversion_cost, infrastructure, money.vat_rate),
        emission_cap_t=dict(policy.emission_cap_t), zero_emission_share_min=policy.zero_emission_share_min,
        capex_budget=policy.capex_budget, purchases_max_count=policy.purchases_max_count,
        sales_max_count=policy.sales_max_count,
        zero_emission_share_min_by_segment=policy.zero_emission_share_min_by_segment,
        zero_emission_purchase_share_min=policy.zero_emission_purchase_share_min,
        sales_max_share=policy.sales_max_share, sales_max_counts_retirements=policy.sales_max_counts_retirements,
        unmet_penalty_per_au=unmet_penalties(scenario, catalogue, price_of, energy_of,
                                             energy.dearest_fuel_price_per_gj),
        allow_unmet_demand=scenario.allow_unmet_demand, money_scale=money_scale(list(price_of.values())),
        is_baseline=baseline, supply_fuels=energy.supply_fuels, supply_limit_gj=energy.supply_limit_gj,
        financing=None if not scenario.financing.offers else financing_coefficients(  # baselines may borrow too
            scenario, catalogue, purchase_price,
            sorted({("conversion", s, a, b, y) for s, a, b, _v, y in index.conversion_index}),
            [("infrastructure", k, y) for k in infrastructure for y in scenario.years], discount,
            battery_values(catalogue, terms.component_prices, index.purchase_index)),
        upfront_max={} if baseline or scenario.financing.upfront_max is None else {
            y: series_value(scenario.financing.upfront_max, y, "step") for y in scenario.years},
    )


def lease_payments(scenario: Scenario, cohorts: dict[Cohort, dict]) -> dict[int, float]:
    """Yearly payments of the existing fleet's leases, horizon years before each lease ends. [currency/a]"""
    paid: dict[int, float] = {}
    for attrs in cohorts.values():
        lease = attrs.get("lease")
        if not lease:
            continue
        for y in scenario.years:
            if y < lease["end_year"]:
                paid[y] = paid.get(y, 0.0) + attrs["initial_count"] * lease["cost_per_year"]
    return paid


def requirement_keys(inputs: ModelInputs) -> dict[str, list[tuple[str, str]]]:
    """Needs each infrastructure option may serve: {k: [(segment, technology or fuel)]}."""
    return infrastructure_module.requirement_keys(
        inputs.infrastructure, {(s, t) for (s, t, _v) in inputs.stock_years}, inputs.charging_required,
        inputs.fuel_slots, inputs.supply_fuels)
