"""Cross-reference checks of the catalogue tables against each other.

Each check returns messages instead of raising, so the user sees every problem at once.
"""

from __future__ import annotations

import math

import pandas as pd

from fleet_planner.schemas.catalogue import TABLES


def _ids(cell: str) -> list[str]:
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def check_catalogue(t: dict[str, pd.DataFrame]) -> list[str]:
    """Consistency of the catalogue tables with each other."""
    problems: list[str] = []
    vehicle_sources = set(t["vehicle_sources"]["source_id"])
    fuel_sources = set(t["fuel_sources"]["source_id"])
    both = vehicle_sources & fuel_sources
    if both:
        problems.append(
            f"source ids {sorted(both)} appear in both vehicles/sources.csv and fuels/sources.csv; "
            "rename one so every id is unique."
        )
    known_sources = vehicle_sources | fuel_sources
    for name, (folder, file, _model, _u) in TABLES.items():
        frame = t[name]
        if "source_id" not in frame.columns or name.endswith("sources"):
            continue
        for position, cell in enumerate(frame["source_id"]):
            unknown = [s for s in _ids(cell) if s not in known_sources]
            if unknown:
                problems.append(
                    f"{folder}/{file} line {position + 2}, column source_id: {unknown} not found in "
                    f"{folder}/sources.csv. Add a sources row (citation, year, url, grade) or fix the id."
                )
    types = set(t["technology_types"]["technology"])
    segments = set(t["segments"]["segment"])
    fuels = set(t["fuels"]["fuel"])
    techs = t["technologies"]
    pairs = set(zip(techs["segment"], techs["technology"], strict=True))
    purchasable = set(
        zip(techs.loc[techs["purchasable"], "segment"], techs.loc[techs["purchasable"], "technology"], strict=True)
    )

    def where(file: str, position: int, column: str) -> str:
        return f"vehicles/{file} line {position + 2}, column {column}"

    for i, row in techs.reset_index(drop=True).iterrows():
        if row["technology"] not in types:
            problems.append(f"{where('technologies.csv', i, 'technology')}: {row['technology']!r} is not in "
                            f"technology_types.csv {sorted(types)}. Add it there or fix the id.")
        if row["segment"] not in segments:
            problems.append(f"{where('technologies.csv', i, 'segment')}: {row['segment']!r} is not in "
                            f"segments.csv {sorted(segments)}.")
    for i, row in t["segments"].reset_index(drop=True).iterrows():
        if (row["segment"], row["baseline_technology"]) not in purchasable:
            problems.append(f"{where('segments.csv', i, 'baseline_technology')}: {row['baseline_technology']!r} "
                            f"is not a purchasable technology of {row['segment']} in technologies.csv.")
    years = t["technology_years"]
    for i, row in years.reset_index(drop=True).iterrows():
        if (row["segment"], row["technology"]) not in purchasable:
            problems.append(f"{where('technology_years.csv', i, 'technology')}: ({row['segment']}, "
                            f"{row['technology']}) is not a purchasable row of technologies.csv.")
    priced = set(zip(years["segment"], years["technology"], strict=True))
    for segment, technology in sorted(purchasable - priced):
        problems.append(f"vehicles/technology_years.csv: no price/energy rows for ({segment}, {technology}). "
                        "Add at least one year.")
    conversions = t["conversions"]
    for i, row in conversions.reset_index(drop=True).iterrows():
        for column in ("from_technology", "to_technology"):
            if (row["segment"], row[column]) not in pairs:
                problems.append(f"{where('conversions.csv', i, column)}: ({row['segment']}, {row[column]}) "
                                "is not in technologies.csv.")
        if row["min_age_years"] > row["max_age_years"]:
            problems.append(f"{where('conversions.csv', i, 'min_age_years')}: larger than max_age_years.")
        if row["first_year"] > row["last_year"]:
            problems.append(f"{where('conversions.csv', i, 'first_year')}: after last_year.")
    reachable = set(zip(conversions["segment"], conversions["to_technology"], strict=True))
    for segment, technology in sorted(pairs - purchasable - reachable):
        problems.append(f"vehicles/technologies.csv: ({segment}, {technology}) is neither purchasable nor the "
                        "target of a conversion in conversions.csv; add one or remove the row.")
    tf = t["technology_fuels"]
    for i, row in tf.reset_index(drop=True).iterrows():
        if row["fuel"] not in fuels:
            problems.append(f"{where('technology_fuels.csv', i, 'fuel')}: {row['fuel']!r} is not in fuels/fuels.csv.")
        if row["technology"] not in types:
            problems.append(f"{where('technology_fuels.csv', i, 'technology')}: {row['technology']!r} is not in "
                            "technology_types.csv.")
    for technology, group in tf.groupby("technology"):
        shares = group.groupby("slot")["energy_share"].agg(["min", "max"])
        uneven = shares[(shares["max"] - shares["min"]).abs() > 1e-9]
        if not uneven.empty:
            problems.append(f"vehicles/technology_fuels.csv: technology {technology} slot(s) {list(uneven.index)} "
                            "have different energy_share values; one share per slot.")
        if abs(shares["max"].sum() - 1.0) > 1e-6:
            problems.append(f"vehicles/technology_fuels.csv: slot energy_share of {technology} add up to "
                            f"{shares['max'].sum():g}; they must add up to 1.")
    for technology in sorted(set(techs["technology"]) - set(tf["technology"])):
        problems.append(f"vehicles/technology_fuels.csv: no fuel for technology {technology}. Add its fuel rows.")
    for i, row in t["infrastructure"].reset_index(drop=True).iterrows():
        seg = _ids(row["segments"])
        if seg != ["*"] and set(seg) - segments:
            problems.append(f"{where('infrastructure.csv', i, 'segments')}: unknown {sorted(set(seg) - segments)}.")
        served = set(_ids(row["serves"]))
        vocabulary = types if row["basis"] == "vehicles" else fuels
        if served - vocabulary:
            problems.append(f"{where('infrastructure.csv', i, 'serves')}: unknown {sorted(served - vocabulary)} "
                            f"(basis {row['basis']} serves {'technologies' if row['basis'] == 'vehicles' else 'fuels'}).")
        capacity = "capacity_vehicles_per_unit" if row["basis"] == "vehicles" else "capacity_gj_per_year_per_unit"
        if row[capacity] is None or (isinstance(row[capacity], float) and math.isnan(row[capacity])):
            problems.append(f"{where('infrastructure.csv', i, capacity)}: needed for basis {row['basis']}.")
    currencies = set(t["exchange_rates"]["currency"])
    for name, (folder, file, _m, _u) in TABLES.items():
        frame = t[name]
        if "currency" in frame.columns and name != "exchange_rates":
            for position, cur in enumerate(frame["currency"]):
                if cur not in currencies:
                    problems.append(f"{folder}/{file} line {position + 2}, column currency: {cur!r} has no rate "
                                    f"in fuels/exchange_rates.csv {sorted(currencies)}. Add a rate row.")
    for i, row in t["prices"].reset_index(drop=True).iterrows():
        if row["fuel"] not in fuels:
            problems.append(f"fuels/prices.csv line {i + 2}, column fuel: {row['fuel']!r} is not in fuels.csv.")
    factors = t["emission_factors"]
    for fuel in sorted(fuels - set(factors["fuel"])):
        problems.append(f"fuels/emission_factors.csv: no factor for fuel {fuel}. Add rows (application all).")
    for fuel, group in factors.groupby("fuel"):
        apps = set(group["application"])
        if "all" not in apps and not {"road", "offroad"} <= apps:
            problems.append(f"fuels/emission_factors.csv: fuel {fuel} needs an 'all' row or both 'road' and 'offroad'.")
    for segment in sorted(segments - set(t["residual_values"]["segment"])):
        problems.append(f"vehicles/residual_values.csv: no rows for segment {segment}.")
    if "gwp100_ch4" not in set(t["constants"]["constant"]):
        problems.append("fuels/constants.csv: constant gwp100_ch4 is missing (needed for methane slip).")
    return problems
