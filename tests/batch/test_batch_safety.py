"""The holes a fault hunt found in batch printing, each closed at its root: never another patient's data
on a handout, never a lost roster, never a file written outside OUTDIR or over an input."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from handouts.cli import main

EXAMPLES = ROOT / "examples"
needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads worker processes from /proc")


def batch(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


HEADER = "name,patient_id,date,notes\n"


def test_a_quote_left_open_refuses_the_roster_and_names_the_row(tmp_path: Path) -> None:
    # Before: the open quote read every later row into Ann's notes; exit 0, and two other patients'
    # names and ids printed on Ann's handout.
    roster = tmp_path / "r.csv"
    roster.write_text(HEADER + 'Ann Lee,A1,2026-11-23,"Walk daily\nBo Ek,B2,2026-11-23,\nCy Do,C3,2026-11-23,\n')
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 2
    assert f'{roster}: row 2: a quote (") opened in this row (line 2) is never closed' in err
    assert not (tmp_path / "out").exists()


def test_a_quote_inside_an_unquoted_cell_refuses_the_roster(tmp_path: Path) -> None:
    """Found by the property test: Ann's name holds a quote, her notes open one that closes inside the
    next row's name, so the cell counts match and Bo's name was read into Ann's notes and printed on
    her handout. A spreadsheet never writes a bare quote, so the file is refused at the line."""
    roster = tmp_path / "r.csv"
    roster.write_text(HEADER + 'Ann "Lee,A1,2026-11-23,"\nBo Ek "\n,B2,2026-11-23,\n')
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 2
    assert f'{roster}:2: a quote (") inside a cell that does not start with one' in err
    assert not (tmp_path / "out").exists()
    # A cell in quotes may hold doubled quotes and line breaks, as spreadsheets write them.
    roster.write_text(HEADER + '"Ann ""Lee""",A1,2026-11-23,"Walk daily\nwith Bo"\n')
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 0, err


@pytest.mark.parametrize(
    "row, cells",
    [("Bo Ek,B2,2026-11-23,x,extra", 5), ("Bo Ek,B2", 2), ('Bo Ek,B2,"2026-11-23,a\nCy Do",C3,x', 5)],
)
def test_a_row_with_more_or_fewer_cells_than_the_header_refuses_the_roster(
    tmp_path: Path, row: str, cells: int
) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(HEADER + "Ann Lee,A1,2026-11-23,\n" + row + "\nDee Fu,D4,2026-11-23,\n")
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 2, err
    assert f"{roster}: row 3 (line" in err and f"has {cells} cells but the first row names 4 columns" in err
    assert not (tmp_path / "out").exists()


def test_a_manifest_link_is_replaced_never_followed(tmp_path: Path) -> None:
    # Before: batch followed OUTDIR/manifest.csv and wrote names and ids into the file it points to.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "manifest.csv").symlink_to(victim)
    assert batch(EXAMPLES / "roster.yaml", "-o", outdir, "-j", "1")[0] == 0
    assert victim.read_text() == "keep me"
    manifest = outdir / "manifest.csv"
    assert not manifest.is_symlink() and "Maria Lopez" in manifest.read_text(encoding="utf-8-sig")


def test_a_roster_kept_as_the_manifest_is_refused_and_kept(tmp_path: Path) -> None:
    # Before: the manifest overwrote the roster while it was read; exit 0 after 36 of 1,000 handouts.
    outdir = tmp_path / "out"
    outdir.mkdir()
    roster = outdir / "manifest.csv"
    text = (EXAMPLES / "roster.csv").read_text(encoding="utf-8")
    roster.write_text(text, encoding="utf-8")
    code, _, err = batch(roster, "-o", outdir)
    assert code == 2 and f"{roster}: is {roster}, where the batch writes its report" in err
    assert roster.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in outdir.iterdir()) == ["manifest.csv"]


def test_the_roster_is_read_once_whole_before_anything_is_written(tmp_path: Path) -> None:
    from handouts.inputs.roster import open_roster

    roster = tmp_path / "r.csv"
    roster.write_text((EXAMPLES / "roster.csv").read_text(encoding="utf-8"), encoding="utf-8")
    opened = open_roster(roster)
    with roster.open("ab") as f:
        f.write(b"Jos\xe9 Garc\xeda,9,2026-11-23,,,,,,,,\n")  # before: a traceback, 992 PDFs, 984 in the manifest
    roster.write_bytes(b"")
    assert [r.located.data["name"] for r in opened][:2] == ["Maria Lopez", "James Okafor"]
    assert len(list(opened)) == 5


