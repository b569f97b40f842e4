"""Reading a file a person made: a regular file of bounded size, in UTF-8, or a clear error.

A folder, a device or a pipe is refused before it is read; a file saved as UTF-16, Windows-1252 or
Mac Roman (as Excel and old editors save) is refused with what it looks like and how to save it.
Patient files, rosters, layouts, content and settings are all read here.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable
from pathlib import Path

from handouts.errors import HandoutError, Problem

MAX_FILE_BYTES = 2_000_000
"""Patient files are a few hundred bytes and content.yaml a few kilobytes; anything this big is a mistake."""


def read_bytes(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` of them, or a user error saying what the path is.

    The limit is enforced on the bytes actually read, not on the size the file system reports: a
    device such as /dev/zero reports 0 bytes and never ends. A pipe or a device is refused before it
    is opened, so a FIFO with no writer can't hang the tool.
    """
    shown = str(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise HandoutError(Problem(shown, f"is a folder; give the {what} file itself"))
        if not stat.S_ISREG(mode):
            raise HandoutError(Problem(shown, f"is not a file (a device, pipe or socket); give the {what} file itself"))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped for something else since the check
                raise HandoutError(Problem(shown, f"is not a file; give the {what} file itself"))
            raw = f.read(limit + 1)
    except FileNotFoundError:
        raise HandoutError(Problem(shown, f"no such {what} file")) from None
    except OSError as exc:
        raise HandoutError(Problem(shown, f"can't read the {what} file: {exc.strerror}")) from None
    if len(raw) > limit:
        raise HandoutError(Problem(shown, f"is over {limit:,} bytes; a {what} file may be at most {limit:,} bytes"))
    return raw


def read_text(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file or raise a user error that says what is wrong with it."""
    return decode(read_bytes(path, what, limit), str(path))


RowOf = Callable[[bytes, int], int]
"""For a CSV file: the spreadsheet row holding a byte offset, so a problem is said as a row, not a line."""


def decode(raw: bytes, shown: str, row_of: RowOf | None = None) -> str:
    """UTF-8, with or without the byte-order mark some editors write; anything else says what it looks
    like (UTF-16, Windows-1252, Mac Roman), and where."""

    def at(offset: int, message: str) -> HandoutError:
        if row_of is not None:
            return HandoutError(Problem(shown, f"row {row_of(raw, offset)}: {message}"))
        return HandoutError(Problem(shown, message, raw[:offset].count(b"\n") + 1))

    save = _SAVE_UTF8 + (_IN_EXCEL if row_of else "")
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise HandoutError(Problem(shown, f"is UTF-16 text; {save}"))
    if b"\0" in raw:
        if _utf16_without_bom(raw):
            raise HandoutError(Problem(shown, f"is UTF-16 text (with no byte-order mark); {save}"))
        raise at(raw.index(b"\0"), "contains a NUL byte; it is not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise at(exc.start, _not_utf8(raw[exc.start : exc.start + 4]) + save) from None
    if text.startswith("\ufeff"):
        raise at(0, "starts with two byte-order marks (invisible marks some programs add); save it again as UTF-8")
    return text


_SAVE_UTF8 = "save it as UTF-8 (most editors offer this)"
_IN_EXCEL = "; in Excel use Save As > 'CSV UTF-8 (Comma delimited)'"


def _utf16_without_bom(raw: bytes) -> bool:
    """Mostly-ASCII text saved as UTF-16 has a zero in every other byte."""
    sample = raw[:1000]
    halves = (sample[0::2], sample[1::2])
    return any(len(h) >= 2 and h.count(0) >= 0.4 * len(h) for h in halves)


def _not_utf8(sample: bytes) -> str:
    """Say which old encoding the first bad byte most likely comes from, with the letter it stands for."""
    byte = sample[0] if sample else 0
    if byte < 0x80:
        return "is not UTF-8 text; "
    if 0x80 <= byte <= 0x9F and bytes([byte]).decode("mac_roman").isalpha():
        # Windows-1252 has punctuation and rare letters here; Mac Roman has é, è, à, ñ, ö, ü...
        guess = f"Mac Roman: '{bytes([byte]).decode('mac_roman')}' is byte 0x{byte:02X} there"
    else:
        guess = f"Latin-1 or Windows-1252: '{bytes([byte]).decode('cp1252', 'replace')}' is byte 0x{byte:02X} there"
    return f"is not UTF-8 text (it looks like {guess}); "
