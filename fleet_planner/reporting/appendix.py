"""The appendix: every catalogue row the run used with its source and grade, the existing fleet
and the scenario settings."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import yaml

from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.reporting.i18n import Translator
from fleet_planner.reporting.table_data import TableData, number_or_none
from fleet_planner.schemas.catalogue import TABLES as CATALOGUE_TABLES
from fleet_planner.schemas.scenario import Scenario

APPENDIX_TABLES: tuple[str, ...] = (
    "segments", "technologies", "technology_years", "residual_values", "conversions", "technology_fuels",
    "infrastructure", "fuels", "prices", "emission_factors", "exchange_rates", "cpi", "taxes", "constants",
)
"""Catalogue tables shown in the appendix, in this order (technology_types has no world numbers)."""


GRADES: tuple[str, ...] = ("A", "B", "C", "D")


def used_catalogue_rows(scenario: Scenario, catalogue: Catalogue) -> dict[str, pd.DataFrame]:
    """The catalogue rows this scenario uses, by table, each with a `grade` column after source_id.

    Rows are those of the scenario's segments, their allowed and existing technologies (and
    conversion targets), the fuels those technologies may run on, the scenario's region and
    currency; every year row is kept, since years in between are interpolated from them."""
    c = catalogue.tables
    pairs = segment_technologies_used(scenario, catalogue)
    segments = set(scenario.demand)
    technologies = {tech for _, tech in pairs}
    fuels = fuels_used(scenario, catalogue, technologies)
    rows = {
        "segments": c["segments"][c["segments"]["segment"].isin(segments)],
        "technologies": _rows_of_pairs(c["technologies"], pairs),
        "technology_years": _rows_of_pairs(c["technology_years"], pairs),
        "residual_values": c["residual_values"][c["residual_values"]["segment"].isin(segments)],
        "conversions": _conversions_used(scenario, c["conversions"], pairs),
        "technology_fuels": c["technology_fuels"][c["technology_fuels"]["technology"].isin(technologies)
                                                  & c["technology_fuels"]["fuel"].isin(fuels)],
        "infrastructure": _infrastructure_used(scenario, c["infrastructure"], segments),
        "fuels": c["fuels"][c["fuels"]["fuel"].isin(fuels)],
        "prices": c["prices"][c["prices"]["fuel"].isin(fuels) & (c["prices"]["region"] == scenario.region)],
        "emission_factors": c["emission_factors"][c["emission_factors"]["fuel"].isin(fuels)],
        "constants": c["constants"],
        "taxes": c["taxes"][c["taxes"]["region"] == scenario.region],
    }
    currencies = {scenario.currency}
    for frame in rows.values():
        if "currency" in frame.columns:
            currencies |= set(frame["currency"].dropna().astype(str))
    rows["exchange_rates"] = c["exchange_rates"][c["exchange_rates"]["currency"].isin(currencies)]
    rows["cpi"] = c["cpi"][c["cpi"]["currency"].isin(currencies)]
    grades = _grades_by_source(catalogue)
    return {name: _with_grade(rows[name].reset_index(drop=True), grades) for name in APPENDIX_TABLES}


def segment_technologies_used(scenario: Scenario, catalogue: Catalogue) -> set[tuple[str, str]]:
    """(segment, technology) pairs the plan may use: allowed ones, existing cohorts, conversion targets."""
    listed = catalogue.tables["technologies"]
    pairs: set[tuple[str, str]] = set()
    for segment, demand in scenario.demand.items():
        in_catalogue = listed.loc[listed["segment"] == segment, "technology"].astype(str)
        allowed = demand.technologies if demand.technologies else list(in_catalogue)
        pairs |= {(segment, tech) for tech in allowed}
    pairs |= {(c.segment, c.technology) for c in _cohorts(scenario) if c.segment in scenario.demand}
    if scenario.policy.allow_conversions:
        conversions = catalogue.tables["conversions"]
        for r in conversions.itertuples(index=False):
            if (r.segment, r.from_technology) in pairs:
                pairs.add((r.segment, r.to_technology))
    return pairs


def fuels_used(scenario: Scenario, catalogue: Catalogue, technologies: set[str]) -> set[str]:
    """Fuels the technologies may run on (technology_fuels.csv), limited by the scenario's fuels.allowed."""
    links = catalogue.tables["technology_fuels"]
    fuels = set(links.loc[links["technology"].isin(technologies), "fuel"].astype(str))
    if scenario.fuels.allowed is not None:
        fuels &= set(scenario.fuels.allowed)
    return fuels


