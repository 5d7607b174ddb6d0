"""Cross-reference checks of the catalogue tables against each other.

Each check returns messages instead of raising, so the user sees every problem at once. A
message names the file, the line a spreadsheet shows, the column, and the fix.
"""

from __future__ import annotations

import math

import pandas as pd

from fleet_planner.loading.frames import records
from fleet_planner.schemas.catalogue import TABLES

Tables = dict[str, pd.DataFrame]


def check_catalogue(t: Tables) -> list[str]:
    """Consistency of the catalogue tables with each other."""
    return [*_check_sources(t), *_check_technologies(t), *_check_conversions(t), *_check_technology_fuels(t),
            *_check_fuel_shares(t), *_check_components(t), *_check_infrastructure(t), *_check_currencies(t),
            *_check_fuels(t), *_check_financing(t)]


def _ids(cell: str) -> list[str]:
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def _where(file: str, position: int, column: str) -> str:
    return f"vehicles/{file} line {position + 2}, column {column}"


def _rows(frame: pd.DataFrame):
    """(position, row as a dict) for each row (dicts: iterrows built a Series per row, most of the checks' time)."""
    return enumerate(records(frame))


def _pairs(t: Tables, purchasable_only: bool = False) -> set[tuple[str, str]]:
    techs = t["technologies"]
    if purchasable_only:
        techs = techs[techs["purchasable"]]
    return set(zip(techs["segment"], techs["technology"], strict=True))


def _check_sources(t: Tables) -> list[str]:
    """Every source id is unique across both sources files and every cited id exists."""
    problems = []
    vehicle_sources, fuel_sources = set(t["vehicle_sources"]["source_id"]), set(t["fuel_sources"]["source_id"])
    if vehicle_sources & fuel_sources:
        problems.append(f"source ids {sorted(vehicle_sources & fuel_sources)} appear in both vehicles/sources.csv "
                        "and fuels/sources.csv; rename one so every id is unique.")
    known = vehicle_sources | fuel_sources
    for name, (folder, file, _model, _unique) in TABLES.items():
        frame = t[name]
        if "source_id" not in frame.columns or name.endswith("sources"):
            continue
        for position, cell in enumerate(frame["source_id"]):
            unknown = [s for s in _ids(cell) if s not in known]
            if unknown:
                problems.append(f"{folder}/{file} line {position + 2}, column source_id: {unknown} not found in "
                                f"{folder}/sources.csv. Add a sources row (citation, year, url, grade) or fix the id.")
    return problems


def _check_technologies(t: Tables) -> list[str]:
    """Technologies, segments and technology-year rows refer to each other."""
    problems = []
    types, segments = set(t["technology_types"]["technology"]), set(t["segments"]["segment"])
    purchasable = _pairs(t, purchasable_only=True)
    for i, row in _rows(t["technologies"]):
        if row["technology"] not in types:
            problems.append(f"{_where('technologies.csv', i, 'technology')}: {row['technology']!r} is not in "
                            f"technology_types.csv {sorted(types)}. Add it there or fix the id.")
        if row["segment"] not in segments:
            problems.append(f"{_where('technologies.csv', i, 'segment')}: {row['segment']!r} is not in "
                            f"segments.csv {sorted(segments)}.")
    for i, row in _rows(t["segments"]):
        if (row["segment"], row["baseline_technology"]) not in purchasable:
            problems.append(f"{_where('segments.csv', i, 'baseline_technology')}: {row['baseline_technology']!r} "
                            f"is not a purchasable technology of {row['segment']} in technologies.csv.")
    years = t["technology_years"]
    for i, row in _rows(years):
        if (row["segment"], row["technology"]) not in purchasable:
            problems.append(f"{_where('technology_years.csv', i, 'technology')}: ({row['segment']}, "
                            f"{row['technology']}) is not a purchasable row of technologies.csv.")
    for segment, technology in sorted(purchasable - set(zip(years["segment"], years["technology"], strict=True))):
        problems.append(f"vehicles/technology_years.csv: no price/energy rows for ({segment}, {technology}). "
                        "Add at least one year.")
    pairs = _pairs(t)
    for i, row in _rows(t["calibration"]):
        if (row["segment"], row["technology"]) not in pairs:
            problems.append(f"{_where('calibration.csv', i, 'technology')}: ({row['segment']}, {row['technology']}) "
                            "is not in technologies.csv.")
        if row["low"] > row["high"]:
            problems.append(f"{_where('calibration.csv', i, 'low')}: larger than high.")
    curves = t["residual_values"]
    for segment in sorted(segments - set(curves.loc[curves["technology"] == "*", "segment"])):
        problems.append(f"vehicles/residual_values.csv: no '*' rows for segment {segment} (the curve used for every "
                        "technology without its own). Add them.")
    for i, row in _rows(curves):
        if row["technology"] != "*" and (row["segment"], row["technology"]) not in _pairs(t):
            problems.append(f"{_where('residual_values.csv', i, 'technology')}: ({row['segment']}, {row['technology']}) "
                            "is not in technologies.csv.")
    return problems


