"""OUTDIR, the folder a batch prints into: held by one batch at a time, written only by creating files.

A second batch into the same folder would clear the first one's unfinished files and interleave two
manifests, so a batch first takes a lock: a file created with O_EXCL that holds its process id. A lock
left by a batch that died (killed, power cut) names a process that is gone, and is taken over. Every
file a batch writes is created new in OUTDIR (a hidden temporary file, then renamed), so a link
planted there under a handout's or the manifest's name is replaced, never followed, and the roster is
never written over.
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

from handouts.errors import HandoutError, Problem

LOCK_NAME = ".handouts-batch.lock"
MANIFEST_NAME = "manifest.csv"
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\.pdf")
_UNUSABLE = "can't use this folder for handouts"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


class Lock:
    """OUTDIR's lock, held for the whole batch."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / LOCK_NAME
        self.mine = f"{os.getpid()} {socket.gethostname()}\n"
        for _ in range(3):  # a stale lock is removed, then taken; another batch may race for it
            try:
                fd = os.open(self.path, _FLAGS, 0o644)
            except FileExistsError:
                self._take_over_if_stale(outdir)
                continue
            except OSError as exc:
                raise HandoutError(
                    Problem(str(outdir), f"can't use this folder for handouts: {exc.strerror}")
                ) from None
            with os.fdopen(fd, "w") as f:
                f.write(self.mine)
            return
        raise HandoutError(Problem(str(outdir), "another batch keeps taking this folder; choose another folder"))

    def _take_over_if_stale(self, outdir: Path) -> None:
        try:
            pid_text, _, host = self.path.read_text(encoding="ascii", errors="replace").strip().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):
            pid, host = 0, ""  # unreadable or half-written: no live batch can be named
        if pid and (host != socket.gethostname() or _alive(pid)):
            where = f"process {pid}" + (f" on {host}" if host != socket.gethostname() else "")
            raise HandoutError(
                Problem(
                    str(outdir),
                    f"another batch ({where}) is printing into this folder; wait for it to finish or choose "
                    f"another folder (if no batch is running, delete {self.path})",
                )
            )
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise HandoutError(Problem(str(self.path), f"can't remove a stale lock: {exc.strerror}")) from None

    def release(self) -> None:
        try:
            if self.path.read_text(encoding="ascii", errors="replace") == self.mine:
                self.path.unlink()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there: a lock is only removed by hand
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: alive
    return True


def prepare(outdir: Path, roster: Path) -> tuple[Path, Lock]:
    """Make OUTDIR, take its lock, clear the hidden leftovers of a killed batch; refuse a roster that
    is OUTDIR's own manifest, which the batch would overwrite."""
    shown = str(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise HandoutError(Problem(shown, "is a file; give a folder for the handouts"))
    manifest = outdir / MANIFEST_NAME
    if _same_file(manifest, roster):
        raise HandoutError(
            Problem(
                str(roster),
                f"is {manifest}, where the batch writes its report; move the roster out of the folder "
                "or print into another folder",
            )
        )
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HandoutError(Problem(shown, f"can't use this folder for handouts: {exc.strerror}")) from None
    lock = Lock(outdir)
    try:
        # Hidden leftovers of a batch that was killed (SIGKILL, power cut) before it could clean up;
        # only ever cleared while holding the lock, so never another running batch's.
        for stale in [*outdir.glob(".*.pdf.*.part"), *outdir.glob(f".{MANIFEST_NAME}.*.part")]:
            stale.unlink()
    except OSError as exc:
        lock.release()
        raise HandoutError(Problem(shown, f"can't use this folder for handouts: {exc.strerror}")) from None
    return outdir.resolve(), lock


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def unique(name: str, used: set[str]) -> str:
    """The first record keeps the name, later ones get _2, _3...: the same on every run.

    File names from handout_filename have exactly two underscores, so a suffixed name can't be
    another patient's natural name.
    """
    stem, ext = name.rsplit(".", 1)
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}_{n}.{ext}"
    used.add(candidate)
    return candidate


def inside(outdir: Path, name: str) -> Path:
    """The final path, refused (as a bug) unless it is a plain safe name directly inside OUTDIR."""
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise RuntimeError(f"unsafe handout file name {name!r}")
    return outdir / name
