"""JCM-style MRV of a project: reference emissions, project emissions, reductions and the grant's
cost-effectiveness. This is the project's own JCM-style calculation, not an approved JCM
methodology (none for vehicles in Chile was available); every assumption is in docs/model.md.

A project is a set of the plan's decisions (purchases of, and conversions into, some
technologies of one segment in a range of years) and a crediting period. For each crediting year:

* project share of a cohort = project vehicles that entered it by the year / all that entered it
  (the existing fleet, purchases, conversions): sales and activity are shared in proportion;
* activity A = the cohort's activity in the plan x the project share [km or h];
* reference emissions RE = A x SFC_ref x NCV_ref x EF_ref, with SFC_ref the reference (baseline)
  technology's fuel use per activity unit of its most efficient model year in the period x a
  conservative factor, NCV_ref and EF_ref the low ends (mrv/parameters.csv);
* project emissions PE = sum over fuels of A x the cohort's energy per unit (catalogue) x the
  plan's fuel split of the technology in that year x the fuel's project factor: the high-end
  combustion factor plus methane slip for fossil fuels (mrv/parameters.csv, technologies.csv),
  else the catalogue's well-to-wheel factor of the year (electricity: the grid factor per GJ
  delivered; hydrogen: production);
* ER = max(RE - PE, 0).

Cost-effectiveness = grant / (yearly ER x legal useful life), yearly ER = the mean over the
crediting period; in the scenario currency and in JPY at the price base year's exchange rates.
Everything is computed from the plan tables, the scenario, the catalogue and the MRV data files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from fleet_planner.accounts.prices import PriceBook, interpolate
from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.loading.frames import row_tuples
from fleet_planner.schemas.mrv import MrvProject
from fleet_planner.schemas.scenario import Scenario

METHOD_NOTE = "the project's own JCM-style calculation (not an approved JCM methodology)"
GJ_PER_MJ = 1e-3
T_PER_KG = 1e-3
MONITORED_CARRIERS = {"electricity": "electricity", "hydrogen": "hydrogen", "diesel": "diesel", "hvo": "diesel",
                      "cng": "gas", "biomethane": "gas", "lpg": "lpg"}
"""Fuel id prefix -> the monitoring list's `applies_to` carrier."""


@dataclass(frozen=True)
class MrvResult:
    """The MRV tables: summary (one row), yearly (RE, PE, ER), energy (project fuel use and factors),
    cohorts (the decisions in the project), parameters (every value used, with its source) and
    monitoring (what to measure, how)."""

    tables: dict[str, pd.DataFrame]

    @property
    def summary(self) -> dict:
        return self.tables["mrv_summary"].iloc[0].to_dict()


