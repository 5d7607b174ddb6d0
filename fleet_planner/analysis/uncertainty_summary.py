"""The tables of a Monte Carlo sweep, from its records: per sample, per year, percentiles, the fan
chart's band, how often each technology is chosen, and global sensitivity indices.

Percentiles are numpy's (linear interpolation between order statistics) over the samples that have
a plan. P(beats baseline) is the share of those samples whose plan NPV is below the baseline's
(by more than a millionth of it).
Sensitivity: SALib's first-order Sobol' index of every input on the saving against the baseline,
and its delta moment-independent index for the inputs with the largest first-order index, estimated
from the same samples (no special sampling design needed), one input at a time, beside a dummy input
that shows the noise level. Both assume independent inputs; fuel prices are correlated here, so a
fuel's index also carries some of the other fuels' effect.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd

from fleet_planner.analysis.backends import Record
from fleet_planner.analysis.uncertain_inputs import UncertainInput

PERCENTILES = (10, 50, 90)
BEATS_RTOL = 1e-6
"""The plan beats the baseline when it costs less by more than this share of the baseline's NPV (equal
plans differ by rounding noise)."""
OUTCOMES: tuple[str, ...] = ("npv_cost", "baseline_npv_cost", "npv_saving_cost", "emissions_tco2e",
                             "baseline_emissions_tco2e", "avoided_tco2e")
SENSITIVITY_OUTPUTS: tuple[str, ...] = ("npv_saving_cost",)
"""The saving against the baseline: which inputs decide whether the plan pays off. (Each output costs
several seconds at 1,000 samples.)"""
SENSITIVITY_SAMPLES_MIN = 200
"""Fewer samples give indices too noisy to show (the delta estimate is biased upwards at small sizes:
at 60 samples a fuel the plan never burns got 0.19)."""
DUMMY = "dummy (noise level)"
"""A random input the model never reads: its indices show how large an index noise alone gives."""
DUMMY_STREAM = 2**32
"""spawn_key of the dummy's random stream (samples use 0, 1, ...: never this one)."""
DELTA_INPUTS = 3
"""Inputs (largest S1 first) that also get the delta index."""
SENSITIVITY_RESAMPLES = 5
"""Bootstrap resamples of the confidence intervals (each costs about a second per output at 1,000 samples)."""


