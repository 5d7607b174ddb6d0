"""The independent evaluator catches a wrong coefficient in the model's inputs.

Each case plants one error in the optimisation's coefficients (not in the catalogue, which both
read): the model then optimises with the wrong number, and the accounts, which compute their own
coefficients from the scenario and catalogue, must disagree (EvaluationMismatchError). The
baseline is solved once per scenario and reused; each plan is solved to a loose gap (the check
applies to any plan the solver returns).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from fleet_planner import pipeline
from fleet_planner.exceptions import EvaluationMismatchError
from fleet_planner.loading import load_and_check, load_scenario
from fleet_planner.optimisation.coefficients import money as money_module
from fleet_planner.optimisation.coefficients.horizon import vehicle_end_share
from fleet_planner.optimisation.coefficients.money import residual_share_function
from fleet_planner.optimisation.inputs import ModelInputs

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LOOSE = ["solver.mip_gap=0.02", "solver.time_limit_s=60"]


CHEAP_GAS = ("fuels.price_multipliers={cng: 0.6, cng_bulk: 0.6}",)
"""Makes the trucks' gas bridge worthwhile, so DDF coefficients are used by the plan."""
NO_MONEY_DOWN = ("financing.offers=[esco_cl, lease_operating_5y]", "financing.upfront_max=0")
"""Every forklift, conversion and charger paid by an ESCO contract or an operating lease."""
SCARCE_CHEAP_BIOMETHANE = ("fuels.price_multipliers={biomethane: 0.3}", "fuels.supply_gj_per_year={biomethane: 5000}")
"""Cheap biomethane the plan wants more of than the contract supplies."""


@cache
def baseline_of(name: str, overrides: tuple[str, ...] = ()):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml", overrides=[*LOOSE, *overrides])
    catalogue, _ = load_and_check(scenario)
    return scenario, catalogue, pipeline.run_baseline(scenario, catalogue)


def scale(mapping: dict, factor: float, keep: Callable[[tuple], bool] = lambda _key: True) -> None:
    for key in list(mapping):
        if keep(key):
            mapping[key] *= factor


def electricity_at_half_price(inputs: ModelInputs) -> None:
    scale(inputs.fuel_price_per_gj, 0.5, lambda key: key[1].startswith("electricity"))


def energy_in_kwh_not_gj(inputs: ModelInputs) -> None:
    """A unit slip: battery-electric energy per activity unit read in the wrong unit (x 1/3.6)."""
    scale(inputs.energy_gj_per_au, 1 / 3.6, lambda cohort: cohort[1] == "bev")


def diesel_factor_low(inputs: ModelInputs) -> None:
    for table in (inputs.emission_t_per_gj, inputs.emission_t_per_gj_ttw, inputs.emission_t_per_gj_wtw):
        scale(table, 0.9, lambda key: key[2] == "diesel")


def grid_factor_of_next_year(inputs: ModelInputs) -> None:
    """The grid factor looked up one year late (it falls every year, so the plan looks cleaner)."""
    for table in {id(t): t for t in (inputs.emission_t_per_gj, inputs.emission_t_per_gj_wtw)}.values():
        for (s, t, f, y) in sorted(table, key=lambda k: k[3]):
            if f.startswith("electricity") and (s, t, f, y + 1) in table:
                table[s, t, f, y] = table[s, t, f, y + 1]


def discounted_one_year_more(inputs: ModelInputs) -> None:
    rate = inputs.scenario.discount_rate
    scale(inputs.discount_factor, 1 / (1 + rate))


def residual_one_year_younger(inputs: ModelInputs, catalogue) -> None:
    """The model values what is left after the horizon one year younger than it is."""
    residual = residual_share_function(catalogue)
    for cohort, value in list(inputs.end_value.items()):
        s, t, v = cohort
        age, life = inputs.last_year + 1 - v, inputs.cohorts[cohort]["life_end_year"] - v

        def share(a: int, s=s, t=t, life=life) -> float:
            return vehicle_end_share(inputs.end_of_horizon, inputs.scenario.discount_rate, life, a,
                                     lambda x: residual(s, t, x))

        if share(age) > 0:
            inputs.end_value[cohort] = value * share(age - 1) / share(age)


def grant_share_too_high(inputs: ModelInputs) -> None:
    for rule in inputs.subsidy_rules:
        scale(rule["eligible"], 1.2)


