"""The model as handed to HiGHS (optimisation/scaling.py): activity-valued columns in units of 1,024,
an exact rescaling; an MPS file is of the model as built."""

from __future__ import annotations

import highspy
import numpy as np
from conftest import SCENARIOS

from fleet_planner.analysis.runs import prepare_run
from fleet_planner.loading.scenario import load_scenario
from fleet_planner.optimisation.model import pass_to_highs
from fleet_planner.optimisation.scaling import ACTIVITY_UNIT_AU, scaled_for_solver
from fleet_planner.optimisation.solve import solve


def _row_activity(arrays: dict, plan: np.ndarray) -> np.ndarray:
    """Each row's sum of coefficient x value, term by term in the arrays' order."""
    rows = len(arrays["row_lower"])
    row_of = np.repeat(np.arange(rows), np.diff(np.append(arrays["a_start"], len(arrays["a_value"]))))
    return np.bincount(row_of, weights=arrays["a_value"] * plan[arrays["a_index"]], minlength=rows)


def test_the_scaled_model_is_the_same_model_to_the_bit():
    """Every activity, wear and unmet-activity column is in units of 1,024 au, nothing else is scaled,
    and a plan's cost and row activities are bit for bit those of the model as built."""
    model = prepare_run(load_scenario(SCENARIOS / "logistics-trucks-staged.yaml")).model
    arrays = model.csr()
    scaled, col_scale = scaled_for_solver(model, arrays)
    activity_like = {*model.activity.values(), *model.wear.values(), *model.unmet_activity.values()}
    assert activity_like and set(np.flatnonzero(col_scale != 1.0)) == activity_like
    assert set(col_scale) == {1.0, ACTIVITY_UNIT_AU}
    plan = np.random.default_rng(0).uniform(0, 1e4, len(col_scale))
    in_solver_units = plan / col_scale
    assert np.array_equal(_row_activity(scaled, in_solver_units), _row_activity(arrays, plan))
    assert scaled["col_cost"] @ in_solver_units == arrays["col_cost"] @ plan
    assert np.array_equal(scaled["row_lower"], arrays["row_lower"])


def test_an_mps_file_is_of_the_model_as_built(tmp_path):
    model = prepare_run(load_scenario(SCENARIOS / "logistics-forklifts.yaml")).model
    path = tmp_path / "model.mps"
    result = solve(model, mps_path=str(path), time_limit_s=60)
    assert result.has_plan
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    written = h.getLp()
    assert np.allclose(written.col_cost_, model.col_cost)  # scaled, activity costs would be 1,024 x
    built = highspy.Highs()
    built.setOptionValue("output_flag", False)
    pass_to_highs(built, model.csr())
    values, expected = (np.abs(np.asarray(lp.a_matrix_.value_)) for lp in (written, built.getLp()))
    assert len(values) == len(expected) and np.isclose(values.sum(), expected.sum(), rtol=1e-12)


def test_a_model_without_wear_rows_is_handed_over_as_built(tiny):
    """The rescaling paid only where wear rows mix vehicle counts with allowances of 1e5 km."""
    model = prepare_run(tiny()).model
    assert not model.wear
    arrays = model.csr()
    scaled, col_scale = scaled_for_solver(model, arrays)
    assert scaled is arrays and (col_scale == 1.0).all()
