"""Where a handout goes on disk: a safe file name, and a write that is never half done.

A PDF is first written to a hidden temporary file in the target folder and then renamed over the
final name, so a crash, Ctrl-C or full disk never leaves a truncated PDF under a real name.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from handouts.errors import HandoutError, Problem
from handouts.personalize import Handout

MAX_SLUG = 40


def slug(text: str) -> str:
    """ASCII letters, digits and single hyphens: valid and readable on Windows, macOS and Linux."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:MAX_SLUG].strip("-")


def handout_filename(handout: Handout) -> str:
    """`2026-11-23_lopez-maria_004211.pdf`: sorts by date, then family name, then identifier."""
    words = handout.name.split()
    name = slug(" ".join([words[-1], *words[:-1]])) if words else ""
    if handout.patient_id:
        ident_slug = slug(handout.patient_id)
    else:
        ident_slug = "born-" + handout.birth_date.isoformat() if handout.birth_date else ""
    parts = [handout.date.isoformat(), name or "patient", ident_slug or "id"]
    return "_".join(parts) + ".pdf"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()
"""Read once, at import, while nothing else runs: os.umask can only be read by setting it."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that `path` holds either nothing new or the whole file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HandoutError(Problem(str(path), f"the folder {folder} does not exist; create it first"))
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as f:
            # mkstemp makes the file private (0600); a handout gets the usual permissions instead.
            os.fchmod(f.fileno(), 0o666 & ~_UMASK)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HandoutError(Problem(str(path), f"can't write the PDF: {reason}")) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
