"""`fleet-planner catalogue`: the catalogue's key figures as given and as used in one scenario's
money basis, with sources and grades, and how the catalogue sits against published figures."""

from __future__ import annotations

import pandas as pd

from fleet_planner.accounts.calibration import calibration_table
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.loading.catalogue import Catalogue
from fleet_planner.schemas.scenario import Scenario


def catalogue_listing(scenario: Scenario, catalogue: Catalogue, year: int) -> str:
    """Vehicles and fuels of `year` (price as given and as used), then the calibration summary."""
    book = PriceBook(scenario, catalogue)
    grades = dict(zip(catalogue.sources["source_id"], catalogue.sources["grade"], strict=True))

    def graded(ids: str) -> str:
        return ";".join(f"{i}({grades.get(i, '?')})" for i in str(ids).split(";"))

    basis = (f"money as used: {scenario.currency} of {scenario.price_base_year}, "
             + ("net of VAT (owner recovers it)" if scenario.taxes.vat_recoverable else "with VAT (owner pays it)"))
    vehicles = []
    for row in catalogue.technology_years.to_dict("records"):
        s, t = row["segment"], row["technology"]
        if int(row["year"]) != _nearest_listed(catalogue, s, t, year):
            continue
        vehicles.append({"segment": s, "technology": t, "listed_year": row["year"],
                         "price_given": f"{row['purchase_price']:,.0f} {row['currency']} {row['price_year']} {row['tax_basis']}",
                         "price_used": f"{book.money(row, 'purchase_price'):,.0f}", "energy_mj_per_au": row["energy_mj_per_au"],
                         "lifetime_years": book.lifetime_years(s, t), "source (grade)": graded(row["source_id"])})
    fuels = []
    prices = catalogue.prices[catalogue.prices["region"] == scenario.region]
    for f in catalogue.fuels["fuel"]:
        rows = prices[prices["fuel"] == f]
        if rows.empty:
            continue
        row = rows.iloc[(rows["year"] - year).abs().argmin()].to_dict()
        fuels.append({"fuel": f, "price_given": f"{row['price_per_unit']:,.4g} {row['currency']}/"
                      f"{catalogue.index.fuel[f]['physical_unit']} {row['price_year']} {row['tax_basis']}",
                      "price_used_per_gj": f"{book.fuel_price_per_gj(next(iter(scenario.demand)), f, year):,.2f}",
                      "ttw_kgco2e_per_gj": _factor(catalogue, f, year, "ttw"),
                      "wtw_kgco2e_per_gj": _factor(catalogue, f, year, "wtw"), "source (grade)": graded(row["source_id"])})
    calibration = calibration_table(book)
    outside = calibration[~calibration["inside"]]
    lines = [f"Vehicles ({year}; {basis}): purchase price as given and as used, energy [MJ per activity unit]",
             _frame(pd.DataFrame(vehicles)),
             f"\nFuels ({year}): price as given and per GJ as used [{scenario.currency}/GJ], emission factors",
             _frame(pd.DataFrame(fuels)),
             f"\nCalibration (vehicles/calibration.csv): {int(calibration['inside'].sum())} of {len(calibration)} "
             "published figures contain the catalogue's value; outside:"]
    lines += [f"  {r.segment}/{r.technology} {r.metric}: catalogue {r.catalogue_value:.3g} vs "
              f"{r.published_low:.3g}-{r.published_high:.3g} {r.unit}" for r in outside.itertuples()]
    return "\n".join(lines)


def _nearest_listed(catalogue: Catalogue, s: str, t: str, year: int) -> int:
    table = catalogue.technology_years
    years = table[(table["segment"] == s) & (table["technology"] == t)]["year"].astype(int)
    return int(years.iloc[(years - year).abs().argmin()])


def _factor(catalogue: Catalogue, f: str, year: int, scope: str) -> str:
    rows = catalogue.emission_factors[(catalogue.emission_factors["fuel"] == f)]
    rows = rows[rows["application"] == "all"] if (rows["application"] == "all").any() else rows
    if rows.empty:
        return ""
    row = rows.iloc[(rows["year"] - year).abs().argmin()]
    return f"{row[f'{scope}_kgco2e_per_gj']:.1f}"


def _frame(frame: pd.DataFrame) -> str:
    with pd.option_context("display.width", 220, "display.max_columns", 20, "display.max_colwidth", 70):
        return frame.to_string(index=False)
