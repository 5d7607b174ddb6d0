"""Benchmark of `fleet-planner uncertainty` (not a timed test):

1. a stress test of the forklift scenario, end to end from the CLI (load, optimise the plan, sample,
   re-account plan and baseline per sample, percentiles, SALib indices, page and workbook), on
   `--workers` local processes;
2. a re-optimising sweep of the same scenario on a Dask LocalCluster of 1 and then 2 worker
   processes (each sample: baseline, like-for-like and plan solved), and the ratio of the times;
   the results of both must be identical.

    python bench/uncertainty_bench.py                              # 1,000 stress samples; 8 reoptimised
    python bench/uncertainty_bench.py --stress-samples 200 --reoptimise-samples 4

Results: stdout and bench/out/uncertainty.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "scenarios" / "logistics-forklifts.yaml"
OUT = REPO / "bench" / "out"


def stress(samples: int, workers: int, folder: Path) -> dict:
    """The CLI end to end, in a fresh process."""
    out = folder / "stress"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fleet_planner", "uncertainty", str(SCENARIO), "--samples",
                           str(samples), "--workers", str(workers), "--seed", "1", "--out", str(out)],
                          capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    progress = [line for line in done.stderr.splitlines() if " samples, " in line]
    return {"samples": samples, "workers": workers, "seconds": round(seconds, 1),
            "cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
            "sweep_seconds": float(progress[-1].split(" samples, ")[1].split(" s")[0].replace(",", "")),
            "load_average_after": os.getloadavg(), "last_line": done.stdout.strip().splitlines()[-1:]}


def reoptimise(samples: int, folder: Path) -> dict:
    """The same re-optimising sweep on a LocalCluster of 1 and of 2 worker processes."""
    import dask
    from distributed import LocalCluster

    sys.path.insert(0, str(REPO))
    from fleet_planner.analysis.uncertainty import plan_sweep, run_sweep
    from fleet_planner.analysis.uncertainty_summary import sweep_tables
    from fleet_planner.loading.scenario import load_scenario

    scenario = load_scenario(SCENARIO)
    sweep = plan_sweep(scenario, samples=samples, mode="reoptimise", seed=1)
    times, tables = {}, {}
    # the solver runs in a child process of the worker: Dask's worker processes must not be daemonic
    with dask.config.set({"distributed.worker.daemon": False}):
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) \
                    as cluster:
                start = time.perf_counter()
                records = run_sweep(sweep, {}, lambda _chunk: None, workers=workers,
                                    dask_address=cluster.scheduler_address)
                times[workers] = time.perf_counter() - start
            tables[workers] = sweep_tables(records, sweep.samples, sweep.inputs, mode="reoptimise", seed=1,
                                           currency=scenario.currency)["samples"].to_csv(float_format="%.6f")
    return {"samples": samples, "seconds_1_worker": round(times[1], 1), "seconds_2_workers": round(times[2], 1),
            "speed_up": round(times[1] / times[2], 2), "identical_results": tables[1] == tables[2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stress-samples", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reoptimise-samples", type=int, default=8)
    args = parser.parse_args()
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}
    with tempfile.TemporaryDirectory() as folder:
        results = {"machine": machine, "stress": stress(args.stress_samples, args.workers, Path(folder))}
        print(json.dumps(results["stress"], indent=1), flush=True)
        if args.reoptimise_samples:
            results["reoptimise"] = reoptimise(args.reoptimise_samples, Path(folder))
            print(json.dumps(results["reoptimise"], indent=1), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "uncertainty.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
