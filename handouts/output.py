"""Where a handout goes on disk: a safe file name, and a write that is never half done.

A PDF is first written to a hidden temporary file in the target folder and then renamed over the
final name, so a crash, Ctrl-C or full disk never leaves a truncated PDF under a real name.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import Handout

MAX_SLUG = 40

# Letters that NFKD does not take apart, spelled in plain ASCII so a file name stays readable.
_LATIN = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split(),
        strict=True,
    )
)
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g".split(),
        strict=True,
    )
)
_ASCII = str.maketrans({k: v.strip("-") for k, v in (_LATIN | _GREEK | _CYRILLIC).items()})


def slug(text: str) -> str:
    """ASCII letters, digits and single hyphens: valid and readable on Windows, macOS and Linux.

    Nothing that a file system treats specially survives: no `/`, `\\`, `..`, NUL or drive letter,
    and a reserved Windows name such as CON can't be the whole name, since every name starts with a date.
    """
    letters = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(ch for ch in letters if not unicodedata.combining(ch))
    letters = letters.replace("ου", "ou").translate(_ASCII)  # Greek "ou" is one sound, written as two letters
    ascii_text = letters.encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return cleaned[:MAX_SLUG].strip("-")


def _tag(text: str) -> str:
    """Six hex digits that tell apart two texts whose slugs are the same (`AB-7` and `ab 7`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def _exact(text: str) -> str:
    """The slug of `text`, with a tag made from the exact text whenever the slug lost anything, so that
    two different identifiers never share a file name, even on a file system that ignores case
    (Windows, macOS). Record numbers are written in capitals (MRN-77310, 004211): those are the one
    spelling kept without a tag; `mrn-77310` is another identifier and gets `mrn-77310-3f2a9c`."""
    short = slug(text)
    plain = short and short == text.lower() and text == text.upper()
    return short if plain else "-".join(p for p in (short, _tag(text)) if p)


def handout_filename(handout: Handout) -> str:
    """`2026-11-23_lopez-maria_004211.pdf`: sorts by date, then family name, then identifier."""
    words = handout.name.split()
    family_first = " ".join([words[-1], *words[:-1]]) if words else ""
    name = slug(family_first)
    if not name:  # a name in a script with no ASCII spelling: still one file per patient
        name = "patient-" + _tag(handout.name)
    if handout.patient_id:
        ident_slug = _exact(handout.patient_id)
    else:
        ident_slug = "born-" + handout.birth_date.isoformat() if handout.birth_date else "id"
    parts = [handout.date.isoformat(), name, ident_slug]
    return "_".join(parts) + ".pdf"


def refuse_inputs(target: Path, inputs: dict[str, Path | None]) -> None:
    """A PDF is never written over one of the files it was made from (the same file, by inode, however
    the path is spelled), which would destroy the input."""
    for what, source in inputs.items():
        try:
            same = source is not None and os.path.samefile(target, source)
        except OSError:  # the target does not exist yet, or can't be looked at: not an input
            same = False
        if same:
            raise HandoutError(Problem(str(target), f"is the {what} file itself; give another name for the PDF"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()
"""Read once, at import, while nothing else runs: os.umask can only be read by setting it."""


def target_for(output: str | None, name: str) -> Path:
    """Where `handout -o OUTPUT` writes the PDF named `name`: OUTPUT itself, or inside it when it is a
    folder. A path ending in a separator (`newdir/`) is a folder, made if missing: written as a file
    named `newdir`, the next patient's handout would silently replace it."""
    if not output:
        return Path(name)
    folder = output.endswith(("/", os.sep, os.altsep or "/"))
    path = Path(output)
    if folder:
        if path.exists() and not path.is_dir():
            raise HandoutError(Problem(output, "is a file, not a folder; give a folder, or the PDF's name without '/'"))
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HandoutError(Problem(output, f"can't make this folder: {exc.strerror}")) from None
    return path / name if path.is_dir() else path


def refuse_special(path: Path) -> None:
    """A handout only ever replaces a plain file: never a device (/dev/null), a link (/dev/stdout), a
    folder, a pipe or a socket, which a rename would replace with a PDF (as root, even /dev/null)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise HandoutError(Problem(str(path), f"can't write the PDF: {exc.strerror}")) from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        what = "is a link; a handout never replaces a link or writes through one"
    elif stat.S_ISDIR(mode):
        what = "is a folder; a handout never replaces a folder"
    else:
        what = "is a device, pipe or socket, not a file; a handout is only written to a file"
    raise HandoutError(Problem(str(path), f"{what}: give a new file name for the PDF, or a folder for it"))


def write_atomic(path: Path, data: bytes, only_over_files: bool = False) -> None:
    """Write `data` to `path` so that `path` holds either nothing new or the whole file.

    `only_over_files` (the `handout` command): refuse to replace anything but a plain file, checked
    again just before the rename. The batch leaves it off: a link planted in OUTDIR under a handout's
    name is replaced there, never followed, and only with --overwrite."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HandoutError(Problem(str(path), f"the folder {folder} does not exist; create it first"))
    if only_over_files:
        refuse_special(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as f:
            # mkstemp makes the file private (0600); a handout gets the usual permissions instead.
            os.fchmod(f.fileno(), 0o666 & ~_UMASK)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if only_over_files:
            refuse_special(path)
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
