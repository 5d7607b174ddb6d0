"""A second witness: the accounts of a plan recomputed from the raw files alone.

No fleet_planner code is imported here (tests/test_raw_accounts.py checks that). Inputs: the
scenario YAML, its fleet CSV, the catalogue CSVs and the plan's decisions.csv. Conventions are
re-implemented from docs/model.md: cash flows of year y are discounted by (1 + r)^-(y - first
year); a vehicle of model year v serves until v + lifetime - 1 and is then sold for its residual
value; vehicles still owned after the last year are valued by the service they have left (the
default end_of_horizon 'economic'), infrastructure likewise; leased vehicles are paid for and
never valued; use beyond a part's yearly allowance is charged as wear; catalogue values are linear between listed
years and constant outside them; money of a row's price year is brought to the price base year
with the CPI of its currency, converted with the base year's exchange rates, and put net of VAT
for an owner who recovers it (with VAT for one who does not); a segment's refund share of the
diesel specific tax comes off the diesel price. Supports the features of the scenario it is used
on (no grants: it refuses claims).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import yaml


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def linear(points: list[tuple[float, float]], x: float) -> float:
    points = sorted(points)
    if x <= points[0][0]:
        return points[0][1]
    if x >= points[-1][0]:
        return points[-1][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise AssertionError("unreachable")


class Raw:
    """The scenario and the catalogue, read as plain rows."""

    def __init__(self, scenario_file: Path) -> None:
        self.scenario = yaml.safe_load(scenario_file.read_text(encoding="utf-8"))
        base = scenario_file.parent
        self.vehicles = base / self.scenario.get("vehicles_catalogue", "../vehicles")
        self.fuels_dir = base / self.scenario.get("fuels_catalogue", "../fuels")
        self.fleet = read_csv(base / self.scenario["fleet"])
        self.first = int(self.scenario["horizon_first_year"])
        self.last = int(self.scenario["horizon_last_year"])
        self.rate = float(self.scenario["discount_rate"])
        self.technologies = {(r["segment"], r["technology"]): r for r in read_csv(self.vehicles / "technologies.csv")}
        self.years_table = read_csv(self.vehicles / "technology_years.csv")
        self.residuals = read_csv(self.vehicles / "residual_values.csv")
        self.segments = {r["segment"]: r for r in read_csv(self.vehicles / "segments.csv")}
        self.infrastructure = {r["infrastructure"]: r for r in read_csv(self.vehicles / "infrastructure.csv")}
        self.fuels = {r["fuel"]: r for r in read_csv(self.fuels_dir / "fuels.csv")}
        self.prices = read_csv(self.fuels_dir / "prices.csv")
        self.factors = read_csv(self.fuels_dir / "emission_factors.csv")
        self.rates = read_csv(self.fuels_dir / "exchange_rates.csv")
        self.cpi = read_csv(self.fuels_dir / "cpi.csv")
        self.taxes = [r for r in read_csv(self.fuels_dir / "taxes.csv")
                      if r["region"] == self.scenario.get("region", "santiago")]
        self.gwp_ch4 = float(next(r["value"] for r in read_csv(self.fuels_dir / "constants.csv")
                                  if r["constant"] == "gwp100_ch4"))

    def discount(self, year: int) -> float:
        return (1 + self.rate) ** -(year - self.first)

    def running(self, year: int) -> float:
        """Running costs are paid mid-year unless the scenario says start or end_of_year."""
        offset = {"start": 0, "mid_year": 0.5, "end_of_year": 1}[self.scenario.get("running_cost_timing", "mid_year")]
        return (1 + self.rate) ** -(year - self.first + offset)

    def real(self, amount: float, currency: str, price_year: int) -> float:
        """Money of price_year -> money of the price base year, in the scenario currency."""
        base = int(self.scenario["price_base_year"])
        index = [(int(r["year"]), float(r["cpi_index"])) for r in self.cpi if r["currency"] == currency]
        deflated = amount * linear(index, base) / linear(index, price_year)

        def per_usd(code: str) -> float:
            return linear([(int(r["year"]), float(r["units_per_usd"])) for r in self.rates if r["currency"] == code],
                          base)

        return deflated * per_usd(self.scenario["currency"]) / per_usd(currency)

    def money(self, row: dict, column: str) -> float:
        amount = self.real(float(row[column]), row["currency"], int(row["price_year"]))
        vat = next((float(r["value"]) for r in self.taxes if r["tax"] == "vat_rate"), 0.0)
        recoverable = self.scenario.get("taxes", {}).get("vat_recoverable", True)
        if row["tax_basis"] == "excl_vat":
            return amount if recoverable else amount * (1 + vat)
        return amount / (1 + vat) if recoverable else amount

    def refund(self, row: dict, segment: str) -> float:
        share = self.scenario.get("taxes", {}).get("diesel_excise_refund_share", 0.0)
        share = share.get(segment, 0.0) if isinstance(share, dict) else share
        excise = [r for r in self.taxes if r["tax"] == "excise" and r["fuel"] == "diesel"]
        if not share or row["fuel"] != "diesel" or row["tax_basis"] != "incl_vat_excise" or not excise:
            return 0.0
        year = int(row["price_year"])
        per_litre = linear([(int(r["year"]), float(r["value"])) for r in excise], year)
        return share * self.real(per_litre, excise[0]["currency"], year)

    def price(self, s: str, t: str, v: int) -> float:
        rows = [r for r in self.years_table if (r["segment"], r["technology"]) == (s, t)]
        return linear([(int(r["year"]), self.money(r, "purchase_price")) for r in rows], v)

    def residual(self, s: str, t: str, age: int) -> float:
        rows = [r for r in self.residuals if r["segment"] == s and r["technology"] == t] or \
               [r for r in self.residuals if r["segment"] == s and r["technology"] == "*"]
        return linear([(int(r["age_years"]), float(r["residual_share"])) for r in rows], age)

    def left_share(self, life: int, age: int, resale) -> float:
        """Value after the horizon (default 'economic'): the service still to give, as the ratio of
        the present value of a year's cost over the years left to that over the whole life."""
        mode = self.scenario.get("end_of_horizon", "economic")
        if mode == "none":
            return 0.0
        left = life - age
        if mode != "economic" or left <= 0:
            return resale(age)
        pv = [sum((1 + self.rate) ** -j for j in range(1, n + 1)) for n in (left, life)]
        end = resale(life)
        return (1 - end * (1 + self.rate) ** -life) * pv[0] / pv[1] + end * (1 + self.rate) ** -left

    def fuel_price_per_gj(self, s: str, f: str, y: int) -> float:
        rows = [r for r in self.prices if r["fuel"] == f and r["region"] == self.scenario.get("region", "santiago")]
        per_unit = linear([(int(r["year"]), self.money(r, "price_per_unit") - self.refund(r, s)) for r in rows], y)
        multiplier = float(self.scenario.get("fuels", {}).get("price_multipliers", {}).get(f, 1.0))
        return per_unit / float(self.fuels[f]["lhv_mj_per_unit"]) * 1000 * multiplier

    def factor_t_per_gj(self, s: str, t: str, f: str, y: int, scope: str) -> float:
        application = self.segments[s]["emission_application"]
        rows = [r for r in self.factors if r["fuel"] == f and r["application"] == application] or \
               [r for r in self.factors if r["fuel"] == f and r["application"] == "all"]
        kg = linear([(int(r["year"]), float(r[f"{scope}_kgco2e_per_gj"])) for r in rows], y)
        if scope == "wtw" and self.fuels[f]["delivery_losses_share"]:
            kg /= 1 - float(self.fuels[f]["delivery_losses_share"])
        slip, ch4 = self.technologies[s, t]["methane_slip_share"], self.fuels[f]["methane_kg_per_gj"]
        if slip and ch4:
            kg += float(slip) * float(ch4) * self.gwp_ch4
        return kg / 1000

    def carbon_price(self, y: int) -> float:
        series = self.scenario.get("carbon_price") or 0
        if isinstance(series, dict):
            return linear([(int(k), float(v)) for k, v in series.items()], y)
        return float(series)


