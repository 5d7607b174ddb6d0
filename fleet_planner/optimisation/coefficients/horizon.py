"""What is left after the last modelled year, by the scenario's end_of_horizon treatment.

economic (default): a vehicle is worth the service it still has to give. Over its life L (years)
it costs its price P less its end-of-life value R discounted, spread evenly as a capital-recovery
annuity; at age a, with n = L - a years left, it is worth the annuity of those n years plus R:
    share(a) = (1 - R (1+r)^-L) x AF(n) / AF(L) + R (1+r)^-n,   AF(k) = (1 - (1+r)^-k) / r (k if r = 0)
so a vehicle bought in the last year is charged one year of its cost, wherever the horizon stops.
resale and sell: its resale value at that age (residual_values.csv); none: nothing.
Infrastructure: economic, the annuity share of the years left, AF(n) / AF(L); resale and sell,
the straight-line unused share; none, nothing.
"""

from __future__ import annotations

from collections.abc import Callable


def annuity_factor(rate: float, years: float) -> float:
    """Present value of 1 a year for `years` years. [a]"""
    if years <= 0:
        return 0.0
    return years if rate == 0 else (1 - (1 + rate) ** -years) / rate


def vehicle_end_share(mode: str, rate: float, life_years: int, age: int,
                      residual: Callable[[int], float]) -> float:
    """Share of the purchase price a vehicle of `age` is worth after the horizon; residual(age) is
    its resale share at an age. [-]"""
    if mode == "none":
        return 0.0
    if mode in ("resale", "sell"):
        return residual(age)
    left = life_years - age
    if left <= 0:
        return residual(age)
    end_value = residual(life_years)
    return ((1 - end_value * (1 + rate) ** -life_years) * annuity_factor(rate, left) / annuity_factor(rate, life_years)
            + end_value * (1 + rate) ** -left)


def infrastructure_end_share(mode: str, rate: float, lifetime_years: int, build_year: int, last_year: int) -> float:
    """Share of an infrastructure unit's capex still to be used after the last year. [-]"""
    left = lifetime_years - (last_year + 1 - build_year)
    if mode == "none" or left <= 0:
        return 0.0
    if mode == "economic":
        return annuity_factor(rate, left) / annuity_factor(rate, lifetime_years)
    return left / lifetime_years
