"""Tightening by the model's structure: the same plans, described so that HiGHS branches well.

Every stock column is integral in every plan (the initial fleet is whole vehicles and every flow
into or out of a cohort, purchases, conversions, sales, lease returns and buy-outs, is an integer
column), so declaring the stock integer changes no plan and no optimum. It lets HiGHS branch on
fleet sizes directly and makes its rounding heuristics keep whole fleets.

Measured (bench/README.md, "Formulation by structure"), it is not a win everywhere: on the
synthetic 200-vehicle case (one duty band per segment) it reached 0.1 % in 24 s CPU where the
continuous stock stopped at 0.17 % after 30 s, and was neutral on the 50-vehicle case; on the
shipped scenarios, whose segments have several duty bands, it was 15 % faster on the forklifts and
28 % slower on the trucks. So it is declared only where every segment has a single duty band
(every vehicle of a segment has the same yearly activity cap) and the model has at most
INTEGER_STOCK_MAX_COLUMNS stock columns (larger models were not shown to gain).
"""

from __future__ import annotations

from fleet_planner.optimisation.inputs import ModelInputs
from fleet_planner.optimisation.model import FleetModel

INTEGER_STOCK_MAX_COLUMNS = 5_000
"""Above this many stock columns the stock stays continuous (see the module docstring)."""


def integer_stock_helps(model: FleetModel, inputs: ModelInputs) -> bool:
    """The rule: whole initial counts (so the stock is integral), one duty band per segment, and a
    model small enough."""
    whole = all(float(a["initial_count"]).is_integer() for a in inputs.cohorts.values())
    single_band = all(len(bands) <= 1 for bands in inputs.duty_bands.values())
    return whole and single_band and 0 < len(model.stock) <= INTEGER_STOCK_MAX_COLUMNS


def define_integer_stock(model: FleetModel, inputs: ModelInputs, *, force: bool | None = None) -> bool:
    """Declare the stock columns integer where integer_stock_helps (or force says so); returns
    whether it did. Not in diagnosis runs' slack or unmet columns, which stay continuous."""
    if not (integer_stock_helps(model, inputs) if force is None else force):
        return False
    for column in model.stock.values():
        model.col_integer[column] = True
    return True
