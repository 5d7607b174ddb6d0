"""The client plan file: a plan a client already has, as fleet decisions only.

One row per decision, CSV or Excel (first sheet), with the header

kind,year,segment,technology,to_technology,model_year,infrastructure,count

kind is one of FLEET_KINDS. `count` may also be called `value` (a `decisions.csv` written by
`fleet-planner plan` is read as it is). model_year names the cohort a sale or conversion takes
vehicles from; left blank, the tool chooses the cohorts (oldest first is not assumed: the
cheapest way to run the fleet decides). Activity by cohort and fuel use (the other kinds of
`decisions.csv`) may be given too: where present they are respected; a file with both activity
and fuel rows is a complete plan and is evaluated as it is.
"""

from __future__ import annotations

FLEET_KINDS = ("purchase", "conversion", "sale", "lease_buy_out", "infrastructure_build")
"""Decisions of the fleet itself: what is bought, converted, sold and built."""
OPERATION_KINDS = ("activity", "duty_vehicles", "fuel")
"""How the fleet is run; the tool chooses them where the file leaves them out."""
IGNORED_KINDS = ("subsidy_claim", "unmet_activity", "unmet_vehicles")
"""Kinds of a complete decisions.csv that a fleet-decisions plan leaves to the tool (grants are
claimed as the rules allow; unmet demand is measured, not declared)."""

TEMPLATE_COLUMNS = ["kind", "year", "segment", "technology", "to_technology", "model_year", "infrastructure", "count"]
REQUIRED = {
    "purchase": ("year", "segment", "technology"),
    "conversion": ("year", "segment", "technology", "to_technology"),
    "sale": ("year", "segment", "technology"),
    "lease_buy_out": ("year", "segment", "technology", "model_year"),
    "infrastructure_build": ("year", "infrastructure"),
}
ANY_COHORT_KINDS = ("sale", "conversion")
"""Kinds whose model_year may be left blank (the tool picks the cohorts)."""
CLIENT_PLAN_LABEL = "client plan"
"""summary.csv plan_kind of an evaluated client plan (an optimised plan says "optimised")."""
