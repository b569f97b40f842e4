"""The batch command on real rosters: files, manifest, exit codes, names, and interruptions."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pdfcheck import all_text, reader

from handouts.cli import main

FIXTURES = ROOT / "tests" / "fixtures" / "rosters"
needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads worker processes from /proc")
EXAMPLES = ROOT / "examples"


def batch(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def manifest(outdir: Path) -> list[dict[str, str]]:
    raw = (outdir / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel shows accented names correctly
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def pdfs(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir() if p.name != "manifest.csv")


def _errors(err: str) -> list[str]:
    """stderr's lines but the warnings, which say something the desk should know and fail nothing."""
    return [line for line in err.splitlines() if not line.startswith("warning: ")]


def synthetic_roster(path: Path, count: int) -> Path:
    lines = ["defaults: {clinic: Riverside Rehabilitation, date: 2026-11-23}", "patients:"]
    for i in range(count):
        lines += [
            f"  - name: Patient Number{i}",
            f"    patient_id: 'P{i:05d}'",
            "    stronger_side: left",
            "    exercises: [stretching, {aerobic: {minutes: 10}}]",
            "    devices: [cane, {walker: {wheels: true}}]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("roster", ["mixed.yaml", "mixed.csv"])
def test_good_records_print_bad_ones_are_reported_and_duplicates_get_distinct_names(
    roster: str, tmp_path: Path
) -> None:
    code, out, err = batch(FIXTURES / roster, "-o", tmp_path, "--jobs", "2")
    assert code == 1
    assert pdfs(tmp_path) == ["2026-11-23_lopez-maria_004211.pdf", "2026-11-23_lopez-maria_004211_2.pdf"]
    rows = manifest(tmp_path)
    assert [r["status"] for r in rows] == ["written", "failed", "written", "failed", "failed"]
    assert [r["name"] for r in rows] == ["Maria Lopez", "Bad Dose", "Maria Lopez", "No Identifier", "Ann Lee"]
    assert rows[0]["pages"] == str(len(reader((tmp_path / rows[0]["file"]).read_bytes()).pages))
    # Each duplicate is its own patient's handout: the second record's clinic is its own.
    second = all_text((tmp_path / "2026-11-23_lopez-maria_004211_2.pdf").read_bytes())
    assert "Lakeside ALS Clinic" in second
    assert "1 failed" not in out and "2 written, 3 failed: see" in out
    if roster.endswith(".yaml"):
        assert [r["row"] for r in rows] == ["1", "2", "3", "4", "5"]
        assert "mixed.yaml:16: record 2: exercises[0].aerobic.minutes: 'lots' is not a whole number" in err
        assert "mixed.yaml:20: record 4: patient_id: a second identifier is required" in err
        assert "mixed.yaml:23: record 5: devices[0]: 'strech' is not a device" in err
        # Defaults are applied: the first record's handout names the default therapist.
        assert "Alex Kim, PT" in all_text((tmp_path / rows[0]["file"]).read_bytes())
    else:
        assert [r["row"] for r in rows] == ["2", "3", "4", "5", "6"]
        assert "mixed.csv: row 3: exercises[0].aerobic.minutes: 'lots' is not a whole number" in err
        assert "mixed.csv: row 6: exercises: item 1 'aerobic(minutes=15': no ')' closes the options" in err
    assert rows[1]["error"] in err


def test_the_examples_print_cleanly_and_both_forms_agree(tmp_path: Path) -> None:
    for roster in ("roster.yaml", "roster.csv"):
        code, out, err = batch(EXAMPLES / roster, "-o", tmp_path / roster, "-j", "1")
        assert (code, _errors(err)) == (0, [])  # warnings only: kinds that name no moves (issue 22)
        assert out.startswith("5 written: see ")
        assert all(r["status"] == "written" for r in manifest(tmp_path / roster))
    assert len(pdfs(tmp_path / "roster.yaml")) == 5
    assert {n for n in pdfs(tmp_path / "roster.yaml") if "souza" not in n} == {
        n for n in pdfs(tmp_path / "roster.csv") if "souza" not in n
    }


def test_existing_files_are_skipped_and_left_untouched_unless_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "2026-11-23_lopez-maria_004211.pdf"
    target.write_bytes(b"the clinic's own file")
    os.utime(target, (1_000_000, 1_000_000))
    code, out, _ = batch(EXAMPLES / "roster.yaml", "-o", tmp_path)
    assert code == 1  # not this record's handout: someone should look
    assert target.read_bytes() == b"the clinic's own file" and target.stat().st_mtime == 1_000_000
    rows = {r["file"]: r for r in manifest(tmp_path)}
    assert rows[target.name]["status"] == "skipped"
    assert "4 written, 1 skipped (a different handout is already there" in out
    code, out, _ = batch(EXAMPLES / "roster.yaml", "-o", tmp_path, "--overwrite")
    assert code == 0 and "5 written" in out
    assert target.read_bytes().startswith(b"%PDF-")


def test_jobs_1_and_jobs_2_give_byte_identical_pdfs(tmp_path: Path) -> None:
    roster = synthetic_roster(tmp_path / "r.yaml", 12)
    assert batch(roster, "-o", tmp_path / "one", "-j", "1")[0] == 0
    assert batch(roster, "-o", tmp_path / "two", "-j", "2")[0] == 0
    names = pdfs(tmp_path / "one")
    assert len(names) == 12 and names == pdfs(tmp_path / "two")
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert (tmp_path / "one" / "manifest.csv").read_bytes() == (tmp_path / "two" / "manifest.csv").read_bytes()


def test_manifest_cells_can_not_run_as_formulas(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        'name,patient_id,date\n"=HYPERLINK(""http://x"")",+1-555,2026-11-23\n@SUM(A1),-7,2026-11-23\n-bad,,bad\n',
        encoding="utf-8",
    )
    code, _, _ = batch(roster, "-o", tmp_path / "out")
    assert code == 1
    rows = manifest(tmp_path / "out")
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "'-bad"]
    assert [r["patient_id"] for r in rows] == ["'+1-555", "'-7", ""]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    # The handout itself prints the name exactly as written.
    written = tmp_path / "out" / rows[0]["file"]
    assert '=HYPERLINK("http://x")' in all_text(written.read_bytes())


