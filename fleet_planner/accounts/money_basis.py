"""Every money value of the catalogue as given and as used: the deflator, exchange rate and tax
factor that bring it to the scenario's basis (real money of the price base year, the scenario
currency, the owner's VAT position). Shown by `fleet-planner catalogue --scenario` and in the
report's appendix, so a reader can check each conversion by hand."""

from __future__ import annotations

import pandas as pd

from fleet_planner.accounts.prices import PriceBook
from fleet_planner.loading.frames import records
from fleet_planner.schemas.catalogue import TABLES

MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "technology_years": ("purchase_price",),
    "technologies": ("fixed_om_cost_per_year", "variable_om_cost_per_au"),
    "conversions": ("conversion_cost",),
    "component_prices": ("price_per_unit",),
    "infrastructure": ("capex_cost_per_unit", "fixed_om_cost_per_unit_year"),
    "prices": ("price_per_unit",),
}
COLUMNS = ("table", "file", "key", "field", "value", "currency", "price_year", "tax_basis", "deflator", "exchange_rate",
           "tax_factor", "value_used", "currency_used")


def money_basis_table(book: PriceBook, tables: tuple[str, ...] = tuple(MONEY_COLUMNS)) -> pd.DataFrame:
    """One row per catalogue money value: as given, the three factors, and as used."""
    scenario = book.scenario
    base = scenario.price_base_year
    rows = []
    for name in tables:
        folder, file, _model, keys = TABLES[name]
        frame = book.catalogue.tables[name]
        if name == "prices":
            frame = frame[frame["region"] == scenario.region]
        for row in records(frame):
            for field in MONEY_COLUMNS[name]:
                value, currency, year = float(row[field]), str(row["currency"]), int(row["price_year"])
                deflator = book.real(1.0, currency, year) / book.real(1.0, currency, base)
                exchange = book.real(1.0, currency, base)
                used = book.money(row, field)
                rows.append({
                    "table": name, "file": f"{folder}/{file}", "key": " / ".join(str(row[k]) for k in keys),
                    "field": field, "value": value, "currency": currency, "price_year": year,
                    "tax_basis": row["tax_basis"], "deflator": deflator, "exchange_rate": exchange,
                    "tax_factor": used / (value * deflator * exchange) if value else 1.0, "value_used": used,
                    "currency_used": scenario.currency})
    return pd.DataFrame.from_records(rows, columns=list(COLUMNS))
