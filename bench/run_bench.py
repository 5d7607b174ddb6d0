"""Benchmark of fleet-planner: model size, build / hand-off / solve times, the pure-solver limit,
peak memory and the CLI end to end, on synthetic fleets from 20 vehicles to 50,000.

    python bench/run_bench.py                       # every size, 3 repeats (median, min-max)
    python bench/run_bench.py --sizes tiny20,typical --repeats 1 --time-limit 60

Each size and repeat runs in a fresh subprocess (so peak RSS is per run). In that process:

1. bench/synthetic.py writes the catalogue + scenario; they are loaded with fleet_planner's loaders;
2. the baseline is solved (pipeline.run_baseline; needed for the share-of-base emission cap);
3. build = prepare_inputs + apply_emission_caps + build_model (timed);
4. optimisation.solve.solve(): hand-off (CSR + passModel) and solve times from the SolveResult;
5. the same CSR arrays are written to an MPS file (highspy passModel + writeModel, outside the
   timed solve so the hand-off is not inflated by the file write).

Then, in another fresh process, highspy reads that MPS file and runs it with the same options
(mip_rel_gap, time_limit, threads=1, random_seed=0): the pure-solver time. The typical case is
also timed end to end from the CLI (`fleet-planner plan ... --force`, includes the baseline).

Sizes and repeats are interleaved (repeat 1 of every size, then repeat 2, ...) so that the
noise of a shared machine falls on all sizes alike. Results: stdout and bench/out/results.csv.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"

# name: (vehicles, segments, years, mip_gap)
SIZES: dict[str, tuple[int, int, int, float]] = {
    "tiny20": (20, 1, 10, 0.001),
    "small": (50, 1, 10, 0.001),
    "typical": (200, 3, 15, 0.001),
    "medium": (5_000, 6, 30, 0.01),
    "large": (50_000, 10, 30, 0.01),
}
GRACE_FACTOR, GRACE_S = 1.25, 5.0  # same hard deadline as fleet_planner.optimisation.solve

PURE_SOLVER = r"""
import json, sys, time
import highspy
mps, gap, limit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("mip_rel_gap", gap)
h.setOptionValue("time_limit", limit)
h.setOptionValue("threads", 1)
h.setOptionValue("random_seed", 0)
t0 = time.perf_counter()
h.readModel(mps)
t1 = time.perf_counter()
h.run()
t2 = time.perf_counter()
info = h.getInfo()
has = info.primal_solution_status == 2
print(json.dumps({"read_s": t1 - t0, "run_s": t2 - t1, "status": h.getModelStatus().name,
                  "objective": float(info.objective_function_value) if has else None,
                  "gap": float(info.mip_gap) if has else None}))
"""


def src_digest(package_dir: Path) -> tuple[str, str]:
    """Short sha256 of a package's .py sources and the time of its newest file (UTC)."""
    import hashlib

    src = sorted(Path(package_dir).rglob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in src)).hexdigest()[:12]
    newest = time.strftime("%Y-%m-%d %H:%M", time.gmtime(max(p.stat().st_mtime for p in src))) if src else "?"
    return digest, newest


def snapshot_package(workdir: Path) -> Path:
    """Copy fleet_planner/ into workdir and put it first on PYTHONPATH for every subprocess (workers,
    pure solver, CLI), so that edits to the repository during a long run cannot mix code versions."""
    target = workdir / "src" / "fleet_planner"
    shutil.copytree(BENCH.parent / "fleet_planner", target, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(target.parent), *([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])])
    return target