@pytest.mark.parametrize(
    "name, ident",
    [
        ("../../etc/passwd", "../x"),
        ("/abs/path", "/"),
        ("C:\\Windows\\system32", "..\\.."),
        ("CON", "NUL"),
        ("Ann Lee", "a/b"),
        ("ANN LEE", "A/B"),
    ],
)
def test_names_never_write_outside_outdir(tmp_path: Path, name: str, ident: str) -> None:
    outdir = tmp_path / "deep" / "out"
    roster = tmp_path / "r.yaml"
    roster.write_text(
        f"- {{name: {name!r}, patient_id: {ident!r}, date: 2026-11-23}}\n"
        f"- {{name: {name.lower()!r}, patient_id: {ident.lower()!r}, date: 2026-11-23}}\n",
        encoding="utf-8",
    )
    assert batch(roster, "-o", outdir)[0] == 0
    everything = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    names = pdfs(outdir)
    assert everything == ["deep", "deep/out", *[f"deep/out/{n}" for n in sorted([*names, "manifest.csv"])], "r.yaml"]
    assert len(names) == 2 and len({n.lower() for n in names}) == 2  # no two names that differ only in case
    for n in names:
        assert n.isascii() and n == n.lower() and n.startswith("2026-11-23_")


def test_unreadable_rosters_exit_2_and_print_nothing(tmp_path: Path) -> None:
    for roster, expected in [
        (FIXTURES / "latin1.csv", "latin1.csv: row 2: is not UTF-8 text"),
        (FIXTURES / "broken.yaml", "broken.yaml:5: not valid YAML"),
        (tmp_path / "missing.csv", "missing.csv: no such roster file"),
    ]:
        code, _, err = batch(roster, "-o", tmp_path / "out")
        assert (code, expected in err) == (2, True), err
        assert not (tmp_path / "out").exists()


