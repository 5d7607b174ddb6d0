"""Money for the model: one price basis, discounting, purchase prices by model year, residual values.

Every catalogue money value passes through Money once: CPI to the price base year in its own
currency, exchange rates of that year, and the owner's VAT position (docs/catalogues.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fleet_planner.loading.frames import records, row_tuples
from fleet_planner.loading.rules import interpolate_years

if TYPE_CHECKING:
    import pandas as pd

    from fleet_planner.loading.catalogue import Catalogue
    from fleet_planner.schemas.scenario import Scenario

Points = tuple[list[int], list[float]]


def _points(table: pd.DataFrame, value_column: str) -> Points:
    rows = table.sort_values("year")
    return rows["year"].astype(int).tolist(), rows[value_column].astype(float).tolist()


def _at(points: Points, year: int) -> float:
    """The catalogue's rule: linear between listed years, constant outside."""
    xs, ys = points
    if year <= xs[0]:
        return ys[0]
    if year >= xs[-1]:
        return ys[-1]
    for x0, y0, x1, y1 in zip(xs, ys, xs[1:], ys[1:], strict=False):
        if x0 <= year <= x1:
            return y0 + (y1 - y0) * (year - x0) / (x1 - x0)
    return ys[-1]


class Money:
    """Brings a catalogue money value to the scenario's basis, in three steps:

    1. real money of the price base year: x CPI(base year) / CPI(price year), in the value's own
       currency (fuels/cpi.csv);
    2. the scenario currency: x the exchange rates of the price base year;
    3. the owner's taxes (the region's VAT in fuels/taxes.csv): a value including VAT is used net
       of it if the owner recovers VAT; a value excluding VAT gets VAT added if the owner does not.

    money(row, column) converts row[column]; the row carries currency, price_year and tax_basis."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue) -> None:
        self.scenario = scenario
        self.base_year = scenario.price_base_year
        rates = interpolate_years(catalogue.exchange_rates, ["currency"], ["units_per_usd"], [self.base_year])
        self._per_usd = dict(zip(rates["currency"], rates["units_per_usd"], strict=True))
        self._cpi = {c: _points(group, "cpi_index") for c, group in catalogue.cpi.groupby("currency")}
        taxes = catalogue.taxes[catalogue.taxes["region"] == scenario.region]
        vat = taxes[taxes["tax"] == "vat_rate"]
        self.vat_rate = _at(_points(vat, "value"), self.base_year) if not vat.empty else 0.0
        excise = taxes[taxes["tax"] == "excise"]
        self._excise = {f: (str(group["currency"].iloc[0]), _points(group, "value"))
                        for f, group in excise.groupby("fuel")}

    def real(self, amount: float, currency: str, price_year: int) -> float:
        """amount in money of price_year -> the scenario currency, in money of the price base year."""
        cpi = self._cpi[currency]
        deflated = amount * _at(cpi, self.base_year) / _at(cpi, price_year)
        return deflated * self._per_usd[self.scenario.currency] / self._per_usd[currency]

    def tax_factor(self, tax_basis: str) -> float:
        """x this for the owner's VAT position."""
        recoverable = self.scenario.taxes.vat_recoverable
        if tax_basis == "excl_vat":
            return 1.0 if recoverable else 1.0 + self.vat_rate
        return 1.0 / (1.0 + self.vat_rate) if recoverable else 1.0

    def __call__(self, row: dict, column: str) -> float:
        amount = self.real(float(row[column]), row["currency"], int(row["price_year"]))
        return amount * self.tax_factor(row["tax_basis"])

    def diesel_excise_per_unit(self, row: dict) -> float:
        """The diesel specific tax contained in a retail price row (tax basis incl_vat_excise) of the
        fuel `diesel`, per litre, in the scenario's money; 0 otherwise. A segment's refund share of
        it is taken off the price (Ley 19.764, Ley 18.502 art. 7)."""
        if row["fuel"] != "diesel" or row["tax_basis"] != "incl_vat_excise" or "diesel" not in self._excise:
            return 0.0
        currency, points = self._excise["diesel"]
        year = int(row["price_year"])
        return self.real(_at(points, year), currency, year)