# ----------------------------------------------------------------------------------------- worker
def worker(size: str, seed: int, time_limit: float, out_json: Path, mps_path: Path) -> None:
    """One size, one repeat, in this (fresh) process; writes a JSON record."""
    sys.path.insert(0, str(BENCH))
    import highspy
    from synthetic import load_synthetic

    import fleet_planner
    from fleet_planner.optimisation.build import build_model
    from fleet_planner.optimisation.inputs import prepare_inputs
    from fleet_planner.optimisation.solve import solve
    from fleet_planner.pipeline import apply_emission_caps, run_baseline

    vehicles, segments, years, gap = SIZES[size]
    rec: dict = {"size": size, "vehicles": vehicles, "segments": segments, "years": years, "mip_gap": gap,
                 "time_limit_s": time_limit, "source_sha": src_digest(Path(fleet_planner.__file__).parent)[0]}
    with tempfile.TemporaryDirectory(prefix=f"fpbench_{size}_") as tmp:
        t = time.perf_counter()
        scenario, catalogue, _path = load_synthetic(tmp, vehicles=vehicles, segments=segments, years=years,
                                                    seed=seed, mip_gap=gap, time_limit_s=time_limit)
        rec["load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        baseline = run_baseline(scenario, catalogue)
        rec["baseline_s"] = time.perf_counter() - t

        t = time.perf_counter()
        inputs = prepare_inputs(scenario, catalogue)
        apply_emission_caps(inputs, scenario, baseline)
        t_prep = time.perf_counter()
        model = build_model(inputs)
        t_build = time.perf_counter()
        rec["prepare_s"] = t_prep - t
        rec["build_model_s"] = t_build - t_prep
        rec["build_s"] = t_build - t
        rec.update(columns=model.num_columns, integer_columns=model.num_integer, rows=model.num_rows,
                   nonzeros=model.num_nonzeros)

        settings = scenario.solver
        t = time.perf_counter()
        result = solve(model, solver="highs", mip_gap=settings.mip_gap, time_limit_s=settings.time_limit_s,
                       threads=settings.threads)
        rec["solve_call_wall_s"] = time.perf_counter() - t
        rec.update(handoff_s=result.handoff_s, solve_s=result.solve_s, status=str(result.status),
                   gap=result.gap, objective=result.objective, message=result.message)

    # the model's own MPS file, from the very arrays the solver worker receives
    arrays = model.csr()
    t = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(len(arrays["col_cost"]), len(arrays["row_lower"]), len(arrays["a_value"]), 2, 1,
                arrays["offset"], arrays["col_cost"], arrays["col_lower"], arrays["col_upper"],
                arrays["row_lower"], arrays["row_upper"], arrays["a_start"], arrays["a_index"],
                arrays["a_value"], arrays["integrality"])
    h.writeModel(str(mps_path))
    rec["mps_write_s"] = time.perf_counter() - t
    rec["mps_mb"] = mps_path.stat().st_size / 1e6
    del h, arrays

    # ru_maxrss is in kB on Linux. CHILDREN = the largest waited-for child (the forked HiGHS workers).
    rec["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rec["rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out_json.write_text(json.dumps(rec))


# ----------------------------------------------------------------------------------- orchestrator
def run_size(size: str, seed: int, time_limit: float, workdir: Path) -> dict:
    out_json = workdir / f"{size}.json"
    mps = workdir / f"{size}.mps"
    for p in (out_json, mps):
        p.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", size, "--seed", str(seed),
           "--time-limit", str(time_limit), "--out-json", str(out_json), "--mps", str(mps)]
    started = time.perf_counter()
    # two solves (baseline + plan) each with the package's hard deadline, plus build time
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir,
                          timeout=2 * (time_limit * GRACE_FACTOR + GRACE_S) + 600)
    wall = time.perf_counter() - started
    if proc.returncode != 0 or not out_json.exists():
        raise RuntimeError(f"{size}: worker failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    rec = json.loads(out_json.read_text())
    rec["worker_wall_s"] = wall
    rec.update(pure_solver(mps, rec["mip_gap"], time_limit))
    mps.unlink(missing_ok=True)
    rec["overhead_s"] = rec["build_s"] + rec["handoff_s"]
    rec["ratio"] = rec["overhead_s"] / rec["pure_run_s"] if rec.get("pure_run_s") else None
    rec["peak_rss_mb"] = max(rec["rss_self_mb"], rec["rss_children_mb"])
    rec["rss_sum_mb"] = rec["rss_self_mb"] + rec["rss_children_mb"]
    rec["plan_s"] = rec["build_s"] + rec["handoff_s"] + rec["solve_s"]
    return rec


def pure_solver(mps: Path, gap: float, time_limit: float) -> dict:
    """highspy.readModel + run on the MPS file in a fresh process, with the same hard deadline."""
    deadline = time_limit * GRACE_FACTOR + GRACE_S
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", PURE_SOLVER, str(mps), str(gap), str(time_limit)],
                              capture_output=True, text=True, timeout=deadline, cwd=mps.parent)
    except subprocess.TimeoutExpired:
        wall = time.perf_counter() - started
        return {"pure_read_s": None, "pure_run_s": wall, "pure_status": "killed", "pure_gap": None,
                "pure_objective": None}
    line = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode != 0 or not line:
        return {"pure_read_s": None, "pure_run_s": None, "pure_status": f"error {proc.returncode}",
                "pure_gap": None, "pure_objective": None}
    data = json.loads(line[-1])
    return {"pure_read_s": data["read_s"], "pure_run_s": data["run_s"], "pure_status": data["status"],
            "pure_gap": data["gap"], "pure_objective": data["objective"]}


