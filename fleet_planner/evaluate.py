"""The independent evaluator: recompute stock, energy, emissions and costs from decisions alone.

Plain pandas and Python, no solver. It is used three ways:
(a) every optimal plan is re-checked against the MILP (NPV and yearly emissions within 1e-6);
(b) the baseline is accounted with exactly the same code;
(c) a user's own plan (decisions.csv) is evaluated and every broken rule listed, year by year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from fleet_planner.optimisation.build.infrastructure import infrastructure_end_share
from fleet_planner.optimisation.inputs import ModelInputs, requirement_keys
from fleet_planner.schemas.plan import ROUND_CONTINUOUS, Decisions

TOLERANCE = 1e-6  # relative tolerance of the rule checks
COST_CATEGORIES = ["capex", "subsidy", "conversion", "infrastructure", "fixed_om", "variable_om", "energy",
                   "carbon", "resale", "residual_value", "unmet_penalty"]


@dataclass(frozen=True)
class Violation:
    rule: str
    year: int | None
    where: str
    message: str

    def __str__(self) -> str:
        year = f"{self.year} " if self.year is not None else ""
        return f"{year}{self.rule} [{self.where}]: {self.message}"


@dataclass
class Evaluation:
    """Accounts of one plan: tables with unit-suffixed columns, NPV, violations."""

    tables: dict[str, pd.DataFrame]
    npv_cost: float
    violations: list[Violation] = field(default_factory=list)

    @property
    def emissions_by_year(self) -> dict[int, float]:
        table = self.tables["emissions"]
        return dict(zip(table["year"], table["emissions_tco2e"], strict=True))


def _near(value: float, limit: float) -> float:
    return TOLERANCE * max(1.0, abs(limit), abs(value))


def evaluate_decisions(inputs: ModelInputs, decisions: Decisions) -> Evaluation:
    """Recompute every account of a plan and check every rule of the scenario."""
    v: list[Violation] = []
    years = inputs.years
    first, last = inputs.first_year, inputs.last_year
    d = inputs.discount_factor
    ledger: list[tuple] = []  # (year, segment, technology, category, cost, discount factor)
    existing_asset_rows: set[int] = set()  # value of vehicles the plan did not buy (their capex is sunk)

    # ---------- fleet decisions -> stock
    purchases = defaultdict(float)
    for r in decisions.purchases.itertuples():
        key = (r.segment, r.technology, int(r.year))
        if key not in inputs.purchase_price:
            v.append(Violation("purchase_not_allowed", int(r.year), f"{r.segment}/{r.technology}",
                               f"{r.count:g} bought, but the technology may not be bought then "
                               "(availability, purchase window, gas end or fuel availability); ignored in the accounts"))
            continue
        purchases[key] += r.count
        _check_integer(v, "purchase", int(r.year), f"{r.segment}/{r.technology}", r.count)
        ledger.append((key[2], r.segment, r.technology, "capex", inputs.purchase_price[key] * r.count, d[key[2]]))
    allowed_conversions = set(inputs.conversion_index)
    conv_in, conv_out = defaultdict(float), defaultdict(float)
    for r in decisions.conversions.itertuples():
        key = (r.segment, r.technology, r.to_technology, int(r.model_year), int(r.year))
        if key not in allowed_conversions:
            v.append(Violation("conversion_not_allowed", key[4], f"{r.segment}/{r.technology}->{r.to_technology}/{key[3]}",
                               f"{r.count:g} converted, but this conversion is not allowed then (age, window, lease "
                               "or policy); ignored in the accounts"))
            continue
        _check_integer(v, "conversion", key[4], f"{r.segment}/{r.technology}/{key[3]}", r.count)
        conv_out[(r.segment, r.technology, key[3]), key[4]] += r.count
        conv_in[(r.segment, r.to_technology, key[3]), key[4]] += r.count
        ledger.append((key[4], r.segment, r.to_technology, "conversion",
                       inputs.conversion_cost[r.segment, r.technology, r.to_technology, key[4]] * r.count, d[key[4]]))
    sales = defaultdict(float)
    allowed_sales = set(inputs.sale_index)
    for r in decisions.sales.itertuples():
        cohort = (r.segment, r.technology, int(r.model_year))
        if (cohort, int(r.year)) not in allowed_sales:
            v.append(Violation("sale_not_allowed", int(r.year), f"{r.segment}/{r.technology}/{cohort[2]}",
                               f"{r.count:g} sold, but this cohort may not be sold then (locked, not yet bought, or "
                               "sales not allowed); ignored in the accounts"))
            continue
        _check_integer(v, "sale", int(r.year), f"{r.segment}/{r.technology}/{cohort[2]}", r.count)
        sales[cohort, int(r.year)] += r.count
        if inputs.cohorts[cohort]["origin"] == "existing":
            existing_asset_rows.add(len(ledger))
        ledger.append((int(r.year), r.segment, r.technology, "resale",
                       -inputs.resale_value[cohort, int(r.year)] * r.count, d[int(r.year)]))

    stock: dict[tuple, float] = {}
    for cohort, attrs in inputs.cohorts.items():
        s, t, vintage = cohort
        count = 0.0
        for y in years:
            if y == first and attrs["origin"] == "existing":
                count = float(attrs["initial_count"])
            if y >= attrs["life_end_year"]:
                break
            if attrs["origin"] == "new" and y == vintage:
                count += purchases.get((s, t, y), 0.0)
            count += conv_in.get((cohort, y), 0.0) - conv_out.get((cohort, y), 0.0) - sales.get((cohort, y), 0.0)
            if count < -_near(count, 0):
                v.append(Violation("stock_negative", y, f"{s}/{t}/{vintage}",
                                   f"{-count:g} more vehicles sold or converted than the cohort has"))
            if abs(count) > 1e-9 and y not in inputs.stock_years[cohort]:
                v.append(Violation("gas_end", y, f"{s}/{t}/{vintage}",
                                   f"{count:g} natural-gas vehicles still in the fleet from gas_end_year "
                                   f"{inputs.scenario.policy.gas_end_year}; sell or convert them"))
            if abs(count) > 1e-9:
                stock[cohort, y] = count
    for cohort, (year, _share, value) in inputs.retirement_value.items():
        count = stock.get((cohort, year - 1), 0.0)
        if count:
            if inputs.cohorts[cohort]["origin"] != "new":
                existing_asset_rows.add(len(ledger))
            ledger.append((year, cohort[0], cohort[1], "resale", -value * count, d[year]))
    for (cohort, y), count in stock.items():
        ledger.append((y, cohort[0], cohort[1], "fixed_om", inputs.fixed_om_cost.get((cohort, y), 0.0) * count, d[y]))
        if y == last:
            if inputs.cohorts[cohort]["origin"] != "new":
                existing_asset_rows.add(len(ledger))
            ledger.append((y, cohort[0], cohort[1], "residual_value", -inputs.end_value.get(cohort, 0.0) * count,
                           inputs.end_discount_factor))

    # ---------- activity and demand
    activity: dict[tuple, float] = defaultdict(float)
    for r in decisions.activity.itertuples():
        activity[(r.segment, r.technology, int(r.model_year)), int(r.year)] += r.activity_au
    by_segment_year = defaultdict(float)
    for (cohort, y), act in activity.items():
        s, t, _vintage = cohort
        by_segment_year[s, y] += act
        count = stock.get((cohort, y), 0.0)
        cap = inputs.activity_cap_au.get(cohort, inputs.max_annual_activity_au[s])
        limit = cap * count
        if act > limit + _near(act, limit):
            v.append(Violation("activity_limit", y, f"{s}/{t}/{cohort[2]}",
                               f"activity {act:,.0f} {inputs.activity_unit[s]} exceeds {count:g} vehicles x "
                               f"{cap:,.0f} per vehicle"))
        ledger.append((y, s, t, "variable_om", inputs.variable_om_cost_per_au[s, t] * act, d[y]))
    unmet_a = {(r.segment, int(r.year)): r.activity_au for r in decisions.unmet_activity.itertuples()}
    unmet_v = {(r.segment, int(r.year)): r.count for r in decisions.unmet_vehicles.itertuples()}
    for (s, y), amount in unmet_a.items():
        ledger.append((y, s, "", "unmet_penalty", inputs.unmet_penalty_per_au[s] * amount, d[y]))
    for (s, y), amount in unmet_v.items():
        ledger.append((y, s, "", "unmet_penalty",
                       inputs.unmet_penalty_per_au[s] * inputs.max_annual_activity_au[s] * amount, d[y]))
    # one pass to group stock and activity by segment-year (the checks below would otherwise
    # rescan every cohort for every segment, year and duty band)
    stock_by_segment_year: dict[tuple[str, int], float] = defaultdict(float)
    for (cohort, y), count in stock.items():
        stock_by_segment_year[cohort[0], y] += count
    activity_by_range: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
    for (cohort, y), act in activity.items():
        if inputs.range_effective_au.get(cohort) is not None:
            activity_by_range[cohort[0], y].append((inputs.range_effective_au[cohort], act))
    for s in inputs.segments:
        for y in years:
            demand = inputs.demand_au[s, y]
            served = by_segment_year.get((s, y), 0.0) + unmet_a.get((s, y), 0.0)
            if served < demand - _near(served, demand):
                v.append(Violation("demand", y, s, f"activity {served:,.0f} is below demand {demand:,.0f} "
                                                   f"{inputs.activity_unit[s]} (short by {demand - served:,.0f})"))
            required = inputs.vehicles_required_count.get((s, y))
            if required:
                vehicles = stock_by_segment_year.get((s, y), 0.0) + unmet_v.get((s, y), 0.0)
                if vehicles < required - _near(vehicles, required):
                    v.append(Violation("service", y, s, f"{vehicles:g} vehicles, {required:g} required incl. spares"))
            shorter = 0.0
            for daily, share in inputs.duty_bands[s]:
                limited = sum(act for reach, act in activity_by_range.get((s, y), []) if reach < daily)
                if limited > demand * shorter + _near(limited, demand * shorter):
                    v.append(Violation("duty_range", y, s,
                                       f"vehicles whose range is below {daily:g} {inputs.activity_unit[s]}/day do "
                                       f"{limited:,.0f}, more than the {shorter:.0%} of demand they can serve"))
                shorter += share

    # ---------- energy, fuel, emissions
    required_gj = defaultdict(float)
    for (cohort, y), act in activity.items():
        required_gj[cohort[0], cohort[1], y] += act * inputs.energy_gj_per_au.get(cohort, 0.0)
    fuel_by_slot = defaultdict(float)
    energy_rows = []
    emissions = defaultdict(lambda: [0.0, 0.0, 0.0])  # y -> ttw, wtw, scope
    for r in decisions.fuel_use.itertuples():
        s, t, y, f, gj = r.segment, r.technology, int(r.year), r.fuel, r.energy_gj
        slots = inputs.fuel_slots.get((s, t, y), {})
        slot = next((name for name, (_share, fuels) in slots.items() if f in fuels), None)
        if slot is None:
            v.append(Violation("fuel_not_allowed", y, f"{s}/{t}/{f}", f"{gj:,.1f} GJ of {f}, which {t} cannot use in "
                                                                      f"{y}; ignored in the accounts"))
            continue
        fuel_by_slot[s, t, y, slot] += gj
        price = inputs.fuel_price_per_gj[f, y]
        ttw = gj * inputs.emission_t_per_gj_ttw[s, t, f, y]
        wtw = gj * inputs.emission_t_per_gj_wtw[s, t, f, y]
        scope = gj * inputs.emission_t_per_gj[s, t, f, y]
        emissions[y][0] += ttw
        emissions[y][1] += wtw
        emissions[y][2] += scope
        ledger.append((y, s, t, "energy", price * gj, d[y]))
        ledger.append((y, s, t, "carbon", inputs.carbon_price_per_t[y] * scope, d[y]))
        energy_rows.append((y, s, t, f, gj, price * gj, ttw, wtw))
    for (s, t, y), slots in inputs.fuel_slots.items():
        need = required_gj.get((s, t, y), 0.0)
        for slot, (share, _fuels) in slots.items():
            got = fuel_by_slot.get((s, t, y, slot), 0.0)
            if abs(got - share * need) > _near(got, share * need) * 10:
                v.append(Violation("energy_balance", y, f"{s}/{t}/{slot}",
                                   f"fuel {got:,.1f} GJ does not match the activity's need {share * need:,.1f} GJ"))
    for y, cap in inputs.emission_cap_t.items():
        scope = emissions[y][2]
        if scope > cap + _near(scope, cap):
            v.append(Violation("emission_cap", y, "fleet", f"emissions {scope:,.1f} tCO2e exceed the cap "
                                                          f"{cap:,.1f} tCO2e by {scope - cap:,.1f}"))

    # ---------- policy rules on stock and spending
    ze_stock_by_year: dict[int, float] = defaultdict(float)
    for (cohort, y), count in stock.items():
        if inputs.zero_emission[cohort[1]]:
            ze_stock_by_year[y] += count
    for y, share in inputs.zero_emission_share_min.items():
        total = sum(stock_by_segment_year.get((seg, y), 0.0) for seg in inputs.segments)
        ze = ze_stock_by_year.get(y, 0.0)
        if ze < share * total - _near(ze, share * total):
            v.append(Violation("zero_emission_share", y, "fleet", f"{ze:g} of {total:g} vehicles are zero-emission "
                                                                  f"({ze / max(total, 1):.1%}), below {share:.0%}"))
    builds = {(r.infrastructure, int(r.year)): r.count for r in decisions.infrastructure_builds.itertuples()}
    infra_rows = _infrastructure_accounts(inputs, builds, stock, decisions, ledger, v)
    claims = _subsidy_accounts(inputs, decisions, purchases, conv_out, builds, ledger, v)
    capex_by_year = defaultdict(float)
    for (s, t, y), n in purchases.items():
        capex_by_year[y] += inputs.purchase_price[s, t, y] * n
    for r in decisions.conversions.itertuples():
        key = (r.segment, r.technology, r.to_technology, int(r.year))
        if key in inputs.conversion_cost:
            capex_by_year[int(r.year)] += inputs.conversion_cost[key] * r.count
    for (k, y), n in builds.items():
        if k in inputs.infrastructure:
            capex_by_year[y] += inputs.infrastructure[k].capex_cost_per_unit * n
    for (_rule, y), amount in claims.items():
        capex_by_year[y] -= amount
    for y, budget in inputs.capex_budget.items():
        if budget is not None and capex_by_year[y] > budget + _near(capex_by_year[y], budget):
            v.append(Violation("capex_budget", y, "fleet", f"capital spending {capex_by_year[y]:,.0f} "
                                                           f"{inputs.currency} exceeds the budget {budget:,.0f}"))
    for rule, limits, counts in (("purchases_max", inputs.purchases_max_count, purchases),
                                 ("sales_max", inputs.sales_max_count, sales)):
        per_year = defaultdict(float)
        for key, n in counts.items():
            per_year[key[-1]] += n
        for y, limit in limits.items():
            if limit is not None and per_year[y] > limit + _near(per_year[y], limit):
                v.append(Violation(rule, y, "fleet", f"{per_year[y]:g} vehicles, limit {limit:g}"))

    tables = _tables(inputs, decisions, purchases, sales, stock, activity, energy_rows, emissions, ledger,
                     infra_rows, claims, capex_by_year, existing_asset_rows)
    npv = float(tables["costs"]["discounted_cost"].sum())
    return Evaluation(tables=tables, npv_cost=npv, violations=v)


def _check_integer(v: list[Violation], what: str, year: int, where: str, count: float) -> None:
    if abs(count - round(count)) > 1e-6:
        v.append(Violation("integer", year, where, f"{what} count {count:g} is not a whole number"))


def _infrastructure_accounts(inputs, builds, stock, decisions, ledger, v) -> list[tuple]:
    """Units in place, capacity checks, and infrastructure costs attributed to what they serve."""
    keys_of = requirement_keys(inputs)
    need = defaultdict(float)
    for (cohort, y), count in stock.items():
        if inputs.charging_required.get(cohort[:2]):
            need["vehicles", cohort[0], cohort[1], y] += count
    for r in decisions.fuel_use.itertuples():
        if r.fuel in inputs.supply_fuels:
            need["energy", r.segment, r.fuel, int(r.year)] += r.energy_gj
    rows = []
    capacity_of_key = defaultdict(float)
    d = inputs.discount_factor
    for k, option in inputs.infrastructure.items():
        served = keys_of.get(k, [])
        for y in inputs.years:
            built = builds.get((k, y), 0.0)
            units = option.existing_units + sum(builds.get((k, b), 0.0) for b in inputs.years
                                                if b <= y < b + option.lifetime_years)
            if built and not served:
                v.append(Violation("infrastructure_unused", y, k, f"{built:g} units built but nothing in the plan "
                                                                  "can use this option"))
            for key in served:
                capacity_of_key[(option.basis, *key, y)] += units * option.capacity_per_unit
            serving_need = [(key, need.get((option.basis, *key, y), 0.0)) for key in served]
            total_need = sum(n for _k, n in serving_need)
            cost = built * option.capex_cost_per_unit + units * option.fixed_om_cost_per_unit_year
            residual = -built * infrastructure_end_share(option.lifetime_years, y, inputs.last_year) \
                * option.capex_cost_per_unit
            for (s, item), n in serving_need if total_need > 0 else [((served[0] if served else ("", "")), 0.0)]:
                share = n / total_need if total_need > 0 else 1.0
                technology = item if option.basis == "vehicles" else _technology_of_fuel(inputs, s, item)
                if cost:
                    ledger.append((y, s, technology, "infrastructure", cost * share, d[y]))
                if residual:
                    ledger.append((inputs.last_year, s, technology, "residual_value", residual * share,
                                   inputs.end_discount_factor))
            rows.append((y, k, built, units, units * option.capacity_per_unit, option.basis))
    for key, amount in need.items():
        capacity = capacity_of_key.get(key, 0.0)
        if amount > capacity + _near(amount, capacity):
            basis, s, item, y = key
            unit = "vehicles" if basis == "vehicles" else "GJ"
            v.append(Violation("infrastructure_capacity", y, f"{s}/{item}",
                               f"needs {amount:,.1f} {unit} of capacity, {capacity:,.1f} available"))
    return rows


def _technology_of_fuel(inputs: ModelInputs, s: str, f: str) -> str:
    for (seg, t, _y), slots in inputs.fuel_slots.items():
        if seg == s and any(f in fuels for _sh, fuels in slots.values()):
            return t
    return ""


def _subsidy_accounts(inputs, decisions, purchases, conv_out, builds, ledger, v) -> dict[tuple[str, int], float]:
    """Each claim within its decision's eligible amount and the rule's total cap. The claim is
    income in its year; the claimed asset's final value falls by the same share of the claim."""
    from fleet_planner.optimisation.build.subsidies import subsidy_value_share

    conversions = defaultdict(float)
    for r in decisions.conversions.itertuples():
        conversions[r.segment, r.technology, r.to_technology, int(r.year)] += r.count
    count_of = {"purchase": purchases, "conversion": conversions, "infrastructure": builds}
    rules = {rule["name"]: rule for rule in inputs.subsidy_rules}
    d = inputs.discount_factor
    totals: dict[str, float] = defaultdict(float)
    by_rule_year: dict[tuple[str, int], float] = defaultdict(float)
    for claim in decisions.subsidy_claims.itertuples():
        key = claim_key(claim)
        rule = rules.get(claim.rule)
        where = f"{claim.rule}/{'/'.join(str(k) for k in key[1:])}"
        if rule is None or key not in rule["eligible"]:
            v.append(Violation("subsidy_eligible", key[-1], where, f"claims {claim.amount_cost:,.0f} for a decision "
                                                                   "the rule does not cover; ignored in the accounts"))
            continue
        eligible = rule["eligible"][key] * count_of[key[0]].get(tuple(key[1:]), 0.0)
        if claim.amount_cost > eligible + _near(claim.amount_cost, eligible):
            v.append(Violation("subsidy_eligible", key[-1], where, f"claims {claim.amount_cost:,.0f} but only "
                                                                  f"{eligible:,.0f} {inputs.currency} is eligible"))
        year = key[-1]
        segment, technology = _claim_owner(key)
        ledger.append((year, segment, technology, "subsidy", -claim.amount_cost, d[year]))
        valued = subsidy_value_share(inputs, key)
        if valued is not None:
            when, share = valued
            factor = inputs.end_discount_factor if when > inputs.last_year else d[when]
            category = "residual_value" if when > inputs.last_year else "resale"
            ledger.append((min(when, inputs.last_year), segment, technology, category, share * claim.amount_cost,
                           factor))
        totals[claim.rule] += claim.amount_cost
        by_rule_year[claim.rule, year] += claim.amount_cost
    for name, total in totals.items():
        cap = rules[name]["max_total"] if name in rules else None
        if cap is not None and total > cap + _near(total, cap):
            v.append(Violation("subsidy_cap", None, name, f"claims {total:,.0f} over the horizon, cap "
                                                          f"{cap:,.0f} {inputs.currency}"))
    return dict(by_rule_year)


