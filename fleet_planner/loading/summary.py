"""A scenario in a few lines (`fleet-planner validate`)."""

from __future__ import annotations

from collections import Counter


def scenario_summary(s) -> str:
    fleet = Counter()
    for cohort in s.fleet:
        fleet[cohort.segment, cohort.technology] += cohort.count
    lines = [f"Scenario: {s.name}",
             f"Horizon: {s.horizon_first_year}-{s.horizon_last_year}; currency {s.currency} "
             f"(price base year {s.price_base_year}); discount rate {s.discount_rate:.1%}; region {s.region}",
             "Segments:"]
    for segment, demand in s.demand.items():
        techs = ", ".join(demand.technologies) if demand.technologies else "all in catalogue"
        existing = ", ".join(f"{t} {n}" for (seg, t), n in sorted(fleet.items()) if seg == segment) or "none"
        lines.append(f"  {segment}: existing fleet {existing}; technologies {techs}")
    p = s.policy
    targets = []
    if p.emission_cap is not None:
        cap = p.emission_cap
        values = cap.tco2e if cap.tco2e is not None else cap.share_of_base or {}
        kind = "tCO2e" if cap.tco2e else f"x base ({cap.base_year or f'{cap.base_tco2e} tCO2e'})"
        targets.append(f"emission cap ({p.emission_scope}, {cap.interpolation}): "
                       + ", ".join(f"{y}: {v:g}" for y, v in sorted(values.items())) + f" {kind}")
    if p.zero_emission_share_min:
        targets.append("zero-emission share: " + ", ".join(f"{y}: {v:.0%}" for y, v in sorted(p.zero_emission_share_min.items())))
    if p.gas_end_year:
        targets.append(f"no natural gas from {p.gas_end_year}")
    if p.capex_budget is not None:
        targets.append("yearly capex budget set")
    if s.subsidies:
        targets.append("subsidies: " + ", ".join(r.name for r in s.subsidies))
    lines.append("Targets: " + ("; ".join(targets) if targets else "none"))
    return "\n".join(lines)
