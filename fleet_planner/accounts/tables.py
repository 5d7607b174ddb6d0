"""The plan's tables (tidy, unit-suffixed columns, sorted and rounded for byte-stable CSVs)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, MutableMapping
from functools import cache

import numpy as np
import pandas as pd

from fleet_planner.accounts.energy import EnergyAccount
from fleet_planner.accounts.fleet import FleetAccount
from fleet_planner.accounts.ledger import COST_CATEGORIES
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.accounts.vehicles import end_floor_share, in_service_premium, original_price, owned_in
from fleet_planner.loading.frames import column_tuples, has_empty_cell
from fleet_planner.schemas.plan import ROUND_CONTINUOUS, Decisions

SORT_KEYS = ("year", "segment", "technology", "from_technology", "to_technology", "model_year", "fuel", "category",
             "infrastructure", "rule")


def plan_tables(book: PriceBook, fleet: FleetAccount, decisions: Decisions, activity: dict, energy: EnergyAccount,
                ledger: pd.DataFrame, infrastructure_rows: list[tuple], claims: dict[tuple[str, int], float],
                spent: dict[int, float], caps: dict[int, float], only: Collection[str] | None = None,
                ) -> LazyTables:
    """Every table of a plan (see docs/outputs.md), each built when first read; with `only`, just
    those (a Monte Carlo sweep needs three of them).

    Long because each table is one entry of a list built on demand (the shared ones once)."""
    years, currency = book.scenario.years, book.scenario.currency
    costs = ledger.groupby(["year", "category"], as_index=False)[["cost", "discounted_cost"]].sum()
    full = pd.MultiIndex.from_product([years, COST_CATEGORIES], names=["year", "category"])
    costs = costs.set_index(["year", "category"]).reindex(full, fill_value=0.0).reset_index().assign(currency=currency)
    emissions = pd.DataFrame([(y, *energy.emissions[y]) for y in years],
                             columns=["year", "emissions_ttw_tco2e", "emissions_wtw_tco2e", "emissions_tco2e"])
    emissions["cap_tco2e"] = [caps.get(y) for y in years]
    emissions["scope"] = book.scenario.policy.emission_scope

    @cache
    def units() -> dict[str, str]:
        return book.catalogue.segments.set_index("segment")["activity_unit"].to_dict()

    @cache
    def stock() -> pd.DataFrame:
        return pd.DataFrame([(y, s, t, v, n) for ((s, t, v), y), n in fleet.stock.items()],
                            columns=["year", "segment", "technology", "model_year", "stock_count"])

    @cache
    def fleet_table() -> pd.DataFrame:
        return stock().groupby(["year", "segment", "technology"], as_index=False)["stock_count"].sum()

    @cache
    def activity_table() -> pd.DataFrame:
        return pd.DataFrame([(y, s, t, v, a, units()[s]) for ((s, t, v), y), a in activity.items()],
                            columns=["year", "segment", "technology", "model_year", "activity_au", "activity_unit"])

    @cache
    def energy_table() -> pd.DataFrame:
        return pd.DataFrame(energy.rows, columns=["year", "segment", "technology", "fuel", "energy_gj",
                                                  "energy_cost", "emissions_ttw_tco2e", "emissions_wtw_tco2e"])

    tables = {
        "plan_by_year": lambda: _plan_by_year(book, fleet, decisions, fleet_table(), costs, emissions, spent),
        "purchases": lambda: pd.DataFrame([(y, s, t, n, book.vehicle_price(s, t, y), currency)
                                   for (s, t, y), n in fleet.purchases.items()],
                                  columns=["year", "segment", "technology", "purchases_count", "unit_price",
                                           "currency"]),
        "conversions": lambda: decisions.conversions.rename(columns={"technology": "from_technology",
                                                             "count": "conversions_count"}),
        "sales": lambda: pd.DataFrame([(y, s, t, v, n,
                                        book.residual_share(s, t, y - v) * original_price(book, fleet, (s, t, v)),
                                        currency) for ((s, t, v), y), n in fleet.sales.items()],
                              columns=["year", "segment", "technology", "model_year", "sales_count",
                                       "unit_resale_value", "currency"]),
        "stock": stock, "fleet": fleet_table, "activity": activity_table,
        "duties": lambda: _duties_table(book, decisions, units()),
        "end_of_horizon": lambda: _end_of_horizon_table(book, fleet, decisions), "energy": energy_table,
        "energy_by_fuel": lambda: energy_table().groupby(["year", "fuel"], as_index=False)[
            ["energy_gj", "energy_cost"]].sum(),
        "emissions": lambda: emissions, "costs": lambda: costs,
        "cost_per_activity": lambda: _cost_per_activity(book, ledger, activity_table(), units()),
        "infrastructure": lambda: pd.DataFrame(infrastructure_rows, columns=["year", "infrastructure", "builds_count",
                                                                     "units_count", "capacity", "basis"]),
        "subsidies": lambda: pd.DataFrame([(y, r, a, currency) for (r, y), a in claims.items()],
                                  columns=["year", "rule", "subsidy_cost", "currency"]),
        "ledger": lambda: ledger,
    }
    return LazyTables({name: build for name, build in tables.items() if only is None or name in only})


class LazyTables(MutableMapping):
    """The plan's tables by name, each built (and made stable) when first read: a caller that reads
    the headline figures or three tables does not pay for the other fifteen. Pickles (and deep-copies)
    as a plain dict of every table."""

    def __init__(self, builders: dict[str, Callable[[], pd.DataFrame]]) -> None:
        self._builders, self._built = dict(builders), {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._built:
            self._built[name] = stable(self._builders[name]())
        return self._built[name]

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self._builders[name], self._built[name] = (lambda: frame), frame

    def __delitem__(self, name: str) -> None:
        del self._builders[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    def __reduce__(self):
        return dict, (dict(self.items()),)


def _plan_by_year(book: PriceBook, fleet: FleetAccount, decisions: Decisions, fleet_table: pd.DataFrame,
                  costs: pd.DataFrame, emissions: pd.DataFrame, spent: dict[int, float]) -> pd.DataFrame:
    years = book.scenario.years
    zero = {t: bool(r["zero_emission"]) for t, r in book.catalogue.index.technology_type.items()}
    by_year = pd.DataFrame({"year": years})
    by_year["purchases_count"] = [sum(n for (_s, _t, y), n in fleet.purchases.items() if y == yy) for yy in years]
    conversions = decisions.conversions.groupby("year")["count"].sum()
    by_year["conversions_count"] = [float(conversions.get(yy, 0.0)) for yy in years]
    by_year["sales_count"] = [sum(n for (_c, y), n in fleet.sales.items() if y == yy) for yy in years]
    stock = fleet_table.groupby("year")["stock_count"].sum()
    by_year["stock_count"] = [float(stock.get(yy, 0.0)) for yy in years]
    ze = fleet_table[[zero.get(t, False) for t in fleet_table["technology"]]].groupby("year")["stock_count"].sum()
    by_year["zero_emission_share"] = [float(ze.get(yy, 0.0)) / max(1.0, by_year.loc[i, "stock_count"])
                                      for i, yy in enumerate(years)]
    by_year["capex_net_cost"] = [spent.get(yy, 0.0) for yy in years]
    totals = costs.groupby("year")[["cost", "discounted_cost"]].sum()
    by_year["total_cost"] = totals["cost"].reindex(years).to_numpy()
    by_year["total_discounted_cost"] = totals["discounted_cost"].reindex(years).to_numpy()
    by_year["emissions_tco2e"] = emissions["emissions_tco2e"].to_numpy()
    by_year["currency"] = book.scenario.currency
    return by_year


def _end_of_horizon_table(book: PriceBook, fleet: FleetAccount, decisions: Decisions) -> pd.DataFrame:
    """Vehicles still in the fleet after the last year and how they are valued (end_of_horizon):
    economic, resale value for every vehicle plus the service left for those in service; leased
    ones go back with no value; 'sell' lists them as sold at the start of the next year."""
    columns = ["year", "segment", "technology", "model_year", "count", "in_service_count", "age_years",
               "value_share", "unit_value", "treatment", "currency"]
    last, mode = book.last_year, book.scenario.end_of_horizon
    premium = in_service_premium(book, fleet, decisions, last)
    rows = []
    for (cohort, y), count in sorted(fleet.stock.items()):
        if y != last:
            continue
        s, t, v = cohort
        price, age = original_price(book, fleet, cohort), last + 1 - v
        if not owned_in(fleet, cohort, last + 1):
            rows.append((last + 1, s, t, v, count, 0.0, age, 0.0, 0.0, "leased: returned", book.scenario.currency))
            continue
        floor = end_floor_share(book, fleet, cohort, last)
        above = book.end_share(s, t, fleet.lives[cohort].life_end_year - v, age) - floor
        in_service = premium.get(cohort, 0.0) / (above * price) if above > 0 and price > 0 else \
            (count if mode == "economic" else 0.0)
        total = floor * price * count + premium.get(cohort, 0.0)
        treatment = "sold" if mode == "sell" else f"valued ({mode})"
        rows.append((last + 1, s, t, v, count, in_service, age, total / (price * count) if price else 0.0,
                     total / count, treatment, book.scenario.currency))
    return pd.DataFrame(rows, columns=columns)


def _duties_table(book: PriceBook, decisions: Decisions, units: dict) -> pd.DataFrame:
    """Who does which duty band: activity and the vehicles at work on an average operating day
    (activity / (daily activity x operating days)), by year, segment, band and technology."""
    columns = ["year", "segment", "daily_activity_au", "technology", "activity_au", "vehicles_working_count",
               "activity_unit"]
    if decisions.activity.empty:
        return pd.DataFrame(columns=columns)
    table = decisions.activity.groupby(["year", "segment", "daily_activity_au", "technology"],
                                       as_index=False)["activity_au"].sum()
    table["vehicles_working_count"] = [a / (d * book.operating_days(s)) for a, d, s in
                                       zip(table["activity_au"], table["daily_activity_au"], table["segment"],
                                           strict=True)]
    table["activity_unit"] = [units[s] for s in table["segment"]]
    return table[columns]


def _cost_per_activity(book: PriceBook, ledger: pd.DataFrame, activity: pd.DataFrame, units: dict) -> pd.DataFrame:
    """Discounted cost of running each technology per discounted activity unit, excluding the resale
    or end value of vehicles already owned at the start (their purchase is sunk)."""
    own = ledger[(ledger["technology"] != "") & ~ledger["existing_asset_value"].astype(bool)]
    cost = own.groupby(["segment", "technology"])["discounted_cost"].sum()
    discounted = activity.assign(discounted_activity_au=[a * book.running_discount(y) for y, a in
                                                         zip(activity["year"], activity["activity_au"], strict=True)])
    done = discounted.groupby(["segment", "technology"])["discounted_activity_au"].sum()
    table = pd.concat([cost.rename("discounted_cost"), done], axis=1).fillna(0.0).reset_index()
    table = table[table["discounted_activity_au"] > 0].copy()
    table["cost_per_au"] = table["discounted_cost"] / table["discounted_activity_au"]
    table["activity_unit"] = [units.get(s, "") for s in table["segment"]]
    table["currency"] = book.scenario.currency
    return table


def stable(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by the key columns and round floats so the CSVs are byte-identical run to run."""
    keys = [c for c in SORT_KEYS if c in frame.columns]
    if keys and not frame.empty and not _in_order(frame, keys):
        frame = frame.sort_values(keys, kind="mergesort").reset_index(drop=True)
    if not any(pd.api.types.is_float_dtype(dtype) for dtype in frame.dtypes):
        return frame
    columns = {}  # one new frame: assigning rounded columns back cost more than the rounding
    for column, dtype in frame.dtypes.items():
        values = frame[column]
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            values = np.round(values.to_numpy(), ROUND_CONTINUOUS) + 0.0  # +0.0 turns -0.0 into 0.0
        elif pd.api.types.is_float_dtype(dtype):
            values = values.round(ROUND_CONTINUOUS) + 0.0
        columns[column] = values
    return pd.DataFrame(columns, index=frame.index)


def _in_order(frame: pd.DataFrame, keys: list[str]) -> bool:
    """True if the rows already run in key order with a plain index (most tables are built so; the
    stable sort would then change nothing). A key that does not compare (an empty cell) says no."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 or frame.index.step != 1:
        return False
    rows = column_tuples(frame, keys)
    try:
        return all(a <= b for a, b in zip(rows, rows[1:], strict=False)) and \
            not any(has_empty_cell(row) for row in rows)  # let pandas place empty cells
    except TypeError:  # mixed types in a key column
        return False
