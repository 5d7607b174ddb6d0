"""Plotly charts of a plan, drawn from the plan tables alone (one module per subject)."""

from fleet_planner.reporting.charts.costs import cost_by_group
from fleet_planner.reporting.charts.plan import CHART_NAMES, SECTION_CHARTS, figures
from fleet_planner.reporting.charts.style import catalogue_colors, catalogue_patterns, milestone_years

__all__ = ["CHART_NAMES", "SECTION_CHARTS", "catalogue_colors", "catalogue_patterns", "cost_by_group", "figures", "milestone_years"]
