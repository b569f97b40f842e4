"""How long the discharge form takes to answer: the first handout after start, then the next ones.

    PYTHONPATH=. python scripts/web_benchmark.py

Posts the example patient's form to a real server on 127.0.0.1, as a browser would.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.parse
import urllib.request

from werkzeug.serving import make_server

from handouts.web.app import create_app

FORM = [
    ("name", "Maria Lopez"),
    ("patient_id", "004211"),
    ("date", "2026-11-23"),
    ("stronger_side", "left"),
    ("exercise", "stretching"),
    ("exercise", "range_of_motion"),
    ("range_of_motion.mode", "passive"),
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


def main() -> None:
    started = time.perf_counter()
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    ready = time.perf_counter() - started
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/handout"
    body = urllib.parse.urlencode(FORM).encode()
    times = []
    for _ in range(11):
        t = time.perf_counter()
        pdf = urllib.request.urlopen(urllib.request.Request(url, data=body)).read()
        times.append(time.perf_counter() - t)
        assert pdf.startswith(b"%PDF")
    server.shutdown()
    print(f"app ready (content and layouts loaded): {ready * 1000:.0f} ms")
    print(f"first handout: {times[0] * 1000:.0f} ms; next 10: median {statistics.median(times[1:]) * 1000:.0f} ms")
    print(f"PDF size: {len(pdf):,} bytes")


if __name__ == "__main__":
    main()