def ddf_gas_share_unbounded(inputs: ModelInputs) -> None:
    """The model lets a DDF engine burn any share of gas (the catalogue caps it by duty)."""
    for key, slots in inputs.fuel_slots.items():
        if key[1] == "ddf":
            inputs.fuel_slots[key] = {name: dataclasses.replace(slot, share_min=0.0, share_max=1.0)
                                      for name, slot in slots.items()}


def ddf_gas_efficiency_loss_dropped(inputs: ModelInputs) -> None:
    """The model forgets that a GJ of gas in a DDF engine covers less than a GJ of the need."""
    for key, slots in inputs.fuel_slots.items():
        if key[1] == "ddf":
            inputs.fuel_slots[key] = {name: dataclasses.replace(slot, energy_multiplier=dict.fromkeys(slot.fuels, 1.0))
                                      for name, slot in slots.items()}


def wear_by_use_halved(inputs: ModelInputs) -> None:
    """The model charges half the wear of heavy use (three-shift forklifts wear out early)."""
    scale(inputs.wear_cost_per_au, 0.5)


def service_left_overvalued(inputs: ModelInputs) -> None:
    """The model values the service its vehicles still have to give after the horizon 30 % too high."""
    scale(inputs.end_service_premium, 1.3)


def supply_limit_dropped(inputs: ModelInputs) -> None:
    """The model forgets that biomethane is scarce."""
    inputs.supply_limit_gj.clear()


def end_value_high(inputs: ModelInputs) -> None:
    scale(inputs.end_value, 1.15)


def fixed_om_without_age(inputs: ModelInputs) -> None:
    for (cohort, y), cost in list(inputs.fixed_om_cost.items()):
        growth = 1 + 0.02 * (y - cohort[2])
        inputs.fixed_om_cost[cohort, y] = cost / growth if growth > 0 else cost


def esco_fee_halved(inputs: ModelInputs) -> None:
    """The cost of financing beyond cash (present value per unit financed) halved."""
    scale(inputs.financing.extra_cost_per_amount, 0.5)


def lease_payments_low(inputs: ModelInputs) -> None:
    scale(inputs.financing.lease_cost, 0.8)


def carbon_price_dropped(inputs: ModelInputs) -> None:
    scale(inputs.carbon_price_per_t, 0.0)


def methane_slip_dropped(inputs: ModelInputs, catalogue) -> None:
    """Slip left out of the DDF factors: x (factor - slip share x CH4 per GJ x GWP) / factor."""
    gwp = catalogue.constant("gwp100_ch4")
    for table in {id(t): t for t in (inputs.emission_t_per_gj, inputs.emission_t_per_gj_ttw,
                                     inputs.emission_t_per_gj_wtw)}.values():
        for (s, t, f, y), value in list(table.items()):
            slip = catalogue.index.technology[s, t]["methane_slip_share"]
            ch4 = catalogue.index.fuel[f]["methane_kg_per_gj"]
            if t == "ddf" and slip == slip and slip and ch4 == ch4 and ch4:
                table[s, t, f, y] = value - slip * ch4 * gwp / 1000


MUTATIONS = {
    # name: (scenario, mutation of the plan's ModelInputs[, --set overrides that make the plan use it])
    "electricity_price": ("logistics-forklifts", electricity_at_half_price),
    "energy_unit": ("logistics-forklifts", energy_in_kwh_not_gj),
    "emission_factor": ("logistics-trucks-staged", diesel_factor_low),
    "grid_factor_year": ("logistics-forklifts", grid_factor_of_next_year),
    "discounting": ("senior-bus-santiago", discounted_one_year_more),
    "residual_age": ("senior-bus-santiago", residual_one_year_younger),
    "grant_share": ("senior-bus-santiago", grant_share_too_high),
    "ddf_gas_share": ("logistics-trucks-staged", ddf_gas_share_unbounded, CHEAP_GAS),
    "ddf_gas_efficiency": ("logistics-trucks-staged", ddf_gas_efficiency_loss_dropped, CHEAP_GAS),
    "wear_by_use": ("logistics-forklifts", wear_by_use_halved),
    "supply_limit": ("logistics-trucks-staged", supply_limit_dropped, SCARCE_CHEAP_BIOMETHANE),
    "end_value": ("senior-bus-santiago", end_value_high),
    "service_left": ("logistics-trucks-staged", service_left_overvalued),
    "fixed_om_age": ("senior-bus-santiago", fixed_om_without_age),
    "carbon_price": ("logistics-forklifts", carbon_price_dropped),
    "esco_fee": ("logistics-forklifts", esco_fee_halved, NO_MONEY_DOWN),
    "lease_payment": ("logistics-forklifts", lease_payments_low, NO_MONEY_DOWN),
    "methane_slip": ("logistics-trucks-staged", methane_slip_dropped, CHEAP_GAS),
}