def test_an_outdir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    code, _, err = batch(EXAMPLES / "roster.yaml", "-o", tmp_path / "taken" / "out")
    assert code == 2 and "can't use this folder for handouts" in err
    code, _, err = batch(EXAMPLES / "roster.yaml", "-o", tmp_path / "taken")
    assert code == 2 and "taken" in err


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    assert batch(EXAMPLES / "roster.yaml", "-o", tmp_path / "a", "-q")[1:] == ("", "")
    code, out, err = batch(FIXTURES / "mixed.yaml", "-o", tmp_path / "b", "-q")
    assert code == 1 and out == "" and err.count("\n") == 3


def _spawn(roster: Path, outdir: Path, **kw: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "generate.py"), "batch", str(roster), "-o", str(outdir), "-j", "2"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)  # type: ignore[call-overload]


def _wait_for_pdfs(outdir: Path, count: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if outdir.is_dir() and len(list(outdir.glob("*.pdf"))) >= count:
            return
        time.sleep(0.02)
    raise AssertionError("the batch did not get going")


def _alive(pid: str) -> bool:
    try:
        return "\tZ" not in Path(f"/proc/{pid}/status").read_text().split("State:")[1][:3]
    except (FileNotFoundError, IndexError):
        return False


def _complete(outdir: Path) -> list[str]:
    """Every PDF under a final name is whole: it parses and ends with %%EOF."""
    names = sorted(p.name for p in outdir.glob("*.pdf"))
    for name in names:
        data = (outdir / name).read_bytes()
        assert data.rstrip().endswith(b"%%EOF"), name
        assert len(reader(data).pages) >= 2
    return names


def test_ctrl_c_stops_cleanly_with_no_partial_pdf_and_a_manifest(tmp_path: Path) -> None:
    roster = synthetic_roster(tmp_path / "r.yaml", 400)
    outdir = tmp_path / "out"
    proc = _spawn(roster, outdir)
    _wait_for_pdfs(outdir, 5, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    names = _complete(outdir)
    assert 5 <= len(names) < 400
    assert not [p for p in outdir.iterdir() if p.name.endswith(".part")]
    rows = manifest(outdir)
    assert all(r["status"] == "written" for r in rows)
    assert [int(r["row"]) for r in rows] == list(range(1, len(rows) + 1))  # what was read, in order
    assert sorted(r["file"] for r in rows) == names  # every handout written is in the manifest
    assert b"Stopped: " in err and b"Traceback" not in err


@needs_proc
def test_a_killed_batch_leaves_no_truncated_pdf_and_a_rerun_finishes_the_job(tmp_path: Path) -> None:
    # 40 records: killed after 10, so the rerun has most of the roster left to skip and to finish.
    roster = synthetic_roster(tmp_path / "r.yaml", 40)
    outdir = tmp_path / "out"
    proc = _spawn(roster, outdir)
    _wait_for_pdfs(outdir, 10, proc)
    workers = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert len(workers) == 2
    proc.kill()  # SIGKILL: no chance to clean up
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers))  # the workers leave with their batch
    first = _complete(outdir)
    assert 10 <= len(first) < 40
    proc = _spawn(roster, outdir)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(_complete(outdir)) == 40
    assert not [p for p in outdir.iterdir() if p.name.startswith(".")]  # leftovers cleared
    rows = manifest(outdir)
    assert sum(r["status"] == "skipped" for r in rows) == len(first)
    assert sum(r["status"] == "written" for r in rows) == 40 - len(first)