def _check_conversions(t: Tables) -> list[str]:
    """Conversions join technologies of the catalogue; technologies nobody can buy are reachable."""
    problems = []
    pairs, conversions = _pairs(t), t["conversions"]
    for i, row in _rows(conversions):
        for column in ("from_technology", "to_technology"):
            if (row["segment"], row[column]) not in pairs:
                problems.append(f"{_where('conversions.csv', i, column)}: ({row['segment']}, {row[column]}) "
                                "is not in technologies.csv.")
        if row["min_age_years"] > row["max_age_years"]:
            problems.append(f"{_where('conversions.csv', i, 'min_age_years')}: larger than max_age_years.")
        if row["first_year"] > row["last_year"]:
            problems.append(f"{_where('conversions.csv', i, 'first_year')}: after last_year.")
    reachable = set(zip(conversions["segment"], conversions["to_technology"], strict=True))
    for segment, technology in sorted(pairs - _pairs(t, purchasable_only=True) - reachable):
        problems.append(f"vehicles/technologies.csv: ({segment}, {technology}) is neither purchasable nor the "
                        "target of a conversion in conversions.csv; add one or remove the row.")
    return problems


def _check_technology_fuels(t: Tables) -> list[str]:
    """Each technology's fuel slots name known fuels, one share per slot, shares adding up to 1."""
    problems = []
    types, fuels, links = set(t["technology_types"]["technology"]), set(t["fuels"]["fuel"]), t["technology_fuels"]
    for i, row in _rows(links):
        if row["fuel"] not in fuels:
            problems.append(f"{_where('technology_fuels.csv', i, 'fuel')}: {row['fuel']!r} is not in "
                            "fuels/fuels.csv.")
        if row["technology"] not in types:
            problems.append(f"{_where('technology_fuels.csv', i, 'technology')}: {row['technology']!r} is not in "
                            "technology_types.csv.")
    for technology, group in links.groupby("technology"):
        shares = group.groupby("slot")["energy_share"].agg(["min", "max"])
        uneven = shares[(shares["max"] - shares["min"]).abs() > 1e-9]
        if not uneven.empty:
            problems.append(f"vehicles/technology_fuels.csv: technology {technology} slot(s) {list(uneven.index)} "
                            "have different energy_share values; one share per slot.")
        if abs(shares["max"].sum() - 1.0) > 1e-6:
            problems.append(f"vehicles/technology_fuels.csv: slot energy_share of {technology} add up to "
                            f"{shares['max'].sum():g}; they must add up to 1.")
    for technology in sorted(set(t["technologies"]["technology"]) - set(links["technology"])):
        problems.append(f"vehicles/technology_fuels.csv: no fuel for technology {technology}. Add its fuel rows.")
    return problems


