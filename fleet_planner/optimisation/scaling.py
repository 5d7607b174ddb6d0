"""The model as HiGHS receives it: activity-valued columns (activity, wear, unmet activity) in units
of 1,024 activity units; every scale a power of two, so the scaled model is the same numbers shifted.

Why: activity is in km or hours (a truck's yearly cap is 1.2e5 km) while vehicles are counted in
ones, so rows mixing the two (wear beyond a part's allowance, infrastructure capacity) carried
coefficients up to 1e5 beside 1, and HiGHS's own scaling does not reach the cuts and heuristics of
its MIP search (bench/README.md, "Scaling"). Only models with wear rows (activity beyond a part's
allowance, whose stock coefficients reach 1.2e5 km) are rescaled: measured on the trucks' plan,
10.1 -> 1.5 s of HiGHS CPU (the bus and the forklifts, which have them too, about the same either
way); the synthetic 200-vehicle benchmark, which has none, took 3.7-4.8 s instead of 3.4-3.5 s
rescaled, so it is left as built.
"""

from __future__ import annotations

import numpy as np

from fleet_planner.optimisation.model import FleetModel

ACTIVITY_UNIT_AU = 1024.0
"""Activity units per solver unit of an activity-valued column."""


def scaled_for_solver(model: FleetModel, arrays: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """(arrays of the scaled model, column scales): a column's value in the model = its value in the
    scaled model x its scale; rows and objective keep their meaning."""
    col_scale = np.ones(len(arrays["col_cost"]))
    if not model.wear:  # measured: without wear rows the rescaling did not pay (module docstring)
        return arrays, col_scale
    for index in (model.activity, model.wear, model.unmet_activity):
        if index:
            col_scale[np.fromiter(index.values(), dtype=np.int64, count=len(index))] = ACTIVITY_UNIT_AU
    scaled = dict(arrays)
    scaled["a_value"] = arrays["a_value"] * col_scale[arrays["a_index"]]
    scaled["col_cost"] = arrays["col_cost"] * col_scale
    scaled["col_lower"] = arrays["col_lower"] / col_scale
    scaled["col_upper"] = arrays["col_upper"] / col_scale
    return scaled, col_scale


def as_built(scaled: dict[str, np.ndarray], col_scale: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays of the model as built, back from those of scaled_for_solver (exact: powers of two)."""
    arrays = dict(scaled)
    arrays["a_value"] = scaled["a_value"] / col_scale[scaled["a_index"]]
    arrays["col_cost"] = scaled["col_cost"] / col_scale
    arrays["col_lower"] = scaled["col_lower"] * col_scale
    arrays["col_upper"] = scaled["col_upper"] * col_scale
    return arrays