@needs_proc
def test_a_worker_that_dies_stops_the_batch_with_a_clear_message(tmp_path: Path) -> None:
    roster = synthetic_roster(tmp_path / "r.yaml", 200)
    outdir = tmp_path / "out"
    proc = _spawn(roster, outdir)
    _wait_for_pdfs(outdir, 5, proc)
    worker = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()[0]
    os.kill(int(worker), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert b"A worker process stopped unexpectedly" in err and b"Traceback" not in err
    _complete(outdir)
    rows = manifest(outdir)
    assert rows and any("the process drawing it stopped" in r["error"] for r in rows)


def test_bad_defaults_refuse_the_roster_before_anything_is_written(tmp_path: Path) -> None:
    roster = tmp_path / "r.yaml"
    roster.write_text("defaults:\n  date: 23/11/2026\npatients:\n  - {name: A B, patient_id: '1'}\n")
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 2 and "r.yaml:2: defaults.date: '23/11/2026' is not a date" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_progress_bar_only_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    import pty

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "generate.py"), "batch", str(EXAMPLES / "roster.yaml"), "-j", "1", "-o"]
    main_fd, child_fd = pty.openpty()
    proc = subprocess.run([*cmd, str(tmp_path / "a")], env=env, stderr=child_fd, capture_output=False, stdout=-1)
    os.close(child_fd)
    shown = b""
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_fd)
    assert proc.returncode == 0 and b"Printing handouts" in shown and b"5/5" in shown
    piped = subprocess.run([*cmd, str(tmp_path / "b")], env=env, capture_output=True)
    assert piped.returncode == 0 and _errors(piped.stderr.decode()) == []


def test_layout_and_paper_options_apply_to_every_handout(tmp_path: Path) -> None:
    code, _, _ = batch(EXAMPLES / "roster.yaml", "-o", tmp_path, "--layout", "extra-large", "--paper", "a4")
    assert code == 0
    for name in pdfs(tmp_path):
        page = reader((tmp_path / name).read_bytes()).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_a_record_that_is_not_a_set_of_fields_fails_alone(tmp_path: Path) -> None:
    roster = tmp_path / "r.yaml"
    roster.write_text("- just a name\n- {name: A B, patient_id: '1', date: 2026-11-23}\n- [a, list]\n")
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 1
    assert [r["status"] for r in manifest(tmp_path / "out")] == ["failed", "written", "failed"]
    assert "r.yaml:1: record 1: a patient file must be a set of 'key: value' lines" in err
    assert "r.yaml:3: record 3:" in err


def test_a_full_disk_stops_the_batch_with_a_clear_error_and_no_partial_pdf(tmp_path: Path) -> None:
    from test_cli import _small_disk

    outdir = tmp_path / "out"
    roster = ROOT / "examples" / "roster.yaml"
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "batch", str(roster), "-o", str(outdir), "--jobs", "1"],
        capture_output=True,
        text=True,
        preexec_fn=_small_disk,
    )
    assert done.returncode == 2, done.stderr
    assert f"{roster}: record 1: {outdir}/2026-11-23_lopez-maria_004211.pdf: can't write the PDF: File too large" in (
        done.stderr
    )
    assert "the batch stopped: make room or choose another folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list(outdir.glob("*.pdf")) and not list(outdir.glob(".*.part"))
    assert "failed" in (outdir / "manifest.csv").read_text(encoding="utf-8-sig")


def _one_patient(path: Path, side: str) -> Path:
    path.write_text(
        "- {name: Ann Lee, patient_id: '7', date: 2026-11-23, stronger_side: " + side + ", devices: [cane]}\n",
        encoding="utf-8",
    )
    return path


def test_a_corrected_roster_is_not_hidden_behind_the_old_handout(tmp_path: Path) -> None:
    roster, outdir = _one_patient(tmp_path / "r.yaml", "left"), tmp_path / "out"
    assert batch(roster, "-o", outdir)[0] == 0
    target = outdir / "2026-11-23_lee-ann_7.pdf"
    assert "Hold the cane in your left hand" in all_text(target.read_bytes())
    os.utime(target, (1_000_000, 1_000_000))
    # The same roster again: the file there is the one it would print; nothing to do, nothing to say.
    code, out, err = batch(roster, "-o", outdir)
    assert (code, err) == (0, "")
    assert "0 written, 1 skipped (already there, unchanged)" in out
    assert [(r["status"], r["error"]) for r in manifest(outdir)] == [("skipped", "")]
    # The therapist corrects the stronger side: the old handout is no longer this record's handout.
    _one_patient(roster, "right")
    code, out, err = batch(roster, "-o", outdir)
    assert code == 1
    expected = "a different handout is already there (the record changed?); use --overwrite to replace it"
    assert f"r.yaml: record 1: {target}: {expected}" in err
    assert [(r["status"], r["error"]) for r in manifest(outdir)] == [("skipped", expected)]
    assert "1 skipped (a different handout is already there" in out
    assert target.stat().st_mtime == 1_000_000  # never touched without --overwrite
    assert "Hold the cane in your left hand" in all_text(target.read_bytes())
    code, out, _ = batch(roster, "-o", outdir, "--overwrite")
    assert code == 0 and "1 written" in out
    assert "Hold the cane in your right hand" in all_text(target.read_bytes())


