"""Batch speed in English, in Spanish, and mixed half and half: the same synthetic roster, --jobs 2.

    PYTHONPATH=. python benchmarks/bench_language.py [--count 400] [--runs 2]

Each run is the real `batch` command (benchmarks/bench_batch.run_batch). The language adds no loading
per handout: content.es.yaml is read once per process, like content.yaml. CPU milliseconds per
handout do not depend on what else the machine is doing; handouts per second do.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import run_batch  # noqa: E402
from roster_gen import rows  # noqa: E402


def _roster(folder: Path, count: int, language: str) -> Path:
    data = rows(count)
    for i, row in enumerate(data):
        row["language"] = language if language != "mixed" else ("es" if i % 2 else "en")
    path = folder / f"roster-{language}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {args.count} records, --jobs 2, median of {args.runs}")
    with tempfile.TemporaryDirectory() as tmp:
        rosters = {lang: _roster(Path(tmp), args.count, lang) for lang in ("en", "es", "mixed")}
        results: dict[str, list[dict[str, float]]] = {lang: [] for lang in rosters}
        for _ in range(args.runs):  # alternated, so a change in the machine's load falls on each language
            for lang, roster in rosters.items():
                results[lang].append(run_batch(roster, 2))
        for lang, runs in results.items():
            rate = statistics.median(r["rate"] for r in runs)
            cpu = statistics.median(r["cpu_ms"] for r in runs)
            pdf = statistics.median(r["pdf_kb"] for r in runs)
            print(f"{lang:6} {rate:6.1f} handouts/s  {cpu:5.1f} ms CPU per handout  {pdf:5.1f} KB median PDF")


if __name__ == "__main__":
    main()
