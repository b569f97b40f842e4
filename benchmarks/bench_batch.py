"""Measure the batch command the way a clinic runs it, and print a table for docs/batch.md.

    PYTHONPATH=. python benchmarks/bench_batch.py                 # 1,000 for speed, 100 and 5,000 for memory
    PYTHONPATH=. python benchmarks/bench_batch.py --speed 300 --memory 100 1000   # quicker

Each run is the real command in a subprocess (`python generate.py batch ROSTER -o DIR --jobs N --quiet`)
on a synthetic roster with a fixed mix of selections (benchmarks/roster_gen.py). Reported: wall-clock
handouts per second; CPU milliseconds per handout (user + system time of the batch and its workers,
which does not depend on what else the machine is doing); the peak resident memory of each process,
read from /proc/PID/status (VmHWM) while it runs; the time of `python generate.py --help`; PDF sizes.
The load average is printed too: other work on the machine slows wall-clock figures, not CPU figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from roster_gen import write  # noqa: E402


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run_batch(roster: Path, jobs: int, out: Path | None = None, keep: bool = False) -> dict[str, float]:
    """One batch (in a fresh output folder unless `out` is given); wall time, CPU time, peak RSS per process."""
    out = out or Path(tempfile.mkdtemp(prefix="bench-out-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "generate.py"), "batch", str(roster), "-o", str(out), "-j", str(jobs), "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    peaks: dict[int, int] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for pid in [proc.pid, *_children(proc.pid)]:
                kb = _hwm_kb(pid)
                if kb:
                    peaks[pid] = max(peaks.get(pid, 0), kb)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        raise SystemExit(f"batch failed with exit code {code}")
    sizes = [p.stat().st_size for p in out.glob("*.pdf")]
    count = len(sizes)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    main_peak = peaks.pop(proc.pid, 0)
    if not keep:
        subprocess.run(["rm", "-rf", str(out)], check=True)
    return {
        "count": count,
        "wall": wall,
        "rate": count / wall,
        "cpu_ms": cpu / count * 1000,
        "main_mb": main_peak / 1024,
        "worker_mb": max(peaks.values(), default=0) / 1024,
        "pdf_kb": statistics.median(sizes) / 1024,
        "pdf_max_kb": max(sizes) / 1024,
    }


def help_time(runs: int = 15) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of `python generate.py --help`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "generate.py"), "--help"], env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def rerun(roster: Path, jobs: int) -> tuple[dict[str, float], dict[str, float]]:
    """A batch, then the same batch again into the same folder: every record is drawn and compared."""
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    first = run_batch(roster, jobs, out, keep=True)
    again = run_batch(roster, jobs, out, keep=True)
    subprocess.run(["rm", "-rf", str(out)], check=True)
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", type=int, default=1000, help="roster size for the speed runs")
    parser.add_argument("--memory", type=int, nargs="+", default=[100, 5000], help="roster sizes for memory")
    parser.add_argument("--format", choices=["csv", "yaml"], default="csv")
    parser.add_argument("--rerun", type=int, default=1000, help="roster size for the re-run (0: skip it)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-rosters-"))
    print(f"machine: {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, {platform.platform()}")
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    wall, cpu = help_time()
    print(f"python generate.py --help: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (medians of 15)")
    roster = write(args.speed, tmp / f"speed.{args.format}")
    print(f"\nspeed, {args.speed} records ({args.format}):")
    print("jobs | handouts/s (wall) | ms/handout (wall) | CPU ms/handout | peak MB main / worker | PDF KB median (max)")
    for jobs in (1, 2):
        r = run_batch(roster, jobs)
        print(
            f"{jobs:>4} | {r['rate']:>17.1f} | {1000 / r['rate']:>17.1f} | {r['cpu_ms']:>14.1f} | "
            f"{r['main_mb']:>8.0f} / {r['worker_mb'] or r['main_mb']:<6.0f}    | "
            f"{r['pdf_kb']:.0f} ({r['pdf_max_kb']:.0f})"
        )
    print("\nmemory, --jobs 2:")
    print("records | peak MB main | peak MB per worker | handouts/s (wall)")
    for size in args.memory:
        r = run_batch(write(size, tmp / f"mem-{size}.{args.format}"), 2)
        print(f"{size:>7} | {r['main_mb']:>12.0f} | {r['worker_mb']:>18.0f} | {r['rate']:.1f}")
    if args.rerun:
        print(f"\nre-run of {args.rerun} records already written (--jobs 2; drawn and compared, nothing written):")
        print("run | s (wall) | handouts/s (wall) | CPU ms/handout")
        roster = write(args.rerun, tmp / f"rerun.{args.format}")
        for label, r in zip(("first", "again"), rerun(roster, 2), strict=True):
            print(f"{label:>5} | {r['wall']:>8.1f} | {r['rate']:>17.1f} | {r['cpu_ms']:>14.1f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    subprocess.run(["rm", "-rf", str(tmp)], check=True)


if __name__ == "__main__":
    main()