def _cohorts(scenario: Scenario) -> list:
    return scenario.fleet if isinstance(scenario.fleet, list) else []


def _rows_of_pairs(frame: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    keys = list(zip(frame["segment"].astype(str), frame["technology"].astype(str), strict=True))
    return frame[[key in pairs for key in keys]]


def _conversions_used(scenario: Scenario, conversions: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    if not scenario.policy.allow_conversions or conversions.empty:
        return conversions.iloc[0:0]
    keys = zip(conversions["segment"], conversions["from_technology"], conversions["to_technology"], strict=True)
    return conversions[[(s, a) in pairs and (s, b) in pairs for s, a, b in keys]]


def _infrastructure_used(scenario: Scenario, infrastructure: pd.DataFrame, segments: set[str]) -> pd.DataFrame:
    if infrastructure.empty:
        return infrastructure
    options = scenario.infrastructure.options
    chosen = infrastructure if options is None else infrastructure[infrastructure["infrastructure"].isin(options)]

    def serves_a_segment(listed: object) -> bool:
        names = {s.strip() for s in str(listed).split(";")}
        return "*" in names or bool(names & segments)

    return chosen[chosen["segments"].map(serves_a_segment)]


def _grades_by_source(catalogue: Catalogue) -> dict[str, str]:
    sources = catalogue.sources
    return {str(k): str(v) for k, v in zip(sources["source_id"], sources["grade"], strict=True)}


def _source_ids(cell: object) -> list[str]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def _with_grade(frame: pd.DataFrame, grades: Mapping[str, str]) -> pd.DataFrame:
    """frame with a `grade` column right after source_id ('A;D' when a row cites two sources)."""
    if "source_id" not in frame.columns:
        return frame
    frame = frame.copy()
    grade = [";".join(grades.get(i, "?") for i in _source_ids(cell)) for cell in frame["source_id"]]
    frame.insert(frame.columns.get_loc("source_id") + 1, "grade", grade)
    return frame


def appendix_section(scenario: Scenario, catalogue: Catalogue, used: Mapping[str, pd.DataFrame],
                     assumptions: Mapping[str, pd.DataFrame], t: Translator) -> dict:
    """Texts and tables of the appendix (see templates/section_appendix.html.j2); assumptions:
    the money_basis and calibration tables of the run."""
    catalogue_tables = []
    for name, frame in used.items():
        folder, file = CATALOGUE_TABLES[name][0], CATALOGUE_TABLES[name][1]
        catalogue_tables.append({"title": t("appendix.table", title=t(f"catalogue.{name}"), file=f"{folder}/{file}"),
                                 "table": catalogue_rows_table(frame)})
    return {
        "intro": t("appendix.intro", currency=scenario.currency, base_year=scenario.price_base_year),
        "grades_title": t("appendix.grades"), "grades": [t(f"grade.{g}") for g in GRADES],
        "sources_title": t("appendix.sources"), "sources": sources_table(catalogue, used, t),
        "catalogue_title": t("appendix.catalogue"), "catalogue": catalogue_tables,
        "fleet_title": t("appendix.fleet"), "fleet": fleet_cohorts_table(scenario, t),
        "no_fleet": t("appendix.no_fleet"),
        "scenario_title": t("appendix.scenario"), "scenario_intro": t("appendix.scenario_intro"),
        "scenario_yaml": scenario_settings_yaml(scenario),
        "money_basis_title": t("appendix.money_basis"),
        "money_basis_intro": t("appendix.money_basis_intro", currency=scenario.currency,
                               base_year=scenario.price_base_year,
                               vat=t("appendix.vat_recoverable" if scenario.taxes.vat_recoverable else "appendix.vat_paid")),
        "money_basis": _frame_table(assumptions.get("money_basis")),
        "calibration_title": t("appendix.calibration"),
        "calibration_intro": t("appendix.calibration_intro", currency=scenario.currency,
                               base_year=scenario.price_base_year),
        "calibration": _frame_table(assumptions.get("calibration")),
    }


def _frame_table(frame: pd.DataFrame | None) -> TableData | None:
    """A table of the run as listed (column names as in its CSV), numbers to 4 significant digits."""
    if frame is None or frame.empty:
        return None
    rows = [[_catalogue_cell(float(f"{v:.4g}")) if isinstance(v, float) else _catalogue_cell(v) for v in values]
            for values in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not c.endswith("year") for c in frame.columns]
    return TableData(list(frame.columns), rows, numeric, breakable_header=True)


def sources_used(catalogue: Catalogue, used: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of vehicles/sources.csv and fuels/sources.csv cited by the used catalogue rows."""
    cited = {i for frame in used.values() if "source_id" in frame.columns for cell in frame["source_id"]
             for i in _source_ids(cell)}
    sources = catalogue.sources.drop_duplicates("source_id")
    return sources[sources["source_id"].isin(cited)].sort_values("source_id").reset_index(drop=True)


def sources_table(catalogue: Catalogue, used: Mapping[str, pd.DataFrame], t: Translator) -> TableData | None:
    sources = sources_used(catalogue, used)
    if sources.empty:
        return None
    header = [t("column.source_id"), t("column.grade"), t("column.citation"), t("column.source_year"),
              t("column.url")]
    rows, classes = [], []
    for r in sources.itertuples(index=False):
        url = r.url if isinstance(r.url, str) and r.url else ""
        link = {"text": url, "href": url if url.startswith(("http://", "https://")) else ""}
        year = "" if number_or_none(r.year) is None else str(int(float(r.year)))
        rows.append([r.source_id, r.grade, r.citation, year, link])
        classes.append(f"grade-{r.grade}")
    return TableData(header, rows, [False] * 5, row_classes=classes)


def catalogue_rows_table(frame: pd.DataFrame) -> TableData | None:
    """Catalogue rows as listed in the CSV (column names as in docs/catalogues.md)."""
    if frame.empty:
        return None
    frame = frame.loc[:, [not frame[c].map(_is_blank).all() for c in frame.columns]]  # all-blank columns say nothing
    rows = [[_catalogue_cell(v) for v in values] for values in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and c != "year" for c in frame.columns]
    return TableData(list(frame.columns), rows, numeric, breakable_header=True)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _catalogue_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return np.format_float_positional(float(value), trim="-")
    return str(value)


def fleet_cohorts_table(scenario: Scenario, t: Translator) -> TableData | None:
    cohorts = _cohorts(scenario)
    if not cohorts:
        return None
    header = [t("column.segment"), t("column.technology"), t("column.model_year"), t("column.count"),
              t("column.annual_activity_au"), t("column.lease_end_year"), t("column.lease_cost_per_year"),
              t("column.lease_end")]
    rows = [[t.segment(c.segment), t.technology(c.technology), str(c.model_year), t.number(c.count),
             t.number(c.annual_activity_au), "–" if c.lease_end_year is None else str(c.lease_end_year),
             t.number(c.lease_cost_per_year), _lease_end_text(c, t)]
            for c in cohorts]
    return TableData(header, rows, [False, False, False, True, True, False, True, False])


def _lease_end_text(cohort, t: Translator) -> str:
    if cohort.lease_end_year is None:
        return "–"
    if cohort.lease_end == "buy_out":
        return t("lease.buy_out", price=t.number(cohort.buyout_price))
    return t("lease.return")


def scenario_settings(scenario: Scenario) -> dict:
    """The scenario as plain data, without the fleet cohorts (listed separately) and variants;
    catalogue paths as in the result folder's scenario.resolved.yaml (no local paths in a hand-over)."""
    settings = scenario.model_dump(mode="json", exclude={"variants", "fleet"})
    settings["vehicles_catalogue"], settings["fuels_catalogue"] = "inputs/vehicles", "inputs/fuels"
    return settings


def scenario_settings_yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(scenario_settings(scenario), sort_keys=False, allow_unicode=True)