def raw_accounts(scenario_file: Path, decisions_file: Path) -> tuple[float, dict[int, float]]:
    """(NPV of total cost, emissions in the policy scope by year) of a plan."""
    raw = Raw(scenario_file)
    rows = read_csv(decisions_file)
    assert not [r for r in rows if r["kind"] == "subsidy_claim"], "this witness has no grants"
    years = range(raw.first, raw.last + 1)
    npv = 0.0
    # cohorts: (s, t, v) -> life end, origin price (converted cohorts keep their donor's price)
    cohorts: dict[tuple, dict] = {}
    for r in raw.fleet:
        s, t, v = r["segment"], r["technology"], int(r["model_year"])
        life = int(raw.technologies[s, t]["lifetime_years"])
        cohorts[s, t, v] = {"end": max(v + life, raw.first + 1), "price": raw.price(s, t, v), "opening": int(r["count"]),
                            "leased": bool(r.get("lease_end_year"))}
        if r.get("lease_end_year"):  # returned to the lessor at the lease's end; paid until then
            assert r.get("lease_end") in ("", None, "return"), "this witness has no lease buy-outs"
            end = int(r["lease_end_year"])
            cohorts[s, t, v]["end"] = end
            npv += sum(int(r["count"]) * float(r["lease_cost_per_year"]) * raw.running(y)
                       for y in range(raw.first, min(end, raw.last + 1)))
    flows: dict[tuple, float] = defaultdict(float)  # (cohort, year) -> net change from decisions
    for r in rows:
        y, n = int(r["year"]), float(r["value"])
        if r["kind"] == "purchase":
            s, t = r["segment"], r["technology"]
            cohorts.setdefault((s, t, y), {"end": y + int(raw.technologies[s, t]["lifetime_years"]),
                                           "price": raw.price(s, t, y), "opening": 0, "leased": False})
            flows[(s, t, y), y] += n
            npv += raw.price(s, t, y) * n * raw.discount(y)
        elif r["kind"] == "sale":
            cohort = (r["segment"], r["technology"], int(r["model_year"]))
            flows[cohort, y] -= n
            npv -= raw.residual(cohort[0], cohort[1], y - cohort[2]) * cohorts[cohort]["price"] * n * raw.discount(y)
        elif r["kind"] == "conversion":
            raise AssertionError("this witness has no conversions")
    stock_last: dict[tuple, float] = {}
    stock: dict[tuple, float] = {}
    for cohort, info in cohorts.items():
        s, t, v = cohort
        count = float(info["opening"])
        tech = raw.technologies[s, t]
        for y in years:
            if y >= info["end"]:
                break
            count += flows.get((cohort, y), 0.0)
            stock[cohort, y] = count
            growth = 1 + float(tech["fixed_om_age_growth_share"]) * (y - v)
            by_price = sum(float(tech.get(k) or 0.0) for k in ("insurance_share_per_year", "maintenance_share_per_year"))
            assert not read_csv(raw.vehicles / "age_factors.csv"), "this witness has no age factors"
            npv += (raw.money(tech, "fixed_om_cost_per_year") * growth + by_price * info["price"]) * count * raw.running(y)
            if y == info["end"] - 1 and y < raw.last and count and not info["leased"]:
                npv -= raw.residual(s, t, info["end"] - v) * info["price"] * count * raw.discount(info["end"])
            if y == raw.last and not info["leased"]:
                stock_last[cohort] = count
    at_work: dict[tuple, float] = defaultdict(float)  # vehicles at work on an average day, last year
    for r in rows:
        if r["kind"] == "activity" and int(r["year"]) == raw.last:
            seg = r["segment"]
            days = (raw.scenario["demand"][seg].get("operating_days_per_year")
                    or float(raw.segments[seg]["operating_days_per_year"]))
            spare = float(raw.scenario["demand"][seg].get("spare_share", 0.0))
            at_work[seg, r["technology"], int(r["model_year"])] += \
                float(r["value"]) / (float(r["daily_activity_au"]) * float(days)) * (1 + spare)
    for (s, t, v), count in stock_last.items():
        resale = raw.residual(s, t, raw.last + 1 - v)
        share = raw.left_share(cohorts[s, t, v]["end"] - v, raw.last + 1 - v, lambda a, s=s, t=t: raw.residual(s, t, a))
        if raw.scenario.get("end_of_horizon", "economic") == "economic":  # idle vehicles: resale value only
            in_service = min(count, at_work[s, t, v])
            value = resale * count + max(0.0, share - resale) * in_service
        else:
            value = share * count
        npv -= value * cohorts[s, t, v]["price"] * raw.discount(raw.last + 1)
    scope = raw.scenario.get("policy", {}).get("emission_scope", "ttw")
    emissions: dict[int, float] = defaultdict(float)
    used: dict[tuple, float] = defaultdict(float)
    for r in rows:
        y, value = int(r["year"]), float(r["value"])
        if r["kind"] == "activity":
            tech = raw.technologies[r["segment"], r["technology"]]
            npv += raw.money(tech, "variable_om_cost_per_au") * value * raw.running(y)
            used[(r["segment"], r["technology"], int(r["model_year"])), y] += value
        elif r["kind"] == "fuel":
            s, t, f = r["segment"], r["technology"], r["fuel"]
            emitted = value * raw.factor_t_per_gj(s, t, f, y, scope)
            emissions[y] += emitted
            npv += (value * raw.fuel_price_per_gj(s, f, y) + emitted * raw.carbon_price(y)) * raw.running(y)
    npv += _infrastructure(raw, rows)
    npv += _wear(raw, used, stock, cohorts)
    return npv, dict(emissions)


