"""Where `handout -o` writes, through the real command in a process of its own (issue 21, items 7 and 9):
a path ending in '/' is a folder, made if missing; a device, a link, a pipe or a folder is never
replaced by a PDF; only a plain file is."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

MARIA = ROOT / "examples" / "maria-lopez.yaml"
JAMES = ROOT / "examples" / "james-okafor.yaml"


def handout(patient: Path, output: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "handout", str(patient), "-o", output],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_path_ending_in_a_slash_is_a_folder_made_if_missing(tmp_path: Path) -> None:
    first = handout(MARIA, "newdir/", tmp_path)
    second = handout(JAMES, "newdir/", tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    folder = tmp_path / "newdir"
    assert folder.is_dir()
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["2026-11-23_lopez-maria_004211.pdf", "2026-11-23_okafor-james_born-1958-09-14.pdf"]
    assert first.stdout.strip() == "newdir/2026-11-23_lopez-maria_004211.pdf"
    nested = handout(MARIA, "a/b/", tmp_path)
    assert nested.returncode == 0 and (tmp_path / "a" / "b" / "2026-11-23_lopez-maria_004211.pdf").is_file()


def test_a_folder_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("keep me")
    done = handout(MARIA, "notes/", tmp_path)
    assert done.returncode == 2 and "notes/: is a file, not a folder" in done.stderr
    assert (tmp_path / "notes").read_text() == "keep me"
    assert "Traceback" not in done.stderr


def _refused(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr
    assert "give a new file name for the PDF, or a folder for it" in done.stderr


def test_a_link_is_never_replaced_or_followed(tmp_path: Path) -> None:
    kept = tmp_path / "other.pdf"
    kept.write_bytes(b"another patient's handout")
    (tmp_path / "link.pdf").symlink_to(kept)
    _refused(handout(MARIA, "link.pdf", tmp_path), "link.pdf: is a link")
    assert (tmp_path / "link.pdf").is_symlink() and kept.read_bytes() == b"another patient's handout"
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    _refused(handout(MARIA, "dangling.pdf", tmp_path), "dangling.pdf: is a link")
    assert not (tmp_path / "nowhere.pdf").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_never_replaced(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    _refused(handout(MARIA, "pipe", tmp_path), "pipe: is a device, pipe or socket, not a file")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)


def test_a_folder_under_the_handouts_name_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "out" / "2026-11-23_lopez-maria_004211.pdf").mkdir(parents=True)
    _refused(handout(MARIA, "out", tmp_path), "2026-11-23_lopez-maria_004211.pdf: is a folder")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() != 0, reason="only root can make (and replace) a device")
def test_devices_are_never_replaced_even_as_root(tmp_path: Path) -> None:
    """As root, a rename replaces a device node with a file. Tried first on a device made here (the same
    kind as /dev/null), and only then on /dev/null and /dev/stdout themselves."""
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    _refused(handout(MARIA, str(device), tmp_path), "null: is a device, pipe or socket, not a file")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    _refused(handout(MARIA, "/dev/null", tmp_path), "/dev/null: is a device")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    if os.path.islink("/dev/stdout"):
        _refused(handout(MARIA, "/dev/stdout", tmp_path), "/dev/stdout: is a link")
        assert os.path.islink("/dev/stdout")


def test_a_plain_file_is_still_replaced(tmp_path: Path) -> None:
    (tmp_path / "maria.pdf").write_bytes(b"last week's handout")
    done = handout(MARIA, "maria.pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "maria.pdf").read_bytes().startswith(b"%PDF")