def run_cli(seed: int, time_limit: float, workdir: Path) -> dict:
    """`fleet-planner plan` on the typical case, wall clock (baseline + optimisation + writing tables)."""
    sys.path.insert(0, str(BENCH))
    from synthetic import write_synthetic

    vehicles, segments, years, gap = SIZES["typical"]
    folder = workdir / "cli_typical"
    scenario = write_synthetic(folder, vehicles=vehicles, segments=segments, years=years, seed=seed,
                               mip_gap=gap, time_limit_s=time_limit)
    exe = Path(sys.executable).parent / "fleet-planner"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "fleet_planner"]
    started = time.perf_counter()
    proc = subprocess.run([*cmd, "plan", str(scenario), "--out", str(workdir / "cli_out"), "--force"],
                          capture_output=True, text=True, cwd=workdir,
                          timeout=2 * (time_limit * GRACE_FACTOR + GRACE_S) + 300)
    wall = time.perf_counter() - started
    status = next((x for x in proc.stdout.splitlines() if x.startswith("Status:")), f"exit {proc.returncode}")
    return {"size": "typical_cli", "cli_wall_s": wall, "status": status.removeprefix("Status: "),
            "exit_code": proc.returncode}


# -------------------------------------------------------------------------------------- reporting
def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 ** 2:.1f} GB"
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    import fleet_planner

    here = Path(fleet_planner.__file__).parent
    digest, newest = src_digest(here)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return [f"CPU: {cpu}; {os.cpu_count()} logical cores ({usable} usable); RAM {ram}",
            f"OS: {platform.platform()}; load average at start {', '.join(f'{x:.2f}' for x in load)}",
            f"Python {platform.python_version()}; highspy {ver('highspy')}; pulp {ver('pulp')}; "
            f"fleet-planner {ver('fleet-planner')} from {here} (sources sha256 {digest}, newest file {newest} UTC)"]


def stats(values: list) -> tuple | None:
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals)


def fmt_t(values: list, digits: int = 2) -> str:
    s = stats(values)
    if s is None:
        return "-"
    med, lo, hi = s
    if len(values) == 1 or lo == hi:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} [{lo:.{digits}f}-{hi:.{digits}f}]"


def fmt_pct(values: list) -> str:
    s = stats(values)
    if s is None:
        return "-"
    med, lo, hi = s
    return f"{med:.1%}" if len(values) == 1 or lo == hi else f"{med:.1%} [{lo:.1%}-{hi:.1%}]"


def status_cell(recs: list[dict], key_status: str, key_gap: str) -> str:
    out = []
    for r in recs:
        g = r.get(key_gap)
        out.append(f"{r[key_status]}" + (f" {g:.2%}" if g is not None else ""))
    # identical statuses collapse; otherwise list each repeat
    names = {r[key_status] for r in recs}
    if len(names) == 1:
        gaps = [r.get(key_gap) for r in recs if r.get(key_gap) is not None]
        return next(iter(names)) + (f" ({fmt_pct(gaps)})" if gaps else "")
    return "; ".join(out)