class _Parameters:
    """Lookups in mrv/parameters.csv: by (parameter, key), falling back to key 'all'."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.rows = {(r["parameter"], r["key"]): r for r in frame.to_dict("records")}
        self.used: dict[tuple[str, str], dict] = {}

    def get(self, parameter: str, key: str) -> dict | None:
        row = self.rows.get((parameter, key)) or self.rows.get((parameter, "all"))
        if row is not None:
            self.used[row["parameter"], row["key"]] = row
        return row

    def value(self, parameter: str, key: str, what: str) -> float:
        row = self.get(parameter, key)
        if row is None:
            raise ScenarioError(f"mrv/parameters.csv: no {parameter!r} row for {key!r} (nor for 'all'); add one "
                                f"with its source and grade ({what}).")
        return float(row["value"])


def mrv_accounts(tables: Mapping[str, pd.DataFrame], scenario: Scenario, catalogue: Catalogue,
                 data: Mapping[str, pd.DataFrame], project: MrvProject) -> MrvResult:
    """The MRV tables of `project` in the plan whose tables (as in a result folder) are given."""
    book = PriceBook(scenario, catalogue)
    parameters = _Parameters(data["mrv_parameters"])
    shares = project_shares(tables, scenario, project)
    if not shares:
        wanted = ", ".join(project.technologies)
        raise ScenarioError(f"--project {project.name!r}: the plan buys or converts no {wanted} "
                            f"in {project.segment} in {project.first_year}-{project.last_year}; "
                            "choose decisions the plan makes (see purchases.csv and conversions.csv).")
    life = parameters.value("legal_useful_life_years", project.segment, "the legal useful life of the vehicles")
    first, last = _crediting_period(project, scenario, tables, shares, int(life))
    reference = _reference(book, parameters, project, last)
    years = range(first, last + 1)
    yearly, energy = _yearly(book, parameters, tables, shares, reference, years)
    cohorts = pd.DataFrame([{"segment": s, "technology": t, "model_year": v, "project_count": n}
                            for (s, t, v), n in sorted(_project_counts(tables, project).items())])
    summary = _summary(book, parameters, tables, project, reference, yearly, first, last, cohorts)
    return MrvResult({
        "mrv_summary": pd.DataFrame([summary]), "mrv_yearly": yearly, "mrv_energy": energy, "mrv_cohorts": cohorts,
        "mrv_parameters": _parameters_table(book, parameters, data, energy, summary),
        "mrv_monitoring": monitoring_list(data["mrv_monitoring_list"], energy, reference["activity_unit"]),
    })


def _crediting_period(project: MrvProject, scenario: Scenario, tables: Mapping[str, pd.DataFrame], shares: dict,
                      life: int) -> tuple[int, int]:
    """The given period, else from the first year a project vehicle is in the fleet for the legal
    useful life (GEC model projects monitor until its end), cut at the plan's last year."""
    horizon_last = int(tables["activity"]["year"].max()) if not tables["activity"].empty else scenario.horizon_last_year
    started = min((y for by_year in shares.values() for y, share in by_year.items() if share > 0),
                  default=project.first_year)
    first = project.crediting_first_year or started
    last = project.crediting_last_year or min(first + life - 1, horizon_last)
    if first < scenario.horizon_first_year or last > horizon_last:
        raise ScenarioError(f"--crediting {first}-{last}: outside the plan's years {scenario.horizon_first_year}-"
                            f"{horizon_last}; choose a period inside them.")
    return first, last


def _project_counts(tables: Mapping[str, pd.DataFrame], project: MrvProject) -> dict[tuple, float]:
    """(segment, technology, model_year) -> vehicles the project's decisions put into the cohort."""
    counts: dict[tuple, float] = {}
    inside = range(project.first_year, project.last_year + 1)
    purchases = tables.get("purchases", pd.DataFrame())
    for r in row_tuples(purchases):
        if r.segment == project.segment and r.technology in project.technologies and r.year in inside:
            key = (r.segment, r.technology, int(r.year))
            counts[key] = counts.get(key, 0.0) + float(r.purchases_count)
    conversions = tables.get("conversions", pd.DataFrame())
    for r in row_tuples(conversions):
        if r.segment == project.segment and r.to_technology in project.technologies and r.year in inside:
            key = (r.segment, r.to_technology, int(r.model_year))
            counts[key] = counts.get(key, 0.0) + float(r.conversions_count)
    return {k: v for k, v in counts.items() if v > 0}


def project_shares(tables: Mapping[str, pd.DataFrame], scenario: Scenario,
                   project: MrvProject) -> dict[tuple, dict[int, float]]:
    """cohort -> {year: share of the cohort's vehicles that are the project's} (entered by that year)."""
    ours = _project_counts(tables, project)
    entries: dict[tuple, list[tuple[int, float, bool]]] = {c: [] for c in ours}  # (year entered, count, project?)
    inside = range(project.first_year, project.last_year + 1)
    for cohort in scenario.fleet:
        key = (cohort.segment, cohort.technology, cohort.model_year)
        if key in entries:
            entries[key].append((scenario.horizon_first_year, float(cohort.count), False))
    for r in row_tuples(tables.get("purchases", pd.DataFrame())):
        key = (r.segment, r.technology, int(r.year))
        if key in entries:
            entries[key].append((int(r.year), float(r.purchases_count), r.technology in project.technologies
                                 and r.year in inside))
    for r in row_tuples(tables.get("conversions", pd.DataFrame())):
        key = (r.segment, r.to_technology, int(r.model_year))
        if key in entries:
            entries[key].append((int(r.year), float(r.conversions_count), r.year in inside))
    years = sorted(set(tables["activity"]["year"]))
    shares: dict[tuple, dict[int, float]] = {}
    for key, rows in entries.items():
        shares[key] = {}
        for y in years:
            total = sum(n for entered, n, _ in rows if entered <= y)
            mine = sum(n for entered, n, is_project in rows if entered <= y and is_project)
            shares[key][y] = mine / total if total > 0 else 0.0
    return shares


