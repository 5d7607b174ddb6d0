"""The value of what is left after the last year, as the accounts compute it (the scenario's
end_of_horizon; docs/model.md). Written from the definition, year by year, not from the model's
closed form: 'economic' values a vehicle by the discounted years of service it has left, out of
the discounted years of its whole life, applied to its price net of its discounted end-of-life
value, plus that value."""

from __future__ import annotations

from collections.abc import Callable


def discounted_years(rate: float, years: int) -> float:
    """sum_{j=1..years} (1 + rate)^-j. [a]"""
    return sum((1 + rate) ** -j for j in range(1, max(0, years) + 1))


def vehicle_end_share(mode: str, rate: float, life_years: int, age: int, resale: Callable[[int], float]) -> float:
    """Share of the purchase price the vehicle counts for after the horizon. [-]"""
    if mode == "none":
        return 0.0
    left = life_years - age
    if mode != "economic" or left <= 0:
        return resale(age)
    at_end = resale(life_years)
    net_cost = 1.0 - at_end / (1 + rate) ** life_years
    return net_cost * discounted_years(rate, left) / discounted_years(rate, life_years) + at_end / (1 + rate) ** left


def infrastructure_end_share(mode: str, rate: float, lifetime_years: int, age: int) -> float:
    """Share of a unit's capex still to be used after the horizon, at `age` years then. [-]"""
    left = lifetime_years - age
    if mode == "none" or left <= 0:
        return 0.0
    if mode == "economic":
        return discounted_years(rate, left) / discounted_years(rate, lifetime_years)
    return left / lifetime_years
