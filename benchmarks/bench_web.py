"""The discharge form under load: 40 browsers at once, each making 10 handouts, against the real server.

    python benchmarks/bench_web.py [--clients 40] [--handouts 10]

Starts `python generate.py serve --port 0` (waitress, as a clinic runs it) in its own process, so the
server's peak memory (VmHWM, Linux) is its own. Each client is a browser session: it gets the form
(session cookie and token), then posts the example patient's form and reads the whole PDF, one handout
after another. Prints throughput, the 50th and 95th percentile time per handout, and the peak RSS.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FORM = [
    ("name", "Maria Lopez"),
    ("patient_id", "004211"),
    ("date", "11/23/2026"),
    ("stronger_side", "left"),
    ("exercise", "stretching"),
    ("exercise", "range_of_motion"),
    ("range_of_motion.mode", "passive"),
    ("range_of_motion.times_per_day", "2"),
    ("exercise", "aerobic"),
    ("aerobic.minutes", "15"),
    ("device", "quad_cane"),
    ("device", "ankle_foot_brace"),
    ("ankle_foot_brace.side", "right"),
    ("device", "walker"),
    ("walker.wheels", "true"),
    ("notes", "Use the quad cane indoors."),
    ("layout", "large-print"),
]


def client(port: int, handouts: int, times: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/")
    answer = conn.getresponse()
    page = answer.read().decode()
    cookie = answer.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not token:
        errors.append("no token on the form")
        return
    body = urllib.parse.urlencode([("csrf_token", token.group(1)), *FORM])
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"http://127.0.0.1:{port}",
        "Sec-Fetch-Site": "same-origin",
    }
    for _ in range(handouts):
        started = time.perf_counter()
        conn.request("POST", "/handout", body=body, headers=headers)
        answer = conn.getresponse()
        pdf = answer.read()
        times.append(time.perf_counter() - started)
        if answer.status != 200 or not pdf.startswith(b"%PDF"):
            errors.append(f"status {answer.status}")
    conn.close()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--handouts", type=int, default=10)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        client(port, 1, [], [])  # the first handout loads reportlab; not counted
        times: list[float] = []
        errors: list[str] = []
        workers = [
            threading.Thread(target=client, args=(port, args.handouts, times, errors)) for _ in range(args.clients)
        ]
        started = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        took = time.perf_counter() - started
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    cuts = statistics.quantiles(times, n=100)
    print(f"{args.clients} clients x {args.handouts} handouts: {len(times)} answered, {len(errors)} failed")
    print(f"throughput: {len(times) / took:.1f} handouts/s over {took:.1f} s")
    print(f"time per handout: p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms")
    print(f"server peak RSS: {rss:.0f} MB")
    if errors:
        sys.exit(f"errors: {sorted(set(errors))}")


if __name__ == "__main__":
    main()