def _reference(book: PriceBook, parameters: _Parameters, project: MrvProject, last: int) -> dict:
    """The reference vehicle: the segment's baseline technology, its fuel, and its conservative
    fuel use per activity unit (most efficient model year up to the end of crediting x factor)."""
    s = project.segment
    segment = book.catalogue.segments.set_index("segment")
    if s not in segment.index:
        raise ScenarioError(f"--project: segment {s!r} is not in the catalogue; use one of {sorted(segment.index)}.")
    technology = str(segment.loc[s, "baseline_technology"])
    slots = book.catalogue.technology_fuels
    fuels = [f for f in slots[slots["technology"] == technology]["fuel"]
             if parameters.get("reference_co2_kg_per_gj", f)]
    if not fuels:
        raise ScenarioError(f"mrv/parameters.csv: no reference_co2_kg_per_gj row for a fuel of {technology}, the "
                            f"reference technology of {s}; add one with its source and grade.")
    fuel = fuels[0]
    model_years = range(min(project.first_year, last), last + 1)
    catalogue_gj = min(book.energy_gj_per_au(s, technology, v) for v in model_years)
    factor = parameters.value("reference_energy_use_factor", s, "the conservative reference fuel economy")
    units_per_au = catalogue_gj / GJ_PER_MJ / book.lhv_mj_per_unit(fuel) * factor
    ncv = parameters.value("reference_ncv_mj_per_unit", fuel, "the reference fuel's low-end NCV")
    co2 = parameters.value("reference_co2_kg_per_gj", fuel, "the reference fuel's low-end CO2 factor")
    return {"technology": technology, "fuel": fuel, "catalogue_gj_per_au": catalogue_gj, "factor": factor,
            "fuel_units_per_au": units_per_au, "fuel_unit": str(book.catalogue.fuels.set_index("fuel").loc[fuel,
                                                                                                   "physical_unit"]),
            "ncv_mj_per_unit": ncv, "co2_kg_per_gj": co2,
            "t_per_au": units_per_au * ncv * GJ_PER_MJ * co2 * T_PER_KG,
            "activity_unit": str(segment.loc[s, "activity_unit"])}


def _fuel_split(book: PriceBook, tables: Mapping[str, pd.DataFrame]) -> dict[tuple, dict[str, float]]:
    """(year, segment, technology) -> {fuel: GJ bought per GJ the technology's activity needs} in the plan."""
    need: dict[tuple, float] = {}
    for r in row_tuples(tables["activity"]):
        key = (int(r.year), r.segment, r.technology)
        need[key] = need.get(key, 0.0) + float(r.activity_au) * book.energy_gj_per_au(r.segment, r.technology,
                                                                                      int(r.model_year))
    split: dict[tuple, dict[str, float]] = {}
    for r in row_tuples(tables["energy"]):
        key = (int(r.year), r.segment, r.technology)
        if need.get(key, 0.0) > 0:
            split.setdefault(key, {})[r.fuel] = float(r.energy_gj) / need[key]
    return split


def project_factor_t_per_gj(book: PriceBook, parameters: _Parameters, s: str, t: str, f: str, y: int) -> float:
    """Project-side tCO2e per GJ of fuel f burned by (s, t) in y: the high-end combustion factor plus
    methane slip for fossil fuels; else the catalogue's well-to-wheel factor of the year."""
    if ("project_co2e_kg_per_gj", f) not in parameters.rows:
        return book.emission_t_per_gj(s, t, f, y, "wtw")
    row = parameters.get("project_co2e_kg_per_gj", f)
    kg = float(row["value"])
    slip = book.technology(s, t)["methane_slip_share"]
    ch4 = book.catalogue.fuels.set_index("fuel").loc[f, "methane_kg_per_gj"]
    if pd.notna(slip) and pd.notna(ch4):
        kg += float(slip) * float(ch4) * book.catalogue.constant("gwp100_ch4")
    return kg * T_PER_KG