def plan_with(monkeypatch, name: str, mutate: Callable, overrides: tuple[str, ...] = ()) -> None:
    """Optimise a shipped scenario with a planted error in the plan's inputs (the baseline reused)."""
    scenario, catalogue, baseline = baseline_of(name, overrides)
    prepare = pipeline.prepare_inputs

    def planted(scenario_, catalogue_, *, baseline=None, terms=None) -> ModelInputs:
        inputs = prepare(scenario_, catalogue_, baseline=baseline, terms=terms)
        if not baseline:
            takes_catalogue = "catalogue" in mutate.__code__.co_varnames[:mutate.__code__.co_argcount]
            mutate(inputs, catalogue_) if takes_catalogue else mutate(inputs)
        return inputs

    monkeypatch.setattr(pipeline, "prepare_inputs", planted)
    monkeypatch.setattr(pipeline, "run_baseline", lambda *_args, **_kw: baseline)
    pipeline.optimise(scenario, catalogue=catalogue)


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_a_planted_coefficient_error_is_caught(monkeypatch, case):
    name, mutate, *overrides = MUTATIONS[case]
    with pytest.raises(EvaluationMismatchError):
        plan_with(monkeypatch, name, mutate, *overrides)


def test_a_planted_exchange_rate_error_is_caught(monkeypatch):
    """The model converts catalogue money at a wrong exchange rate (here: the forklift prices in AUD
    10 % off); the accounts convert with the rates of the price base year."""
    baseline_of("logistics-forklifts")  # solved without the error: the plan must catch it
    real = money_module.Money.real

    def wrong_rate(self, amount, currency, price_year):
        return real(self, amount, currency, price_year) * (1.1 if currency == "AUD" else 1.0)

    monkeypatch.setattr(money_module.Money, "real", wrong_rate)
    with pytest.raises(EvaluationMismatchError):
        plan_with(monkeypatch, "logistics-forklifts", lambda inputs: None)


def test_a_planted_deflator_error_is_caught(monkeypatch):
    """The model skips the CPI step (money of the price year used as base-year money)."""
    baseline_of("senior-bus-santiago")
    real = money_module.Money.real

    def no_deflation(self, amount, currency, price_year):
        return real(self, amount, currency, self.base_year)

    monkeypatch.setattr(money_module.Money, "real", no_deflation)
    with pytest.raises(EvaluationMismatchError):
        plan_with(monkeypatch, "senior-bus-santiago", lambda inputs: None)


def test_a_planted_vat_error_is_caught(monkeypatch):
    """The model forgets the owner's VAT position (every price used as listed)."""
    baseline_of("senior-bus-santiago")
    monkeypatch.setattr(money_module.Money, "tax_factor", lambda self, basis: 1.0)
    with pytest.raises(EvaluationMismatchError):
        plan_with(monkeypatch, "senior-bus-santiago", lambda inputs: None)


def test_a_planted_excise_refund_error_is_caught(monkeypatch):
    """The model forgets a freight carrier's refund of the diesel specific tax."""
    refund = ("taxes.diesel_excise_refund_share=0.25",)
    baseline_of("logistics-trucks-staged", refund)
    monkeypatch.setattr(money_module.Money, "diesel_excise_per_unit", lambda self, row: 0.0)
    with pytest.raises(EvaluationMismatchError):
        plan_with(monkeypatch, "logistics-trucks-staged", lambda inputs: None, refund)


def test_without_a_planted_error_the_plan_passes(monkeypatch):
    """The same procedure with no mutation returns a plan (so the cases above fail for the error)."""
    plan_with(monkeypatch, "senior-bus-santiago", lambda inputs: None)
    plan_with(monkeypatch, "logistics-trucks-staged", lambda inputs: None, CHEAP_GAS)


def test_mutations_are_distinct():
    assert len(MUTATIONS) + 1 >= 10
    assert len({id(case[1]) for case in MUTATIONS.values()}) == len(MUTATIONS)


def test_model_inputs_stay_a_dataclass():
    """The planted errors edit ModelInputs fields; this guards their names."""
    fields = {f.name for f in dataclasses.fields(ModelInputs)}
    assert {"fuel_price_per_gj", "energy_gj_per_au", "emission_t_per_gj", "discount_factor", "end_value",
            "subsidy_rules", "fuel_slots", "fixed_om_cost", "carbon_price_per_t"} <= fields