def table(results: dict[str, list[dict]]) -> list[str]:
    header = ["size", "vehicles x seg x years", "gap", "columns", "int cols", "rows", "nonzeros",
              "prepare_inputs s", "build_model s", "build s", "hand-off s", "solve s", "status (gap)",
              "pure solver s", "pure status (gap)", "(build+hand-off)/pure", "baseline s", "peak RSS MB"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for size, recs in results.items():
        r0 = recs[0]
        lines.append("| " + " | ".join([
            size, f"{r0['vehicles']:,} x {r0['segments']} x {r0['years']}", f"{r0['mip_gap']:.1%}",
            f"{r0['columns']:,}", f"{r0['integer_columns']:,}", f"{r0['rows']:,}", f"{r0['nonzeros']:,}",
            fmt_t([r["prepare_s"] for r in recs]), fmt_t([r["build_model_s"] for r in recs], 3),
            fmt_t([r["build_s"] for r in recs]), fmt_t([r["handoff_s"] for r in recs], 3),
            fmt_t([r["solve_s"] for r in recs], 1), status_cell(recs, "status", "gap"),
            fmt_t([r["pure_run_s"] for r in recs], 1), status_cell(recs, "pure_status", "pure_gap"),
            fmt_pct([r["ratio"] for r in recs]), fmt_t([r["baseline_s"] for r in recs]),
            fmt_t([r["peak_rss_mb"] for r in recs], 0),
        ]) + " |")
    return lines


def targets(results: dict[str, list[dict]], cli: list[dict]) -> list[str]:
    out = []

    def mark(ok: bool | None) -> str:
        return "NOT MEASURED" if ok is None else ("MET" if ok else "NOT MET")

    # 1. (build + hand-off) <= 10 % of pure solver time at medium and large
    for size in ("medium", "large"):
        recs = results.get(size)
        if not recs:
            out.append(f"[{mark(None)}] (build + hand-off) <= 10 % of pure solver time at {size}")
            continue
        s = stats([r["ratio"] for r in recs])
        capped = any(r["pure_status"] in ("kTimeLimit", "killed") for r in recs)
        note = (" (in some repeats the pure solver stopped at the time limit: the solve is then a lower bound "
                "and the ratio an upper bound)" if capped else "")
        out.append(f"[{mark(s is not None and s[0] <= 0.10)}] (build + hand-off) <= 10 % of pure solver time at "
                   f"{size}: median {s[0]:.1%} (build {fmt_t([r['build_s'] for r in recs])} s + hand-off "
                   f"{fmt_t([r['handoff_s'] for r in recs], 3)} s vs pure solver "
                   f"{fmt_t([r['pure_run_s'] for r in recs], 1)} s){note}")
    # Time to reach the requested gap: a run that stopped short of it counts as "never" (inf), so the
    # median is over all repeats and a target is met only if most repeats reached the gap in time.
    inf = float("inf")

    def when(time_s: float, reached: bool) -> float:
        return time_s if reached else inf

    def tfmt(values: list[float]) -> str:
        med, lo, hi = statistics.median(values), min(values), max(values)
        show = lambda x: "not reached" if x == inf else f"{x:.1f} s"  # noqa: E731
        missed = sum(v == inf for v in values)
        return (f"median {show(med)} [{show(lo)} - {show(hi)}]"
                + (f"; {missed} of {len(values)} repeat(s) did not reach the gap" if missed else ""))

    # 2. typical from the CLI < 5 s at 0.1 %
    if cli:
        times = [when(c["cli_wall_s"], c["status"].startswith("optimal")) for c in cli]
        walls = fmt_t([c["cli_wall_s"] for c in cli], 1)
        out.append(f"[{mark(statistics.median(times) < 5)}] typical plan (200 vehicles x 3 segments x 15 years) end "
                   f"to end from the CLI at 0.1 % gap < 5 s: {tfmt(times)} (wall {walls} s; status "
                   f"{'; '.join(sorted({c['status'] for c in cli}))})")
    else:
        out.append(f"[{mark(None)}] typical plan end to end from the CLI < 5 s")
    # 3. large reaches 1 % < 60 s with peak memory < 2 GB
    recs = results.get("large")
    if recs:
        times = [when(r["plan_s"], r["status"] == "optimal" and (r["gap"] or 0) <= 0.01 + 1e-9) for r in recs]
        mem = stats([r["peak_rss_mb"] for r in recs])
        memsum = stats([r["rss_sum_mb"] for r in recs])
        ok = statistics.median(times) < 60 and mem[0] < 2048
        out.append(f"[{mark(ok)}] 50,000 vehicles x 10 segments x 30 years reaches 1 % gap < 60 s with peak memory "
                   f"< 2 GB: build + hand-off + solve {tfmt(times)}; status {status_cell(recs, 'status', 'gap')}; "
                   f"peak RSS {mem[0]:.0f} MB (largest process; parent + solver child {memsum[0]:.0f} MB); "
                   f"baseline solve before it {fmt_t([r['baseline_s'] for r in recs], 1)} s")
    else:
        out.append(f"[{mark(None)}] 50,000 vehicles x 10 segments x 30 years reaches 1 % gap < 60 s, < 2 GB")
    # 4. 20 vehicles reach 0.1 % in < 10 s
    recs = results.get("tiny20")
    if recs:
        times = [when(r["plan_s"], r["status"] == "optimal") for r in recs]
        out.append(f"[{mark(statistics.median(times) < 10)}] a 20-vehicle fleet reaches 0.1 % in < 10 s: build + "
                   f"hand-off + solve {tfmt(times)}; status {status_cell(recs, 'status', 'gap')}")
    else:
        out.append(f"[{mark(None)}] a 20-vehicle fleet reaches 0.1 % in < 10 s")
    return out


CSV_FIELDS = ["size", "repeat", "source_sha", "vehicles", "segments", "years", "mip_gap", "time_limit_s", "columns",
              "integer_columns", "rows", "nonzeros", "load_s", "baseline_s", "prepare_s", "build_model_s", "build_s",
              "handoff_s", "solve_s", "plan_s", "status", "gap", "objective", "mps_write_s", "mps_mb",
              "pure_read_s", "pure_run_s", "pure_status", "pure_gap", "pure_objective", "overhead_s", "ratio",
              "rss_self_mb", "rss_children_mb", "peak_rss_mb", "rss_sum_mb", "worker_wall_s", "cli_wall_s",
              "exit_code", "message"]


def write_csv(results: dict[str, list[dict]], cli: list[dict]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "results.csv"
    numeric = [f for f in CSV_FIELDS if f.endswith(("_s", "_mb", "ratio", "gap", "objective"))]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for _size, recs in [*results.items(), ("typical_cli", cli)]:
            if not recs:
                continue
            for i, r in enumerate(recs, start=1):
                writer.writerow({**r, "repeat": i})
            median = {k: v for k, v in recs[0].items() if k not in numeric}
            for k in numeric:
                s = stats([r.get(k) for r in recs])
                median[k] = s[0] if s else None
            median["status"] = "; ".join(sorted({str(r.get("status")) for r in recs}))
            median["pure_status"] = "; ".join(sorted({str(r.get("pure_status")) for r in recs if "pure_status" in r}))
            writer.writerow({**median, "repeat": "median"})
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="fleet-planner benchmark (see bench/README.md)")
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma list of {', '.join(SIZES)}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="solver time limit per solve [s] (the package kills at 1.25x + 5 s)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic fleets")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI end-to-end run of the typical case")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="run the repository's fleet_planner/ live instead of a snapshot taken at start")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out-json", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mps", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.seed, args.time_limit, args.out_json, args.mps)
        return

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {list(SIZES)}")
    workdir = Path(tempfile.mkdtemp(prefix="fpbench_"))
    if not args.no_snapshot:
        snapshot = snapshot_package(workdir)
        sys.path.insert(0, str(snapshot.parent))
    print("fleet-planner benchmark")
    for line in machine():
        print("  " + line)
    print(f"  sizes {sizes}; {args.repeats} repeat(s); solver time limit {args.time_limit:g} s; seed {args.seed}"
          + ("" if args.no_snapshot else "; code: a snapshot of fleet_planner/ taken at start"))
    results: dict[str, list[dict]] = {s: [] for s in sizes}
    cli: list[dict] = []
    try:
        for rep in range(1, args.repeats + 1):
            for size in sizes:
                rec = run_size(size, args.seed, args.time_limit, workdir)
                results[size].append(rec)
                gap = "-" if rec["gap"] is None else f"{rec['gap']:.2%}"
                print(f"  repeat {rep} {size:8s} build {rec['build_s']:.2f} s  hand-off {rec['handoff_s']:.3f} s  "
                      f"solve {rec['solve_s']:.1f} s {rec['status']} gap {gap}  pure {rec['pure_run_s'] or 0:.1f} s "
                      f"{rec['pure_status']}  peak RSS {rec['peak_rss_mb']:.0f} MB", flush=True)
            if not args.no_cli and "typical" in sizes:
                c = run_cli(args.seed, args.time_limit, workdir)
                cli.append(c)
                print(f"  repeat {rep} CLI typical: {c['cli_wall_s']:.1f} s, {c['status']}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"Median [min-max] of {args.repeats} repeat(s); times in seconds.")
    for line in table(results):
        print(line)
    if cli:
        print(f"\nCLI end to end, typical (fleet-planner plan, incl. baseline and writing tables): "
              f"{fmt_t([c['cli_wall_s'] for c in cli], 1)} s; status {', '.join(sorted({c['status'] for c in cli}))}")
    print("\nTargets:")
    for line in targets(results, cli):
        print("  " + line)
    path = write_csv(results, cli)
    print(f"\nWrote {path}")


if __name__ == "__main__":
    main()
