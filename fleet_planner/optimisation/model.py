"""FleetModel: a sparse MILP held as columns and rows of (column, coefficient) terms.

Columns are integers, so building stays linear in the number of non-zeros and the hand-off to
HiGHS is a single CSR `passModel` (no per-row API calls, no file). `to_pulp()` turns the same
model into a `pulp.LpProblem` for CBC and for LP/MPS export; both solvers therefore see the
identical model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SENSES = {"<=": -1, ">=": 1, "==": 0}
MONEY_ROWS = frozenset({"capex_budget", "upfront_max", "subsidy_eligible", "subsidy_cap", "financing_limit",
                        "battery_limit"})
"""Row blocks in model money units (FleetModel.money_scale); so is a diagnosis slack on one of them."""


@dataclass
class FleetModel:
    """Columns, rows and objective of the fleet MILP, plus the index of every decision."""

    name: str
    col_name: list[str] = field(default_factory=list)
    col_lower: list[float] = field(default_factory=list)
    col_upper: list[float] = field(default_factory=list)
    col_integer: list[bool] = field(default_factory=list)
    col_cost: list[float] = field(default_factory=list)
    row_block: list[str] = field(default_factory=list)
    row_key: list[tuple] = field(default_factory=list)
    row_sense: list[int] = field(default_factory=list)
    row_rhs: list[float] = field(default_factory=list)
    row_start: list[int] = field(default_factory=lambda: [0])
    row_index: list[int] = field(default_factory=list)
    row_value: list[float] = field(default_factory=list)
    objective_offset: float = 0.0
    money_scale: float = 1.0
    """Currency per model money unit: the objective, the money columns (subsidy claims, financed
    amounts) and the money rows (budgets, grant limits, financing limits) are in currency /
    money_scale, so their coefficients stay near 1e-3..1e4 (a bus budget of 700 M CLP in CLP made
    HiGHS's root cut loop take 11 s of a 13 s solve; in millions, 3 s in all)."""
    sale_tie_break: float = 0.0
    """Objective cost per vehicle sold that no one pays (model units): of plans of equal cost, the one
    that sells fewer vehicles is taken. Left out of the NPV (pipeline._penalty_cost)."""
    # decisions and derived quantities: {index tuple: column}
    purchase: dict = field(default_factory=dict)
    conversion: dict = field(default_factory=dict)
    sale: dict = field(default_factory=dict)
    financing: dict = field(default_factory=dict)  # (decision key, option) -> money a loan, ESCO or battery lease pays
    lease: dict = field(default_factory=dict)  # (option, s, t, y) -> new vehicles supplied by a lease
    buy_out: dict = field(default_factory=dict)  # (leased cohort, lease end year) -> vehicles bought out
    stock: dict = field(default_factory=dict)
    activity: dict = field(default_factory=dict)  # (cohort, band daily au, y) -> au done in that duty band
    duty_vehicles: dict = field(default_factory=dict)  # (cohort, band, y) -> whole vehicles (one_duty_per_vehicle)
    in_service: dict = field(default_factory=dict)  # cohort -> vehicles in service in the last year (economic end)
    in_service_terms: dict = field(default_factory=dict)  # in_service column -> (stock column, [(activity col, vehicles per au)])
    wear: dict = field(default_factory=dict)  # (cohort, part, y) -> activity beyond the part's allowance
    wear_terms: dict = field(default_factory=dict)  # wear column -> (activity columns, stock column, allowance)
    fuel: dict = field(default_factory=dict)
    build: dict = field(default_factory=dict)
    allocation: dict = field(default_factory=dict)
    subsidy: dict = field(default_factory=dict)
    held: dict = field(default_factory=dict)  # (s, t, y) -> vehicles held for a grant
    unmet_activity: dict = field(default_factory=dict)  # (s, band, y)
    unmet_vehicles: dict = field(default_factory=dict)
    slack: dict = field(default_factory=dict)  # (block, key) -> column, diagnosis runs only

    def add_column(self, prefix: str, *, integer: bool = False, lower: float = 0.0,
                   upper: float = float("inf")) -> int:
        """Add a decision column; names are short and index-based (readable names live in the dicts)."""
        column = len(self.col_name)
        self.col_name.append(f"{prefix}_{column}")
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.col_integer.append(integer)
        self.col_cost.append(0.0)
        return column

    def add_cost(self, column: int, cost: float) -> None:
        self.col_cost[column] += cost

    def add_row(self, block: str, key: tuple, terms: list[tuple[int, float]], sense: str, rhs: float) -> int:
        """Add sum(coef * column) <sense> rhs. Terms on the same column are merged."""
        terms = terms if isinstance(terms, list) else list(terms)
        merged: dict[int, float] = dict(terms)  # most rows name each column once
        if len(merged) != len(terms):
            merged = {}
            for column, coef in terms:
                merged[column] = merged.get(column, 0.0) + coef
        row = len(self.row_block)
        self.row_block.append(block)
        self.row_key.append(key)
        self.row_sense.append(SENSES[sense])
        self.row_rhs.append(float(rhs))
        self.row_index.extend(merged)
        self.row_value.extend(merged.values())
        self.row_start.append(len(self.row_index))
        return row

    @property
    def num_columns(self) -> int:
        return len(self.col_name)

    @property
    def num_rows(self) -> int:
        return len(self.row_block)

    @property
    def num_nonzeros(self) -> int:
        return len(self.row_index)

    @property
    def num_integer(self) -> int:
        return sum(self.col_integer)

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        rhs = np.asarray(self.row_rhs, dtype=float)
        sense = np.asarray(self.row_sense, dtype=int)
        lower = np.where(sense >= 0, rhs, -np.inf)
        upper = np.where(sense <= 0, rhs, np.inf)
        return lower, upper

    def csr(self) -> dict[str, np.ndarray]:
        """Arrays for highspy.Highs.passModel (row-wise matrix)."""
        lower, upper = self.row_bounds()
        return {
            "col_cost": np.asarray(self.col_cost, dtype=float),
            "col_lower": np.asarray(self.col_lower, dtype=float),
            "col_upper": np.asarray(self.col_upper, dtype=float),
            "row_lower": lower,
            "row_upper": upper,
            "a_start": np.asarray(self.row_start[:-1], dtype=np.int32),
            "a_index": np.asarray(self.row_index, dtype=np.int32),
            "a_value": np.asarray(self.row_value, dtype=float),
            "integrality": np.asarray(self.col_integer, dtype=np.int32),
            "offset": float(self.objective_offset),
        }

    def to_pulp(self):
        """The same model as a pulp.LpProblem (for CBC and LP/MPS export). Returns (problem, variables)."""
        import pulp

        problem = pulp.LpProblem(self.name.replace(" ", "_")[:40] or "fleet", pulp.LpMinimize)
        variables = [
            pulp.LpVariable(name, lowBound=lo if np.isfinite(lo) else None, upBound=up if np.isfinite(up) else None,
                            cat=pulp.LpInteger if integer else pulp.LpContinuous)
            for name, lo, up, integer in zip(self.col_name, self.col_lower, self.col_upper, self.col_integer,
                                             strict=True)
        ]
        problem.setObjective(pulp.LpAffineExpression(
            [(variables[c], cost) for c, cost in enumerate(self.col_cost) if cost], constant=self.objective_offset
        ))
        senses = {-1: pulp.LpConstraintLE, 1: pulp.LpConstraintGE, 0: pulp.LpConstraintEQ}
        for row in range(self.num_rows):
            start, end = self.row_start[row], self.row_start[row + 1]
            expression = pulp.LpAffineExpression(
                [(variables[c], v) for c, v in zip(self.row_index[start:end], self.row_value[start:end], strict=True)]
            )
            problem.addConstraint(
                pulp.LpConstraint(expression, senses[self.row_sense[row]], name=f"r_{row}", rhs=self.row_rhs[row])
            )
        return problem, variables


def pass_to_highs(h, arrays: dict[str, np.ndarray], integrality: np.ndarray | None = None) -> None:
    """Hand FleetModel.csr() arrays to a highspy.Highs in one passModel call; integrality, if given,
    replaces the arrays' own (all zeros: the LP relaxation)."""
    h.passModel(len(arrays["col_cost"]), len(arrays["row_lower"]), len(arrays["a_value"]), 2, 1, arrays["offset"],
                arrays["col_cost"], arrays["col_lower"], arrays["col_upper"], arrays["row_lower"],
                arrays["row_upper"], arrays["a_start"], arrays["a_index"], arrays["a_value"],
                np.asarray(arrays["integrality"] if integrality is None else integrality, dtype=np.int32))