def sweep_tables(records: dict[int, Record], samples: pd.DataFrame, inputs: list[UncertainInput], *, mode: str,
                 seed: int, currency: str, nominal: dict | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the sweep's result folder (docs/outputs.md, section Uncertainty)."""
    per_sample = samples_table(records, samples)
    ok = per_sample[per_sample["status"] == "ok"]
    tables = {"samples": per_sample, "sample_years": years_table(records), "percentiles": percentiles_table(ok),
              "fan": fan_table(records), "sensitivity": sensitivity_table(ok, inputs, seed)}
    if mode == "reoptimise":
        tables["technologies"] = technologies_table(records)
    beats = float(ok["beats_baseline"].mean()) if len(ok) else float("nan")
    broken = float((ok["rules_broken_count"] > 0).mean()) if "rules_broken_count" in ok and len(ok) else None
    tables["uncertainty_summary"] = pd.DataFrame([{
        "mode": mode, "samples_count": len(per_sample), "with_plan_count": len(ok), "seed": seed,
        "probability_beats_baseline_share": beats, "rules_broken_share": broken, "currency": currency,
        "nominal_npv_cost": (nominal or {}).get("npv_cost"),
        "nominal_baseline_npv_cost": (nominal or {}).get("baseline_npv_cost")}])
    tables["percentiles"]["unit"] = [currency if outcome.endswith("_cost") else "tCO2e"
                                     for outcome in tables["percentiles"]["outcome"]]
    return tables


def samples_table(records: dict[int, Record], samples: pd.DataFrame) -> pd.DataFrame:
    """One row per sample: its input multipliers and outcomes."""
    rows = []
    for i in sorted(records):
        r = records[i]
        row = {"sample": i, "status": r["status"]}
        if r["status"] == "ok":
            row |= {k: r[k] for k in ("npv_cost", "baseline_npv_cost", "emissions_tco2e", "baseline_emissions_tco2e")}
            row["npv_saving_cost"] = r["baseline_npv_cost"] - r["npv_cost"]
            row["avoided_tco2e"] = r["baseline_emissions_tco2e"] - r["emissions_tco2e"]
            row["beats_baseline"] = bool(row["npv_saving_cost"] > BEATS_RTOL * max(1.0, abs(r["baseline_npv_cost"])))
            if "rules_broken_count" in r:
                row["rules_broken_count"] = r["rules_broken_count"]
        rows.append(row)
    outcomes = pd.DataFrame(rows)
    multipliers = samples.rename(columns={c: f"{c}_multiplier" for c in samples.columns if c != "sample"})
    return multipliers.merge(outcomes, on="sample", how="inner")


def years_table(records: dict[int, Record]) -> pd.DataFrame:
    """Per sample and year: cost (real and discounted), the baseline's discounted cost, emissions."""
    frames = [pd.DataFrame({"sample": i, "year": r["years"], "total_cost": r["total_cost"],
                            "total_discounted_cost": r["total_discounted_cost"],
                            "baseline_total_discounted_cost": r["baseline_total_discounted_cost"],
                            "emissions_tco2e": r["yearly_emissions_tco2e"]})
              for i, r in sorted(records.items()) if r["status"] == "ok"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["sample", "year", "total_cost", "total_discounted_cost", "baseline_total_discounted_cost",
                 "emissions_tco2e"])


def percentiles_table(ok: pd.DataFrame) -> pd.DataFrame:
    """P10, P50, P90 and the mean of each outcome over the samples with a plan."""
    rows = []
    for outcome in OUTCOMES:
        values = ok[outcome].to_numpy(dtype=float) if outcome in ok else np.array([])
        p = np.percentile(values, PERCENTILES) if len(values) else [np.nan] * len(PERCENTILES)
        rows.append({"outcome": outcome, **{f"p{q}": float(v) for q, v in zip(PERCENTILES, p, strict=True)},
                     "mean": float(values.mean()) if len(values) else np.nan})
    return pd.DataFrame(rows)


def fan_table(records: dict[int, Record]) -> pd.DataFrame:
    """P10, P50, P90 of the cumulative discounted cost by year, plan and baseline (the fan chart)."""
    years = years_table(records)
    rows = []
    if years.empty:
        return pd.DataFrame(columns=["year", "series", *(f"p{q}_cost" for q in PERCENTILES)])
    years = years.sort_values(["sample", "year"])
    for series, column in (("plan", "total_discounted_cost"), ("baseline", "baseline_total_discounted_cost")):
        cumulative = years.groupby("sample")[column].cumsum()
        for year, values in cumulative.groupby(years["year"]):
            p = np.percentile(values.to_numpy(dtype=float), PERCENTILES)
            rows.append({"year": int(year), "series": series,
                         **{f"p{q}_cost": float(v) for q, v in zip(PERCENTILES, p, strict=True)}})
    return pd.DataFrame(rows)


def technologies_table(records: dict[int, Record]) -> pd.DataFrame:
    """How often each technology is bought or converted to (reoptimise), and how many on average."""
    ok = [r for r in records.values() if r["status"] == "ok"]
    technologies = sorted({t for r in ok for t in r["chosen"]})
    rows = [{"technology": t,
             "chosen_share": sum(1 for r in ok if r["chosen"].get(t, 0.0) > 0.5) / len(ok),
             "mean_vehicles_count": sum(r["chosen"].get(t, 0.0) for r in ok) / len(ok)} for t in technologies]
    return pd.DataFrame(rows, columns=["technology", "chosen_share", "mean_vehicles_count"])


def sensitivity_table(ok: pd.DataFrame, inputs: list[UncertainInput], seed: int) -> pd.DataFrame:
    """SALib delta and first-order Sobol' indices of each input on SENSITIVITY_OUTPUTS; empty with too
    few samples or without SALib; an input that did not vary is left out."""
    columns = ["output", "input", "delta", "delta_conf", "s1", "s1_conf"]
    try:
        import SALib  # noqa: F401
    except ImportError:
        return pd.DataFrame(columns=columns)
    keys = [item.key for item in inputs if ok[f"{item.key}_multiplier"].nunique() > 1] if len(ok) else []
    if len(ok) < SENSITIVITY_SAMPLES_MIN or not keys:
        return pd.DataFrame(columns=columns)
    rows = []
    for output in SENSITIVITY_OUTPUTS:
        y = ok[output].to_numpy(dtype=float)
        if np.ptp(y) <= 1e-9 * max(1.0, float(np.abs(y).max())):
            continue
        columns_x = {key: ok[f"{key}_multiplier"].to_numpy(dtype=float) for key in keys}
        columns_x[DUMMY] = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DUMMY_STREAM,))).random(len(y))
        # one input at a time (SALib gives up on all inputs when one fails): S1 for every input (cheap);
        # delta, a second or so each at 1,000 samples, for the DELTA_INPUTS largest S1 and the dummy
        found = {key: _indices(x, y, key, seed, "sobol") for key, x in columns_x.items()}
        ranked = sorted((k for k in found if k != DUMMY and found[k]), key=lambda k: -found[k]["s1"])
        for key in [*ranked[:DELTA_INPUTS], DUMMY]:
            if found.get(key):
                found[key] |= _indices(columns_x[key], y, key, seed, "delta") or {}
        rows += [{"output": output, "input": key, "delta": np.nan, "delta_conf": np.nan, **values}
                 for key, values in found.items() if values]
    return pd.DataFrame(rows, columns=columns)


def salib_seed(seed: int) -> int:
    """SALib seeds numpy's global generator only with a non-zero seed: 0 would give other indices on
    every run, so the sweep's seed is shifted by one (within numpy's 32-bit range)."""
    return seed % (2**32 - 1) + 1


def _indices(x: np.ndarray, y: np.ndarray, key: str, seed: int, method: str) -> dict | None:
    """SALib's first-order Sobol' index (method "sobol") or delta index ("delta") of one input on y,
    with its confidence half-width; None when SALib cannot estimate it (too few distinct values)."""
    from SALib.analyze import delta

    problem = {"num_vars": 1, "names": [key], "bounds": [[float(x.min()), float(x.max())]]}
    # SALib warns its notes (and resets the warning filters): record them instead of printing them
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(record=True):
        try:
            found = delta.analyze(problem, x[:, None], y, num_resamples=SENSITIVITY_RESAMPLES, seed=salib_seed(seed),
                                  print_to_console=False, method=method)
        except (ValueError, ArithmeticError, np.linalg.LinAlgError, delta.AnalysisError):
            return None
    values = ({"s1": float(found["S1"][0]), "s1_conf": float(found["S1_conf"][0])} if method == "sobol" else
              {"delta": float(found["delta_raw"][0]), "delta_conf": float(found["delta_raw_conf"][0])})
    return values if all(np.isfinite(v) for v in values.values()) else None