RUNNING_COST_OFFSET_YEARS = {"start": 0.0, "mid_year": 0.5, "end_of_year": 1.0}


def discount_factors(scenario: Scenario) -> tuple[dict[int, float], dict[int, float], float]:
    """(1 + r)^-(y - first) per year (payments at the start of y); the same for running costs paid
    at the scenario's running_cost_timing; and the factor of the value left at the start of last + 1."""
    first, last, rate = scenario.horizon_first_year, scenario.horizon_last_year, scenario.discount_rate
    offset = RUNNING_COST_OFFSET_YEARS[scenario.running_cost_timing]
    factors = {y: (1 + rate) ** -(y - first) for y in scenario.years}
    running = {y: (1 + rate) ** -(y - first + offset) for y in scenario.years}
    return factors, running, (1 + rate) ** -(last + 1 - first)


def technology_year_values(scenario: Scenario, catalogue: Catalogue, money: Money,
                           ) -> tuple[dict[tuple[str, str, int], float], dict[tuple[str, str, int], float]]:
    """Purchase price [scenario currency] and energy use [MJ/au] by (segment, technology, model year),
    for every model year from the oldest existing cohort to the year after the horizon."""
    fleet = scenario.fleet if isinstance(scenario.fleet, list) else []
    earliest = min([scenario.horizon_first_year, *(c.model_year for c in fleet)])
    years = range(earliest, scenario.horizon_last_year + 2)
    table = catalogue.technology_years
    factor = scenario.capex_multipliers
    priced = table.assign(purchase_price=[money(row, "purchase_price") * factor.get(row["technology"], 1.0)
                                          for row in records(table)])
    filled = interpolate_years(priced, ["segment", "technology"], ["purchase_price", "energy_mj_per_au"], years)
    price = {(r.segment, r.technology, r.year): r.purchase_price for r in row_tuples(filled)}
    energy = {(r.segment, r.technology, r.year): r.energy_mj_per_au for r in row_tuples(filled)}
    # a technology reached only by conversion (DDF): a vehicle already converted when the plan
    # starts was bought as its donor and uses the donor's energy x the conversion's multiplier
    listed = set(zip(table["segment"], table["technology"], strict=True))
    for row in records(catalogue.conversions):
        s, t_from, t_to = row["segment"], row["from_technology"], row["to_technology"]
        if (s, t_to) in listed or (s, t_from) not in listed:
            continue
        listed.add((s, t_to))
        for y in years:
            price[s, t_to, y] = price[s, t_from, y]
            energy[s, t_to, y] = energy[s, t_from, y] * float(row["energy_multiplier"])
    return price, energy


def residual_share_function(catalogue: Catalogue) -> Callable[[str, str, int], float]:
    """residual(segment, technology, age) -> share of the purchase price a vehicle is worth at that
    age: the technology's own curve where residual_values.csv has one, else the segment's '*'
    curve (linear between listed ages, constant outside them)."""
    curves: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
    for (s, t), group in catalogue.residual_values.groupby(["segment", "technology"]):
        group = group.sort_values("age_years")
        curves[s, t] = (group["age_years"].tolist(), group["residual_share"].tolist())

    def residual_share(s: str, t: str, age: int) -> float:
        ages, shares = curves.get((s, t)) or curves[s, "*"]
        if age <= ages[0]:
            return shares[0]
        if age >= ages[-1]:
            return shares[-1]
        for a0, s0, a1, s1 in zip(ages, shares, ages[1:], shares[1:], strict=False):
            if a0 <= age <= a1:
                return s0 + (s1 - s0) * (age - a0) / (a1 - a0)
        return shares[-1]

    return residual_share