def _yearly(book: PriceBook, parameters: _Parameters, tables: Mapping[str, pd.DataFrame], shares: dict,
            reference: dict, years: range) -> tuple[pd.DataFrame, pd.DataFrame]:
    activity = tables["activity"].set_index(["year", "segment", "technology", "model_year"])["activity_au"]
    stock = tables["stock"].set_index(["year", "segment", "technology", "model_year"])["stock_count"]
    split = _fuel_split(book, tables)
    rows, energy = [], {}
    for y in years:
        vehicles = au = pe = 0.0
        for (s, t, v), by_year in shares.items():
            share = by_year.get(y, 0.0)
            a = float(activity.get((y, s, t, v), 0.0)) * share
            vehicles += float(stock.get((y, s, t, v), 0.0)) * share
            au += a
            need = a * book.energy_gj_per_au(s, t, v)
            for f, per_need in split.get((y, s, t), {}).items():
                gj = need * per_need
                factor = project_factor_t_per_gj(book, parameters, s, t, f, y)
                cell = energy.setdefault((y, f), [0.0, factor, 0.0])
                cell[0] += gj
                cell[2] += gj * factor
                pe += gj * factor
        re = au * reference["t_per_au"]
        rows.append({"year": y, "project_vehicles_count": vehicles, "activity_au": au,
                     "activity_unit": reference["activity_unit"],
                     "reference_fuel_units": au * reference["fuel_units_per_au"],
                     "reference_fuel_unit": reference["fuel_unit"], "reference_tco2e": re, "project_tco2e": pe,
                     "er_tco2e": max(re - pe, 0.0)})
    energy_table = pd.DataFrame([{"year": y, "fuel": f, "energy_gj": gj, "factor_kgco2e_per_gj": factor / T_PER_KG,
                                  "project_tco2e": t} for (y, f), (gj, factor, t) in sorted(energy.items())],
                                columns=["year", "fuel", "energy_gj", "factor_kgco2e_per_gj", "project_tco2e"])
    return pd.DataFrame(rows), energy_table


def grant_of(tables: Mapping[str, pd.DataFrame], project: MrvProject) -> float:
    """The plan's subsidies on the project's decisions (ledger category 'subsidy' of the segment and
    technologies in the decision years, in the scenario currency; positive)."""
    ledger = tables.get("ledger", pd.DataFrame())
    if ledger.empty:
        return 0.0
    rows = ledger[(ledger["category"] == "subsidy") & (ledger["segment"] == project.segment)
                  & ledger["technology"].isin(project.technologies)
                  & ledger["year"].between(project.first_year, project.last_year)]
    return -float(rows["cost"].sum()) + 0.0  # + 0.0: no "-0"


def jpy_per_unit(book: PriceBook) -> float:
    """Yen per unit of the scenario currency at the price base year (fuels/exchange_rates.csv)."""
    rates = book.catalogue.exchange_rates
    if "JPY" not in set(rates["currency"]):
        raise ScenarioError("fuels/exchange_rates.csv: no JPY row; add JPY units_per_usd with its source to show "
                            "the grant's cost-effectiveness in yen.")

    def per_usd(code: str) -> float:
        return interpolate(rates[rates["currency"] == code], "year", "units_per_usd", book.scenario.price_base_year)

    return per_usd("JPY") / per_usd(book.scenario.currency)


def _summary(book: PriceBook, parameters: _Parameters, tables: Mapping[str, pd.DataFrame], project: MrvProject,
             reference: dict, yearly: pd.DataFrame, first: int, last: int, cohorts: pd.DataFrame) -> dict:
    life = parameters.value("legal_useful_life_years", project.segment, "the legal useful life of the vehicles")
    grant = project.grant if project.grant is not None else grant_of(tables, project)
    yearly_er = float(yearly["er_tco2e"].mean()) if not yearly.empty else 0.0
    jpy = jpy_per_unit(book)
    effective = grant / (yearly_er * life) if yearly_er > 0 and grant > 0 else None
    return {
        "project": project.name, "method": METHOD_NOTE, "segment": project.segment,
        "technologies": ";".join(project.technologies), "decision_first_year": project.first_year,
        "decision_last_year": project.last_year, "crediting_first_year": first, "crediting_last_year": last,
        "project_vehicles_count": float(cohorts["project_count"].sum()),
        "reference_technology": reference["technology"], "reference_fuel": reference["fuel"],
        "reference_fuel_units_per_au": reference["fuel_units_per_au"], "reference_fuel_unit": reference["fuel_unit"],
        "activity_unit": reference["activity_unit"],
        "reference_tco2e": float(yearly["reference_tco2e"].sum()),
        "project_tco2e": float(yearly["project_tco2e"].sum()),
        "er_tco2e": float(yearly["er_tco2e"].sum()), "yearly_er_tco2e": yearly_er,
        "legal_useful_life_years": life, "er_over_legal_life_tco2e": yearly_er * life,
        "grant_cost": grant, "grant_source": "given" if project.grant is not None else "plan subsidies",
        "currency": book.scenario.currency, "jpy_per_currency_unit": jpy, "grant_jpy": grant * jpy,
        "cost_effectiveness_per_tco2e": effective,
        "cost_effectiveness_jpy_per_tco2e": None if effective is None else effective * jpy,
    }