def claim_key(claim) -> tuple:
    """The eligible decision a claim row refers to, as in ModelInputs.subsidy_rules[...]['eligible']."""
    year = int(claim.year)
    if isinstance(claim.infrastructure, str) and claim.infrastructure:
        return ("infrastructure", claim.infrastructure, year)
    if isinstance(claim.to_technology, str) and claim.to_technology:
        return ("conversion", claim.segment, claim.technology, claim.to_technology, year)
    return ("purchase", claim.segment, claim.technology, year)


def _claim_owner(key: tuple) -> tuple[str, str]:
    if key[0] == "purchase":
        return key[1], key[2]
    if key[0] == "conversion":
        return key[1], key[3]
    return "", key[1]


def _tables(inputs, decisions, purchases, sales, stock, activity, energy_rows, emissions, ledger, infra_rows,
            claims, capex_by_year, existing_asset_rows) -> dict[str, pd.DataFrame]:
    """Tidy output tables with unit-suffixed columns, sorted for byte-stable CSVs."""
    unit = inputs.activity_unit
    cur = inputs.currency
    ledger_df = pd.DataFrame(ledger, columns=["year", "segment", "technology", "category", "cost", "discount_factor"])
    ledger_df["discounted_cost"] = ledger_df["cost"] * ledger_df["discount_factor"]
    costs = (ledger_df.groupby(["year", "category"], as_index=False)[["cost", "discounted_cost"]].sum())
    full = pd.MultiIndex.from_product([inputs.years, COST_CATEGORIES], names=["year", "category"])
    costs = costs.set_index(["year", "category"]).reindex(full, fill_value=0.0).reset_index()
    costs["currency"] = cur

    stock_df = pd.DataFrame([(y, s, t, vv, n) for ((s, t, vv), y), n in stock.items()],
                            columns=["year", "segment", "technology", "model_year", "stock_count"])
    fleet = stock_df.groupby(["year", "segment", "technology"], as_index=False)["stock_count"].sum()
    activity_df = pd.DataFrame([(y, s, t, vv, a, unit[s]) for ((s, t, vv), y), a in activity.items()],
                               columns=["year", "segment", "technology", "model_year", "activity_au", "activity_unit"])
    energy = pd.DataFrame(energy_rows, columns=["year", "segment", "technology", "fuel", "energy_gj", "energy_cost",
                                                "emissions_ttw_tco2e", "emissions_wtw_tco2e"])
    energy_by_fuel = energy.groupby(["year", "fuel"], as_index=False)[["energy_gj", "energy_cost"]].sum()
    em = pd.DataFrame([(y, *emissions[y]) for y in inputs.years],
                      columns=["year", "emissions_ttw_tco2e", "emissions_wtw_tco2e", "emissions_tco2e"])
    em["cap_tco2e"] = [inputs.emission_cap_t.get(y) for y in inputs.years]
    em["scope"] = inputs.scenario.policy.emission_scope

    # cost per activity unit of each technology: the costs of running it, excluding the resale or
    # end value of vehicles already owned at the start (their purchase is sunk, outside the accounts)
    ledger_df["existing_asset_value"] = [i in existing_asset_rows for i in range(len(ledger_df))]
    per_tech = ledger_df[(ledger_df["category"] != "unmet_penalty") & (ledger_df["technology"] != "")
                         & ~ledger_df["existing_asset_value"]]
    cost_st = per_tech.groupby(["segment", "technology"])["discounted_cost"].sum()
    act = activity_df.assign(discounted_activity_au=[a * inputs.discount_factor[y] for y, a in
                                                     zip(activity_df["year"], activity_df["activity_au"], strict=True)])
    act_st = act.groupby(["segment", "technology"])["discounted_activity_au"].sum()
    cpa = pd.concat([cost_st.rename("discounted_cost"), act_st], axis=1).fillna(0.0).reset_index()
    cpa = cpa[cpa["discounted_activity_au"] > 0].copy()
    cpa["cost_per_au"] = cpa["discounted_cost"] / cpa["discounted_activity_au"]
    cpa["activity_unit"] = [unit.get(s, "") for s in cpa["segment"]]
    cpa["currency"] = cur

    by_year = pd.DataFrame({"year": inputs.years})
    by_year["purchases_count"] = [sum(n for (s, t, y), n in purchases.items() if y == yy) for yy in inputs.years]
    by_year["conversions_count"] = [float(decisions.conversions.loc[decisions.conversions["year"] == yy, "count"].sum())
                                    for yy in inputs.years]
    by_year["sales_count"] = [sum(n for (c, y), n in sales.items() if y == yy) for yy in inputs.years]
    by_year["stock_count"] = [float(fleet.loc[fleet["year"] == yy, "stock_count"].sum()) for yy in inputs.years]
    ze = fleet[[inputs.zero_emission.get(t, False) for t in fleet["technology"]]]
    by_year["zero_emission_share"] = [
        float(ze.loc[ze["year"] == yy, "stock_count"].sum()) / max(1.0, by_year.loc[i, "stock_count"])
        for i, yy in enumerate(inputs.years)]
    by_year["capex_net_cost"] = [capex_by_year.get(yy, 0.0) for yy in inputs.years]
    totals = costs.groupby("year")[["cost", "discounted_cost"]].sum()
    by_year["total_cost"] = totals["cost"].reindex(inputs.years).to_numpy()
    by_year["total_discounted_cost"] = totals["discounted_cost"].reindex(inputs.years).to_numpy()
    by_year["emissions_tco2e"] = em["emissions_tco2e"].to_numpy()
    by_year["currency"] = cur

    infrastructure = pd.DataFrame(infra_rows, columns=["year", "infrastructure", "builds_count", "units_count",
                                                       "capacity", "basis"])
    subsidies = pd.DataFrame([(y, r, a, cur) for (r, y), a in claims.items()],
                             columns=["year", "rule", "subsidy_cost", "currency"])
    purchases_df = pd.DataFrame([(y, s, t, n, inputs.purchase_price[s, t, y], cur) for (s, t, y), n in purchases.items()],
                                columns=["year", "segment", "technology", "purchases_count", "unit_price", "currency"])
    conversions_df = decisions.conversions.rename(columns={"technology": "from_technology", "count": "conversions_count"})
    sales_df = pd.DataFrame([(y, s, t, vv, n, inputs.resale_value[(s, t, vv), y], cur)
                             for ((s, t, vv), y), n in sales.items()],
                            columns=["year", "segment", "technology", "model_year", "sales_count", "unit_resale_value",
                                     "currency"])
    tables = {
        "plan_by_year": by_year, "purchases": purchases_df, "conversions": conversions_df, "sales": sales_df,
        "stock": stock_df, "fleet": fleet, "activity": activity_df, "energy": energy,
        "energy_by_fuel": energy_by_fuel, "emissions": em, "costs": costs, "cost_per_activity": cpa,
        "infrastructure": infrastructure, "subsidies": subsidies, "ledger": ledger_df,
    }
    return {name: _stable(frame) for name, frame in tables.items()}


def _stable(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by the key columns and round floats so the CSVs are byte-identical run to run."""
    keys = [c for c in ("year", "segment", "technology", "from_technology", "to_technology", "model_year", "fuel",
                        "category", "infrastructure", "rule") if c in frame.columns]
    frame = frame.sort_values(keys, kind="mergesort").reset_index(drop=True) if keys and not frame.empty else frame
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round(ROUND_CONTINUOUS) + 0.0  # +0.0 turns -0.0 into 0.0
    return frame
