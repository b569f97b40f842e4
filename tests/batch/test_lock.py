"""Two batches into one folder, started together again and again: exactly one prints, the other is
refused, whatever lock file a killed batch left behind (issue 21, item 8). The lock is the operating
system's, so a left file's age or contents never decide anything."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

EXAMPLES = ROOT / "examples"
TRIALS = 4

# Each batch waits at the lock for the test's signal, so both reach it at the same moment; the winner
# then holds it a moment longer than the other needs to try.
RACE = """
import os, sys, time
import handouts.batch.outdir as outdir
_Lock = outdir.Lock
class _Racing(_Lock):
    def __init__(self, folder):
        while not os.path.exists(go):
            time.sleep(0.002)
        super().__init__(folder)
        time.sleep(0.3)
outdir.Lock = _Racing
go = sys.argv.pop()
from handouts.cli import main
main(["batch", *sys.argv[1:]], prog_name="generate.py")
"""


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.skipif(os.name == "nt", reason="the race is driven with POSIX processes")
def test_two_batches_started_together_never_both_print(tmp_path: Path) -> None:
    outcomes = []
    for trial in range(TRIALS):
        outdir = tmp_path / f"out{trial}"
        outdir.mkdir()
        (outdir / ".handouts-batch.lock").write_text(f"{_dead_pid()} {socket.gethostname()}\n")  # left by a kill
        go = tmp_path / f"go{trial}"
        args = [sys.executable, "-c", RACE, str(EXAMPLES / "roster.yaml"), "-o", str(outdir), "-j", "1", "-q"]
        procs = [
            subprocess.Popen([*args, str(go)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        go.touch()
        try:
            results = [(p.communicate(timeout=60)[1], p.returncode) for p in procs]
        finally:
            for p in procs:
                p.kill()  # only if still running (a hang): never left spinning
                p.wait()
        results = [(code, err) for err, code in results]
        codes = sorted(code for code, _ in results)
        outcomes.append(codes)
        assert codes == [0, 2], (trial, results)
        refused = next(err for code, err in results if code == 2)
        assert "another batch" in refused and "is printing into this folder" in refused
        rows = list(csv.DictReader((outdir / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
        assert [r["status"] for r in rows] == ["written"] * 5
        assert not (outdir / ".handouts-batch.lock").exists()
    assert outcomes == [[0, 2]] * TRIALS


CONTENDER = """
import sys, time
from pathlib import Path
from handouts.batch.outdir import prepare
from handouts.errors import HandoutError

base, me, trials = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
other = {"a": "b", "b": "a"}[me]

def wait(path):
    while not path.exists():
        time.sleep(0.0005)

for i in range(trials):
    (base / f"ready{i}{me}").touch()
    wait(base / f"ready{i}{other}")
    try:
        _, lock = prepare(base / f"out{i}", base / "roster.yaml")
    except HandoutError:
        lock = None
    (base / f"result{i}{me}").write_text("held" if lock else "refused")
    wait(base / f"result{i}{other}")  # held until the other has tried: both holding is a broken lock
    if lock:
        lock.release()
"""
MANY = 300


@pytest.mark.skipif(os.name == "nt", reason="the race is driven with POSIX processes")
def test_the_lock_is_never_held_twice_in_hundreds_of_races(tmp_path: Path) -> None:
    """The batch's own lock-taking (outdir.prepare), in two processes stepping together through
    hundreds of folders, each with a lock file left by a killed batch: one holds it, the other is refused."""
    host, gone = socket.gethostname(), 1 << 22  # 2**22: above the largest process id Linux gives
    for i in range(MANY):
        (tmp_path / f"out{i}").mkdir()
        (tmp_path / f"out{i}" / ".handouts-batch.lock").write_text(f"{gone} {host}\n")
    procs = [subprocess.Popen([sys.executable, "-c", CONTENDER, str(tmp_path), me, str(MANY)], cwd=ROOT) for me in "ab"]
    try:
        codes = [p.wait(timeout=240) for p in procs]
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert codes == [0, 0]
    both = [i for i in range(MANY) if {(tmp_path / f"result{i}{me}").read_text() for me in "ab"} != {"held", "refused"}]
    assert both == [], f"{len(both)} of {MANY} races did not end with exactly one holder: {both[:10]}"