def test_a_second_batch_into_the_same_folder_is_refused_and_a_left_lock_file_taken_over(tmp_path: Path) -> None:
    import fcntl

    outdir = tmp_path / "out"
    outdir.mkdir()
    lock = outdir / ".handouts-batch.lock"
    partial = outdir / ".2026-11-23_lee-ann_7.pdf.x1.part"
    partial.write_bytes(b"the first batch's unfinished handout")
    with lock.open("w") as held:  # a live batch: this very process holds the OS lock
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, _, err = batch(EXAMPLES / "roster.yaml", "-o", outdir)
    assert code == 2 and "another batch is printing into this folder" in err
    assert partial.exists() and sorted(p.name for p in outdir.iterdir()) == sorted([lock.name, partial.name])
    # Left by a batch that was killed, naming a process that is alive (this one): only the OS lock counts.
    lock.write_text(f"{os.getpid()} somewhere-else\n")
    assert batch(EXAMPLES / "roster.yaml", "-o", outdir, "-j", "1")[0] == 0
    assert not lock.exists() and not partial.exists()
    assert len(list(outdir.glob("*.pdf"))) == 5


def test_an_unreadable_file_under_a_handouts_name_is_not_called_different(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    assert batch(EXAMPLES / "roster.yaml", "-o", outdir, "-j", "1")[0] == 0
    target = outdir / "2026-11-23_lopez-maria_004211.pdf"
    elsewhere = tmp_path / "same-bytes.pdf"
    elsewhere.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(elsewhere)  # same bytes, but a link: never followed, so it can't be read
    code, out, err = batch(EXAMPLES / "roster.yaml", "-o", outdir, "-j", "1")
    assert code == 1
    assert "a file is already there that can't be read (or is a link)" in err
    assert "a different handout" not in err and "a different handout" not in out
    assert target.is_symlink() and elsewhere.read_bytes().startswith(b"%PDF-")


def test_escape_sequences_in_a_roster_never_reach_the_terminal(tmp_path: Path) -> None:
    # Before: ESC[2J in a cell cleared the screen, ESC[8m hid the summary line.
    roster = tmp_path / "r.csv"
    roster.write_text(
        "name,patient_id,date,exercises\nAnn Lee,A1,2026-11-23,\x1b[2Jstretching\nBo Ek,B2,2026-11-23,\x1b[8mwalk\r\n",
        encoding="utf-8",
    )
    code, out, err = batch(roster, "-o", tmp_path / "out")
    assert code == 1
    assert "\x1b" not in out + err and "\r" not in err
    assert "\\x1b[2Jstretching" in err and "\\x1b[8mwalk" in err


def test_an_alias_bomb_spread_over_records_is_refused_for_the_file(tmp_path: Path) -> None:
    # Before: the cap counted per record, so a 6 KB roster took 78 s of CPU.
    lines = ['- {name: A B, patient_id: "1", date: 2026-11-23, notes: x, x: &a ["' + '","'.join("x" * 9) + '"]}']
    lines += ["- &b [" + ",".join(["*a"] * 9) + "]", "- &c [" + ",".join(["*b"] * 9) + "]"]
    lines += ["- &d [" + ",".join(["*c"] * 9) + "]", "- &e [" + ",".join(["*d"] * 9) + "]"]
    lines += ["- [" + ",".join(["*e"] * 9) + "]" for _ in range(40)]
    roster = tmp_path / "r.yaml"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert time.monotonic() - started < 10
    assert code == 2 and "expands to more than 200,000 values" in err
    assert not (tmp_path / "out").exists()


@needs_proc
def test_jobs_is_capped_at_the_records_and_the_cpus(tmp_path: Path) -> None:
    # Before: --jobs 200 started 200 workers (7.7 GB) for a 5-record roster.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "generate.py"), "batch", str(EXAMPLES / "roster.yaml"), "-j", "200"]
    proc = subprocess.Popen([*cmd, "-o", str(tmp_path / "out")], env=env, stdout=-1, stderr=-1)
    most = 0
    while proc.poll() is None:
        try:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            break
        most = max(most, len(children))
        time.sleep(0.01)
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert most <= min(5, os.cpu_count() or 1)
