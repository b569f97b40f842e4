"""OUTDIR, the folder a batch prints into: held by one batch at a time, written only by creating files.

A second batch into the same folder would clear the first one's unfinished files and interleave two
manifests, so a batch first takes a lock: the operating system's own lock (flock; on Windows, msvcrt's
byte lock) on `.handouts-batch.lock`, held as long as the batch's process lives. The system drops it when
the process ends, however it ends (killed, power cut), so no lock is ever judged stale by its age or
its contents, and two batches can never both hold it. Every file a batch writes is created new in OUTDIR
(a hidden temporary file, then renamed), so a link planted there under a handout's or the manifest's
name is replaced, never followed, and the roster is never written over.
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
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_TRIES = 20


class Lock:
    """OUTDIR's lock, held for the whole batch: an open file the operating system has locked for us."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / LOCK_NAME
        for _ in range(_TRIES):
            fd = self._open(outdir)
            if not _lock(fd, outdir):
                holder = _holder(fd)
                os.close(fd)
                raise HandoutError(
                    Problem(
                        str(outdir),
                        f"another batch{holder} is printing into this folder; wait for it to finish "
                        "or choose another folder",
                    )
                )
            if _is_still(fd, self.path):
                break
            os.close(fd)  # the batch before us removed the file we locked as it finished: lock the new one
        else:
            raise HandoutError(Problem(str(outdir), "another batch keeps taking this folder; choose another folder"))
        self.fd: int | None = fd
        _note_holder(fd)

    def _open(self, outdir: Path) -> int:
        try:
            return os.open(self.path, _FLAGS, 0o644)
        except OSError as exc:
            raise HandoutError(Problem(str(outdir), f"{_UNUSABLE}: {exc.strerror}")) from None

    def release(self) -> None:
        """Remove the file while still holding it (POSIX), so a batch that opened it meanwhile sees it
        is gone and locks a new one; Windows can't remove an open file, so there it is closed first."""
        fd, self.fd = self.fd, None
        if fd is None:
            return
        if os.name == "nt":
            os.close(fd)
        try:
            self.path.unlink()
        except OSError:
            pass  # on Windows another batch may have it open already: it is theirs now
        if os.name != "nt":
            os.close(fd)


def _lock(fd: int, where: Path) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    if os.name == "nt":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]  # Windows only
        except OSError:  # held by another batch
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # held by another batch
        return False
    except OSError as exc:  # a file system that can't lock (a network share without a lock service)
        os.close(fd)
        raise HandoutError(Problem(str(where), f"{_UNUSABLE}: it can't be locked ({exc.strerror})")) from None
    return True


def _is_still(fd: int, path: Path) -> bool:
    """Whether the file locked is still the one under the lock's name."""
    try:
        mine, there = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _note_holder(fd: int) -> None:
    """Who holds the lock, for the message a second batch gives (never used to decide anything)."""
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 1, os.SEEK_SET)  # past the byte Windows locks, which others may not read
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode("ascii", "replace"))
    except OSError:
        pass


def _holder(fd: int) -> str:
    """ " (process 123)", " (process 123 on host)", or nothing when the file can't say."""
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        pid, _, host = os.read(fd, 200).decode("ascii", "replace").strip().partition(" ")
    except OSError:
        return ""
    if not pid.isdigit():
        return ""
    return f" (process {pid}" + (f" on {host}" if host and host != socket.gethostname() else "") + ")"


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