def _parameters_table(book: PriceBook, parameters: _Parameters, data: Mapping[str, pd.DataFrame],
                      energy: pd.DataFrame, summary: dict) -> pd.DataFrame:
    """Every value the calculation used, with its source and grade."""
    grades = data["mrv_sources"].set_index("source_id")["grade"].to_dict()
    rows = [{"parameter": r["parameter"], "key": r["key"], "value": r["value"], "unit": r["unit"],
             "source_id": r["source_id"], "grade": r["grade"], "notes": r["notes"]}
            for r in parameters.used.values()]
    factors = book.catalogue.emission_factors
    for (year, fuel), group in energy.groupby(["year", "fuel"]):
        if ("project_co2e_kg_per_gj", fuel) not in parameters.rows:
            sources = ";".join(sorted(set(";".join(factors[factors["fuel"] == fuel]["source_id"]).split(";"))))
            rows.append({"parameter": "project_co2e_kg_per_gj (catalogue wtw of the year)", "key": f"{fuel} {year}",
                         "value": float(group["factor_kgco2e_per_gj"].iloc[0]), "unit": "kgCO2e/GJ",
                         "source_id": sources, "grade": "", "notes": "fuels/emission_factors.csv well-to-wheel, per "
                         "GJ delivered (delivery losses of fuels.csv)"})
    rows.append({"parameter": "gwp100_ch4", "key": "all", "value": book.catalogue.constant("gwp100_ch4"),
                 "unit": "kgCO2e/kgCH4", "source_id": "ipcc_ar6_gwp100", "grade": "", "notes": "fuels/constants.csv"})
    rates = book.catalogue.exchange_rates
    base = book.scenario.price_base_year
    for code in ("JPY", book.scenario.currency):
        own = rates[rates["currency"] == code]
        row = own.iloc[(own["year"] - base).abs().argmin()]
        rows.append({"parameter": "exchange_rate_units_per_usd", "key": code,
                     "value": interpolate(own, "year", "units_per_usd", base),
                     "unit": f"{code}/USD", "source_id": row["source_id"], "grade": "",
                     "notes": f"fuels/exchange_rates.csv, at the price base year {book.scenario.price_base_year}"})
    frame = pd.DataFrame(rows)
    catalogue_grades = book.catalogue.sources.set_index("source_id")["grade"].to_dict() | grades
    frame["grade"] = [g or min((catalogue_grades.get(s, "D") for s in str(ids).split(";")), default="", key=_worst)
                      for g, ids in zip(frame["grade"], frame["source_id"], strict=True)]
    return frame


def _worst(grade: str) -> int:
    return -"ABCD".index(grade) if grade in "ABCD" else 0


def monitoring_list(monitoring: pd.DataFrame, energy: pd.DataFrame, activity_unit: str) -> pd.DataFrame:
    """The parameters to monitor for the project's activity unit and energy carriers, plus the
    always-monitored and fixed ex-ante ones."""
    carriers = {MONITORED_CARRIERS[prefix] for f in set(energy["fuel"]) for prefix in MONITORED_CARRIERS
                if str(f).startswith(prefix)}
    keep = {"all", "fixed", activity_unit} | carriers
    chosen = monitoring[monitoring["applies_to"].isin(keep)]
    return chosen[["parameter", "symbol", "unit", "measured_by", "frequency", "applies_to", "source_id"]].reset_index(
        drop=True)