def _wear(raw: Raw, used: dict, stock: dict, cohorts: dict) -> float:
    """Use beyond life_au / lifetime_years per vehicle: the chassis at its price / lifetime_au, a
    component at units x that year's replacement price / its life_au."""
    components = read_csv(raw.vehicles / "components.csv")
    prices = read_csv(raw.vehicles / "component_prices.csv")
    npv = 0.0
    for (cohort, y), amount in used.items():
        s, t, _v = cohort
        tech = raw.technologies[s, t]
        parts = [(float(tech["lifetime_au"]), cohorts[cohort]["price"])] if tech.get("lifetime_au") else []
        for c in components:
            if (c["segment"], c["technology"]) == (s, t):
                rows = [r for r in prices if r["component"] == c["component"]]
                price = linear([(int(r["year"]), raw.money(r, "price_per_unit")) for r in rows], y)
                parts.append((float(c["life_au"]), float(c["units_per_vehicle"]) * price))
        for life_au, price in parts:
            allowance = life_au / int(tech["lifetime_years"]) * stock[cohort, y]
            npv += max(0.0, amount - allowance) * price / life_au * raw.running(y)
    return npv


def _infrastructure(raw: Raw, rows: list[dict]) -> float:
    """Capex of builds, fixed O&M of the units in place, minus the unused share left after the horizon."""
    builds = defaultdict(float)
    for r in rows:
        if r["kind"] == "infrastructure_build":
            builds[r["infrastructure"], int(r["year"])] += float(r["value"])
    existing = raw.scenario.get("infrastructure", {}).get("existing_units", {})
    allowed = raw.scenario.get("infrastructure", {}).get("options")
    npv = 0.0
    for k, option in raw.infrastructure.items():
        if allowed is not None and k not in allowed:
            continue
        capex = raw.money(option, "capex_cost_per_unit")
        fixed = raw.money(option, "fixed_om_cost_per_unit_year")
        life = int(option["lifetime_years"])
        for y in range(raw.first, raw.last + 1):
            count, built_in = existing.get(k, 0), raw.first - 1  # a bare count: built the year before the horizon
            if isinstance(count, dict):
                count, built_in = count["count"], count["build_year"]
            in_place = count if y - built_in < life else 0
            units = in_place + sum(n for (kk, b), n in builds.items() if kk == k and b <= y < b + life)
            built = builds.get((k, y), 0.0)
            npv += built * capex * raw.discount(y) + units * fixed * raw.running(y)
            left = life - (raw.last + 1 - y)
            if raw.scenario.get("end_of_horizon", "economic") == "economic":
                unused = raw.left_share(life, raw.last + 1 - y, lambda _a: 0.0) if left > 0 else 0.0
            else:
                unused = max(0.0, left / life)
            npv -= built * unused * capex * raw.discount(raw.last + 1)
    return npv
