"""The catalogue against published figures (vehicles/calibration.csv): each row's verdict must say
'inside' exactly when the catalogue's implied value lies in the published range, and explain why
not otherwise; the catalogue's values are computed by fleet_planner/accounts/calibration.py for the
reference owner (VAT-registered, Santiago, USD of 2025, 8 % discount rate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleet_planner.accounts.calibration import calibration_table, catalogue_value, reference_scenario
from fleet_planner.accounts.prices import PriceBook
from fleet_planner.loading import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def table():
    catalogue = load_catalogue(ROOT / "vehicles", ROOT / "fuels")
    return calibration_table(PriceBook(reference_scenario(catalogue), catalogue))


def test_every_verdict_matches_the_catalogue(table):
    wrong = table[table["inside"] != (table["verdict"] == "inside")]
    assert wrong.empty, wrong[["segment", "technology", "metric", "catalogue_value", "published_low",
                               "published_high", "verdict"]].to_string()


def test_a_figure_outside_says_why(table):
    outside = table[~table["inside"]]
    assert outside["verdict"].str.startswith("outside").all()
    assert outside["verdict"].str.len().gt(80).all(), "say what differs (market, year, what the figure includes)"


def test_every_segment_and_zero_emission_technology_is_calibrated(table):
    covered = set(zip(table["segment"], table["technology"], strict=True))
    for segment in ("forklift_2_5t", "truck_rigid_12t", "truck_tractor_40t", "minibus_senior", "bus_12m"):
        assert (segment, "bev") in covered, segment
    assert table["inside"].sum() >= 20


def test_catalogue_values_by_hand():
    """Units of the comparison: the rigid diesel truck's 7.76 MJ/km is 21.5 L/100 km at 36.1 MJ/L,
    its 2.7 MJ/km BEV is 0.75 kWh/km; the forklift's 94.6 MJ/h of LPG is 94.6 / 25.5 x 0.54 kg/h."""
    catalogue = load_catalogue(ROOT / "vehicles", ROOT / "fuels")
    book = PriceBook(reference_scenario(catalogue), catalogue)
    assert catalogue_value(book, "truck_rigid_12t", "diesel", "energy_use_per_au", "L/100 km") == pytest.approx(
        7.76 / 36.1 * 100)
    assert catalogue_value(book, "truck_rigid_12t", "bev", "energy_use_per_au", "kWh/km") == pytest.approx(0.75)
    assert catalogue_value(book, "forklift_2_5t", "lpg", "energy_use_per_au", "kg/h") == pytest.approx(
        94.6 / 25.5 * 0.54)