def test_the_manifest_names_patients_identified_by_birth_date(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        "name,patient_id,birth_date,date\nAnn Lee,,1950-01-02,2026-11-23\nBo Ek,B-1,,2026-11-23\nCy Do,,bad,\n",
        encoding="utf-8",
    )
    assert batch(roster, "-o", tmp_path / "out")[0] == 1
    raw = (tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig")
    assert raw.splitlines()[0] == "row,name,patient_id,birth_date,status,file,pages,error,warning"
    rows = manifest(tmp_path / "out")
    assert [(r["patient_id"], r["birth_date"], r["status"]) for r in rows] == [
        ("", "1950-01-02", "written"),
        ("B-1", "", "written"),
        ("", "bad", "failed"),  # as written, even when it is wrong
    ]


@pytest.mark.parametrize("roster", ["roster.yaml", "roster.csv"])
def test_handout_on_a_roster_says_to_use_batch(roster: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["handout", str(EXAMPLES / roster), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert f"{EXAMPLES / roster}: this looks like a roster (many patients), not one patient file" in result.stderr
    assert f"python generate.py batch {EXAMPLES / roster} -o FOLDER" in result.stderr
    assert "is not a known field" not in result.stderr and "key: value" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("text", ["- name: A B\n  patient_id: '1'\n", "patients: []\n", "defaults: {clinic: X}\n"])
def test_handout_recognizes_yaml_rosters_of_any_shape(text: str, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["handout", str(path), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "this looks like a roster" in result.stderr


def test_batch_on_one_patient_file_says_to_use_handout(tmp_path: Path) -> None:
    code, _, err = batch(EXAMPLES / "maria-lopez.yaml", "-o", tmp_path / "out")
    assert code == 2
    assert (
        f"{EXAMPLES / 'maria-lopez.yaml'}:2: this is one patient file, not a roster; "
        f"use `python generate.py handout {EXAMPLES / 'maria-lopez.yaml'}`"
    ) in err
    assert "is not part of a roster" not in err
    assert not (tmp_path / "out").exists()


def test_csv_option_names_ignore_capitals_and_a_trailing_comma(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        "name,patient_id,date,stronger_side,exercises,devices\n"
        'Ann Lee,7,2026-11-23,left,"Aerobic(Minutes=15,); range_of_motion(Mode=Active,)",Walker(Wheels=true)\n',
        encoding="utf-8",
    )
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert (code, _errors(err)) == (0, [])
    text = all_text((tmp_path / "out" / "2026-11-23_lee-ann_7.pdf").read_bytes())
    assert "15 minutes each time" in text and "Your walker has wheels" in text


def test_yaml_option_names_ignore_capitals_too_but_not_twice(tmp_path: Path) -> None:
    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- {name: A B, patient_id: '1', date: 2026-11-23, exercises: [{Aerobic: {Minutes: 15}}]}\n"
        "- {name: C D, patient_id: '2', date: 2026-11-23, exercises: [{aerobic: {Minutes: 15, minutes: 20}}]}\n",
        encoding="utf-8",
    )
    code, _, err = batch(roster, "-o", tmp_path / "out")
    assert code == 1
    assert [r["status"] for r in manifest(tmp_path / "out")] == ["written", "failed"]
    assert "r.yaml:2: record 2: exercises[0].aerobic.minutes: 'minutes' is given twice (as 'Minutes')" in err
