"""Non-solver time of the shipped scenarios: how much of a plan's CPU is not the solver's.

    python bench/shipped_bench.py                  # every shipped scenario, 3 repeats
    python bench/shipped_bench.py --repeats 1 --scenarios senior-bus-santiago

Each repeat of each scenario runs in a fresh Python process, in two parts:

1. `pipeline.optimise()` in the process (load and check, the baseline, the like-for-like
   replacement and the plan solved, each plan accounted by the evaluator and verified), then
   `result.tables` (every table the CLI writes, built in memory; the evaluations build their
   tables when first read, so this is part of the work of a plan). Every
   `solve()` call is counted: the solver's CPU seconds (`SolveResult.cpu_s`, HiGHS in its worker)
   and the wall time the parent spent waiting for it. Non-solver CPU = the parent process's CPU
   seconds for the whole optimise() (it only waits while a solver runs).
2. `fleet-planner plan <scenario> --out <tmp> --force` end to end (imports, the same solves, writing
   tables and charts): CPU seconds of the process and its solver workers, and wall clock.

The target (the performance issue's goal 5) is non-solver CPU <= 10 % of the solvers' CPU.
Results: stdout and bench/out/shipped.csv.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_bench import _children_cpu  # bench/ is on sys.path when this script runs

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
SCENARIOS = ("senior-bus-santiago", "logistics-forklifts", "logistics-trucks-staged")

WORKER = r"""
import json, sys, time
import fleet_planner.optimisation.run as run_module
from fleet_planner.loading.scenario import load_scenario
from fleet_planner.pipeline import optimise

solver_cpu, solver_wait, solves = [0.0], [0.0], [0]
counted = run_module.solve

def solve(*args, **kwargs):  # the one entry the pipeline uses to reach the solver
    started = time.perf_counter()
    result = counted(*args, **kwargs)
    solver_wait[0] += time.perf_counter() - started
    solver_cpu[0] += result.cpu_s or 0.0
    solves[0] += 1
    return result

run_module.solve = solve
started, cpu = time.perf_counter(), time.process_time()
result = optimise(load_scenario(sys.argv[1]))
tables = result.tables  # every table the CLI writes, built (the evaluations build them when first read)
print(json.dumps({"wall_s": time.perf_counter() - started, "parent_cpu_s": time.process_time() - cpu,
                  "solver_cpu_s": solver_cpu[0], "solver_wait_s": solver_wait[0], "solves": solves[0],
                  "status": str(result.solve.status), "npv": result.evaluation.npv_cost}))
"""


def one(scenario: str) -> dict:
    path = ROOT / "scenarios" / f"{scenario}.yaml"
    proc = subprocess.run([sys.executable, "-c", WORKER, str(path)], capture_output=True, text=True, check=True)
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    record["non_solver_share"] = record["parent_cpu_s"] / max(1e-9, record["solver_cpu_s"])
    exe = Path(sys.executable).parent / "fleet-planner"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "fleet_planner"]
    with tempfile.TemporaryDirectory(prefix="fp_shipped_") as tmp:
        started, cpu = time.perf_counter(), _children_cpu()
        subprocess.run([*command, "plan", str(path), "--out", str(Path(tmp) / "out"), "--force"],
                       capture_output=True, text=True, check=True)
        record["cli_wall_s"], record["cli_cpu_s"] = time.perf_counter() - started, _children_cpu() - cpu
    record["cli_non_solver_share"] = (record["cli_cpu_s"] - record["solver_cpu_s"]) / max(1e-9, record["solver_cpu_s"])
    return {"scenario": scenario, **record}


def main() -> None:
    parser = argparse.ArgumentParser(description="non-solver time of the shipped scenarios (bench/README.md)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    names = [s for s in args.scenarios.split(",") if s]
    with Path("/proc/loadavg").open() as handle:
        print(f"load average at start: {' '.join(handle.read().split()[:3])}")
    rows = []
    for repeat in range(1, args.repeats + 1):  # interleaved: every scenario once, then again
        for name in names:
            record = {**one(name), "repeat": repeat}
            rows.append(record)
            print(f"  {name} #{repeat}: optimise parent {record['parent_cpu_s']:.2f} s CPU, solvers "
                  f"{record['solver_cpu_s']:.2f} s CPU over {record['solves']} solves "
                  f"({record['non_solver_share']:.1%}); CLI {record['cli_cpu_s']:.2f} s CPU, "
                  f"{record['cli_wall_s']:.1f} s wall ({record['cli_non_solver_share']:.1%} beyond the solvers)")
    with Path("/proc/loadavg").open() as handle:
        print(f"load average at the end: {' '.join(handle.read().split()[:3])}")
    print("\n| scenario | optimise: non-solver CPU s | solvers CPU s | non-solver / solver | CLI CPU s | "
          "CLI beyond the solvers / solver | goal <= 10 % |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        mine = [r for r in rows if r["scenario"] == name]
        med = {k: statistics.median(r[k] for r in mine) for k in
               ("parent_cpu_s", "solver_cpu_s", "non_solver_share", "cli_cpu_s", "cli_non_solver_share")}
        print(f"| {name} | {med['parent_cpu_s']:.2f} | {med['solver_cpu_s']:.2f} | {med['non_solver_share']:.1%} | "
              f"{med['cli_cpu_s']:.2f} | {med['cli_non_solver_share']:.1%} | "
              f"{'MET' if med['non_solver_share'] <= 0.10 else 'NOT MET'} (optimise), "
              f"{'MET' if med['cli_non_solver_share'] <= 0.10 else 'NOT MET'} (CLI) |")
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "shipped.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nMedians over {args.repeats} repeat(s); wrote {OUT / 'shipped.csv'}")


if __name__ == "__main__":
    main()
