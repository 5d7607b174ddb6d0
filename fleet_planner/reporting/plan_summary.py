"""The few lines `fleet-planner plan` prints about a plan: status, NPV against the baselines,
emissions, milestone years and what each segment buys."""

from __future__ import annotations


def plan_summary(result) -> str:
    """Terminal summary of a PlanResult (its summary and tables)."""
    s = result.summary
    cur = s["currency"]
    lines = [f"Status: {s['status']}" + (f" (MIP gap {s['mip_gap']:.3%})" if s["mip_gap"] is not None else ""),
             f"NPV of total cost: {s['npv_cost']:,.0f} {cur} (baseline {s['baseline_npv_cost']:,.0f}; "
             f"saving {s['npv_saving_cost']:,.0f})",
             f"Emissions over the horizon ({s['emission_scope']}): {s['emissions_tco2e']:,.0f} tCO2e "
             f"(baseline {s['baseline_emissions_tco2e']:,.0f}; avoided {s['avoided_tco2e']:,.0f})"]
    if s["abatement_cost_per_tco2e"] is not None:
        lines.append(f"Abatement cost: {s['abatement_cost_per_tco2e']:,.1f} {cur}/tCO2e avoided")
    lines.append(f"Baseline = the baseline technology with the plan's freedoms (early sales allowed). "
                 f"Like-for-like replacement instead: NPV {s['like_for_like_npv_cost']:,.0f} {cur}, "
                 f"{s['like_for_like_emissions_tco2e']:,.0f} tCO2e"
                 + (f", abatement {s['abatement_cost_vs_like_for_like_per_tco2e']:,.1f} {cur}/tCO2e"
                    if s["abatement_cost_vs_like_for_like_per_tco2e"] is not None else ""))
    em = result.tables["emissions"]
    years = sorted({result.inputs.first_year, *[y for y in em["year"] if y % 5 == 0], result.inputs.last_year})
    lines.append("Emissions at milestone years [tCO2e]: " + ", ".join(
        f"{y}: {em.loc[em['year'] == y, 'emissions_tco2e'].iloc[0]:,.0f}"
        + (f" (cap {c:,.0f})" if (c := em.loc[em['year'] == y, 'cap_tco2e'].iloc[0]) == c and c is not None else "")
        for y in years))
    purchases = result.tables["purchases"]
    conversions = result.tables["conversions"]
    for segment in result.inputs.segments:
        bought = purchases[purchases["segment"] == segment].groupby("technology")["purchases_count"].sum()
        converted = conversions[conversions["segment"] == segment].groupby("to_technology")["conversions_count"].sum()
        text = ", ".join(f"{t} {n:g}" for t, n in bought.items()) or "none"
        if not converted.empty:
            text += "; converted: " + ", ".join(f"{t} {n:g}" for t, n in converted.items())
        lines.append(f"  {segment}: bought {text}")
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    return "\n".join(lines)
