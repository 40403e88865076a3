#!/usr/bin/env python3
"""Threads within one slice / one scan: 1 thread against all threads, on an idle machine and with
one core kept busy by another process, with the load average shown for each condition.

Issue 17 asked that 2 threads never be slower than 1. On a 2-core node a static OpenMP split
breaks that as soon as another process holds a core: the thread that shares its core finishes
its half late and the other waits at the barrier. The kernels now hand out fixed chunks
dynamically (solvers/ptycho/parallel.hpp, solvers/tomo/joseph_cpu.cpp); this script measures the
result. On a 2-core VM the ratios are what counts, and the report says how loaded it was.

    python3 benchmarks/thread_scaling.py --build build --out /tmp/thread_scaling.json
"""
import argparse
import json
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (program, filter): Google Benchmark entries whose argument is the thread count (0 = all).
BENCHMARKS = [
    ("bench_tomo", "BM_(Project|Backproject|Fbp|Sirt)/[01]/"),
    ("bench_ptycho", "BM_CgObjectIteration/[12]/"),
]

# (name, one core kept busy, OMP_WAIT_POLICY). libgomp's default lets a thread that reaches a
# barrier early spin for a while; on a busy node that spinning takes CPU time from the thread it
# waits for, and passive waiting (docs/performance.md) is the remedy to compare against.
CONDITIONS = [
    ("idle", False, None),
    ("one core busy", True, None),
    ("one core busy, passive", True, "passive"),
]

# A ptycho.cg run through the CLI: 169 frames of 128^2 with probe refinement, the case where the
# issue measured 2 threads slower than 1 (8.6 s vs 7.2 s).
PTYCHO_128 = ["--set", "scan.size=512", "--set", "scan.probe_size=128", "--set", "scan.step=32",
              "--set", "scan.fwhm=50", "--set", "recon.iterations=20", "--set", "recon.recover_probe=true"]


def spin():
    while True:
        pass


def google_benchmark(program, pattern, repetitions):
    """Median real time in ms of each entry, keyed by (name, threads)."""
    out = subprocess.run([str(program), f"--benchmark_filter={pattern}", "--benchmark_format=json",
                          f"--benchmark_repetitions={repetitions}", "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    results = {}
    for entry in json.loads(out)["benchmarks"]:
        if entry.get("aggregate_name") != "median":
            continue
        name, argument = entry["run_name"].split("/")[:2]
        scale = {"ms": 1.0, "us": 1e-3, "ns": 1e-6, "s": 1e3}[entry["time_unit"]]
        results[(name, int(argument))] = entry["real_time"] * scale
    return results


def ptycho_cli_seconds(xrecon, repo, threads, work):
    """The solver's own seconds from its log line ('... in 20 iterations; 7.02 s on 1 device(s)')."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    log = subprocess.run([str(xrecon), "run", str(repo / "configs/ptycho_cg.yaml"), *PTYCHO_128,
                          "--set", f"save.path={work}/phase{threads}.h5"],
                         check=True, capture_output=True, text=True, env=env).stderr
    match = re.search(r"iterations; ([0-9.]+) s on", log)
    if not match:
        sys.exit(f"thread_scaling: no solver time in the ptycho.cg log:\n{log}")
    return float(match.group(1))


def measure(build, repo, repetitions, work):
    rows = {}
    for program, pattern in BENCHMARKS:
        for (name, argument), ms in google_benchmark(build / "benchmarks" / program, pattern, repetitions).items():
            threads = os.cpu_count() if argument == 0 else argument
            rows.setdefault(name, {})[threads] = ms
    for threads in (1, os.cpu_count()):
        seconds = sorted(ptycho_cli_seconds(build / "engine" / "xrecon", repo, threads, work)
                         for _ in range(repetitions))
        rows.setdefault("ptycho.cg 169x128^2 +probe (CLI)", {})[threads] = 1e3 * seconds[len(seconds) // 2]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="the CMake build directory")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    repo = Path(__file__).resolve().parent.parent
    build = Path(args.build).resolve()
    cores = os.cpu_count()

    conditions = []
    with tempfile.TemporaryDirectory() as work:
        for condition, busy, wait_policy in CONDITIONS:
            os.environ.pop("GOMP_SPINCOUNT", None)
            if wait_policy:
                os.environ["OMP_WAIT_POLICY"] = wait_policy
            else:
                os.environ.pop("OMP_WAIT_POLICY", None)
            spinner = None
            if busy:
                spinner = multiprocessing.Process(target=spin, daemon=True)
                spinner.start()
                time.sleep(1)
            load_before = os.getloadavg()
            try:
                rows = measure(build, repo, args.repetitions, work)
            finally:
                if spinner:
                    spinner.terminate()
                    spinner.join()
            conditions.append({"condition": condition, "load_average_before": load_before,
                               "load_average_after": os.getloadavg(), "ms": rows})

    print(f"{'condition':<23} {'case':<34} {'1 thread ms':>12} {f'{cores} threads ms':>14} {'speedup':>8}")
    for c in conditions:
        for name, by_threads in c["ms"].items():
            one, many = by_threads[1], by_threads[cores]
            print(f"{c['condition']:<23} {name:<34} {one:>12.1f} {many:>14.1f} {one / many:>8.2f}")
        print(f"{'':<23} load average before {c['load_average_before'][0]:.2f}, "
              f"after {c['load_average_after'][0]:.2f}")

    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    machine = {"cpu": platform.processor() or platform.machine(), "cores": cores, "commit": commit,
               "date": time.strftime("%Y-%m-%d"), "note": "one core busy = a spinning Python process at nice 0; passive = OMP_WAIT_POLICY=passive"}
    for c in conditions:
        c["ms"] = {name: {str(t): v for t, v in by.items()} for name, by in c["ms"].items()}
        c["speedup"] = {name: by["1"] / by[str(cores)] for name, by in c["ms"].items()}
    Path(args.out).write_text(json.dumps({"machine": machine, "conditions": conditions}, indent=2) + "\n")


if __name__ == "__main__":
    main()