def _check_fuel_shares(t: Tables) -> list[str]:
    """A segment's slot range names a slot of the technology, min <= max, and fuels of that slot."""
    problems = []
    pairs, links = _pairs(t), t["technology_fuels"]
    for i, row in _rows(t["fuel_shares"]):
        where = _where("fuel_shares.csv", i, "slot")
        if (row["segment"], row["technology"]) not in pairs:
            problems.append(f"{_where('fuel_shares.csv', i, 'technology')}: ({row['segment']}, {row['technology']}) "
                            "is not in technologies.csv.")
            continue
        slot = links[(links["technology"] == row["technology"]) & (links["slot"] == row["slot"])]
        if slot.empty:
            problems.append(f"{where}: {row['slot']!r} is not a slot of {row['technology']} in technology_fuels.csv.")
            continue
        if row["min_share"] > row["max_share"]:
            problems.append(f"{_where('fuel_shares.csv', i, 'min_share')}: {row['min_share']:g} is above max_share "
                            f"{row['max_share']:g}.")
        listed = _ids(row["fuels"]) if isinstance(row["fuels"], str) else []
        unknown = sorted(set(listed) - set(slot["fuel"]))
        if unknown:
            problems.append(f"{_where('fuel_shares.csv', i, 'fuels')}: {unknown} are not fuels of slot {row['slot']} of "
                            f"{row['technology']} in technology_fuels.csv.")
    return problems


def _check_components(t: Tables) -> list[str]:
    """Components belong to a known segment-technology and have replacement prices."""
    problems = []
    pairs, priced = _pairs(t), set(t["component_prices"]["component"])
    for i, row in _rows(t["components"]):
        if (row["segment"], row["technology"]) not in pairs:
            problems.append(f"{_where('components.csv', i, 'technology')}: ({row['segment']}, {row['technology']}) is "
                            "not in technologies.csv.")
        if row["component"] not in priced:
            problems.append(f"{_where('components.csv', i, 'component')}: {row['component']!r} has no rows in "
                            "component_prices.csv. Add its replacement price by year.")
    return problems


def _check_infrastructure(t: Tables) -> list[str]:
    """Infrastructure rows name known segments and what they serve, with the capacity their basis needs."""
    problems = []
    types, segments, fuels = set(t["technology_types"]["technology"]), set(t["segments"]["segment"]), \
        set(t["fuels"]["fuel"])
    for i, row in _rows(t["infrastructure"]):
        listed = _ids(row["segments"])
        if listed != ["*"] and set(listed) - segments:
            problems.append(f"{_where('infrastructure.csv', i, 'segments')}: unknown {sorted(set(listed) - segments)}.")
        vehicles = row["basis"] == "vehicles"
        unknown = set(_ids(row["serves"])) - (types if vehicles else fuels)
        if unknown:
            problems.append(f"{_where('infrastructure.csv', i, 'serves')}: unknown {sorted(unknown)} (basis "
                            f"{row['basis']} serves {'technologies' if vehicles else 'fuels'}).")
        capacity = "capacity_vehicles_per_unit" if vehicles else "capacity_gj_per_year_per_unit"
        if row[capacity] is None or (isinstance(row[capacity], float) and math.isnan(row[capacity])):
            problems.append(f"{_where('infrastructure.csv', i, capacity)}: needed for basis {row['basis']}.")
    return problems


