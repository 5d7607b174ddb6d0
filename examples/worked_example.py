# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A worked example: what does the emission target cost a truck fleet?
#
# This notebook loads a shipped scenario (60 diesel trucks of a warehouse operator in Santiago,
# emissions -30 % by 2030 and zero tailpipe emissions by 2040), plans it, changes one assumption
# (no emission target at all), plans again and compares the two plans in tables and charts.
#
# It is kept as a plain Python file in jupytext's percent format: open it in Jupyter with
# jupytext installed (`pip install jupytext`), or run it as a script. It runs from `examples/`.

# %%
from pathlib import Path

import pandas as pd
import plotly.express as px

from fleet_planner import load_scenario, optimise
from fleet_planner.reporting.charts import catalogue_colors, catalogue_patterns, figures

SCENARIO = Path.cwd().resolve().parent / "scenarios" / "logistics-trucks-staged.yaml"
QUICK = ["solver.mip_gap=0.01"]  # stop at a 1 % gap: seconds instead of the scenario's 0.1 %

# %% [markdown]
# ## 1. Load the scenario and plan it
#
# `overrides` are the `--set KEY.PATH=VALUE` of the command line. `optimise` plans the baseline
# (diesel only, the same freedoms) and the least-cost plan, then re-checks the plan with the
# independent accounts.

# %%
scenario = load_scenario(SCENARIO, overrides=QUICK)
staged = optimise(scenario)
HEADLINES = ["npv_cost", "baseline_npv_cost", "emissions_tco2e", "baseline_emissions_tco2e", "avoided_tco2e",
             "abatement_cost_per_tco2e"]
pd.Series(staged.summary)[["status", "currency", *HEADLINES]]

# %% [markdown]
# What to buy when (vehicles per year and technology):

# %%
staged.tables["purchases"].pivot_table(index="year", columns=["segment", "technology"], values="purchases_count",
                                       aggfunc="sum", fill_value=0)

# %% [markdown]
# ## 2. The report's charts, inline
#
# `figures` draws every chart of the HTML report from the plan's tables; colours and patterns come
# from the catalogue, so a technology looks the same in every chart.

# %%
charts = figures(staged.tables, catalogue_colors(staged.catalogue.tables), catalogue_patterns(staged.catalogue.tables))
charts["fleet_composition"]

# %%
charts["emissions"]

# %% [markdown]
# ## 3. Change an assumption: no emission target
#
# The same scenario with `policy.emission_cap` removed (`--set policy.emission_cap=null` on the
# command line). The difference between the two plans is what the target costs.

# %%
no_target = optimise(load_scenario(SCENARIO, overrides=[*QUICK, "policy.emission_cap=null"]))
plans = {"staged target": staged, "no target": no_target}
comparison = pd.DataFrame({name: pd.Series(plan.summary)[HEADLINES] for name, plan in plans.items()})
comparison

# %%
extra_cost = staged.summary["npv_cost"] - no_target.summary["npv_cost"]
avoided = no_target.summary["emissions_tco2e"] - staged.summary["emissions_tco2e"]
print(f"The target costs {extra_cost:,.0f} {staged.summary['currency']} (NPV) and avoids {avoided:,.0f} tCO2e: "
      f"{extra_cost / avoided:,.1f} {staged.summary['currency']}/tCO2e against planning without it.")

# %% [markdown]
# ## 4. The two plans side by side

# %%
emissions = pd.concat([plan.tables["emissions"].assign(plan=name) for name, plan in plans.items()])
px.line(emissions, x="year", y="emissions_tco2e", color="plan", markers=True,
        title="Emissions of the two plans [tCO2e/year]")

# %%
fleets = pd.concat([plan.tables["fleet"].assign(plan=name) for name, plan in plans.items()])
stock = fleets.groupby(["plan", "year", "technology"], as_index=False)["stock_count"].sum()
px.bar(stock, x="year", y="stock_count", color="technology", facet_row="plan",
       title="Vehicles in the fleet by technology")