def _check_financing(t: Tables) -> list[str]:
    """Financing options name known segments, technologies and infrastructure; each mode has the
    terms it needs, and a lease's payments and buy-out are shares of the price (at most 1)."""
    if "financing" not in t:
        return []
    problems = []
    segments = set(t["segments"]["segment"])
    items = set(t["technologies"]["technology"]) | set(t["infrastructure"]["infrastructure"])
    for i, row in _rows(t["financing"]):
        for column, known in (("segments", segments), ("technologies", items)):
            listed = _ids(row[column])
            if listed != ["*"] and set(listed) - known:
                problems.append(f"{_where('financing.csv', i, column)}: unknown {sorted(set(listed) - known)}; "
                                f"known {sorted(known)} or '*'.")
        unknown = set(_ids(row["applies_to"])) - {"purchase", "conversion", "infrastructure"}
        if unknown:
            problems.append(f"{_where('financing.csv', i, 'applies_to')}: unknown {sorted(unknown)}; use "
                            "purchase, conversion and/or infrastructure separated by ';'.")
        lease = row["mode"] == "lease"
        payment = row["payment_share_per_year"]
        if lease and (payment is None or (isinstance(payment, float) and math.isnan(payment))):
            problems.append(f"{_where('financing.csv', i, 'payment_share_per_year')}: a lease needs its yearly "
                            "payment as a share of the vehicle's price (e.g. 0.2).")
        if lease and set(_ids(row["applies_to"])) != {"purchase"}:
            problems.append(f"{_where('financing.csv', i, 'applies_to')}: a lease supplies vehicles; use purchase.")
        if row["end"] == "buy_out" and not lease:
            problems.append(f"{_where('financing.csv', i, 'end')}: only a lease ends in a buy-out; use transfer.")
    return problems


def _check_currencies(t: Tables) -> list[str]:
    """Every money value's currency has an exchange rate and a CPI series (fuels/cpi.csv) reaching
    back to its price year."""
    problems = []
    currencies = set(t["exchange_rates"]["currency"])
    cpi = {c: (int(g.min()), int(g.max())) for c, g in t["cpi"].groupby("currency")["year"]}
    for name, (folder, file, _model, _unique) in TABLES.items():
        frame = t[name]
        if "currency" not in frame.columns or name in ("exchange_rates", "cpi"):
            continue
        money = "price_year" in frame.columns
        for position, row in enumerate(records(frame)):
            currency, where = row["currency"], f"{folder}/{file} line {position + 2}"
            if not isinstance(currency, str) or not currency:
                continue
            if currency not in currencies:
                problems.append(f"{where}, column currency: {currency!r} has no rate in fuels/exchange_rates.csv "
                                f"{sorted(currencies)}. Add a rate row.")
            if money and currency not in cpi:
                problems.append(f"{where}, column currency: {currency!r} has no CPI rows in fuels/cpi.csv. Add its "
                                "yearly consumer price index (it brings values to the price base year).")
            elif money and not cpi[currency][0] <= row["price_year"] <= cpi[currency][1]:
                problems.append(f"{where}, column price_year: {row['price_year']} is outside the CPI years of "
                                f"{currency} in fuels/cpi.csv ({cpi[currency][0]}-{cpi[currency][1]}). "
                                "Add CPI rows or check the year.")
    return problems


def _check_fuels(t: Tables) -> list[str]:
    """Prices name known fuels; every fuel has emission factors; the constants the model needs exist."""
    problems = []
    fuels, factors = set(t["fuels"]["fuel"]), t["emission_factors"]
    for i, row in _rows(t["prices"]):
        if row["fuel"] not in fuels:
            problems.append(f"fuels/prices.csv line {i + 2}, column fuel: {row['fuel']!r} is not in fuels.csv.")
    for i, row in _rows(t["supply"]):
        if row["fuel"] not in fuels:
            problems.append(f"fuels/supply.csv line {i + 2}, column fuel: {row['fuel']!r} is not in fuels.csv.")
    for fuel in sorted(fuels - set(factors["fuel"])):
        problems.append(f"fuels/emission_factors.csv: no factor for fuel {fuel}. Add rows (application all).")
    for fuel, group in factors.groupby("fuel"):
        applications = set(group["application"])
        if "all" not in applications and not {"road", "offroad"} <= applications:
            problems.append(f"fuels/emission_factors.csv: fuel {fuel} needs an 'all' row or both 'road' and "
                            "'offroad'.")
    if "gwp100_ch4" not in set(t["constants"]["constant"]):
        problems.append("fuels/constants.csv: constant gwp100_ch4 is missing (needed for methane slip).")
    return problems
