"""A layout's numbers are finite and in range, and a logo's pixel size is checked before it is decoded:
a layout that passes `check` never crashes `handout`."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from conftest import ROOT

from handouts.errors import HandoutError
from handouts.inputs.layout import load_layout

BASE = (ROOT / "layouts" / "large-print.yaml").read_text(encoding="utf-8")


def refused(folder: Path, name: str = "clinic") -> str:
    with pytest.raises(HandoutError) as caught:
        load_layout(name, folder)
    return str(caught.value)


@pytest.mark.parametrize(
    "old, new, field",
    [
        ("body: {size: 18,", "body: {size: nan,", "body.size"),
        ("margins: {top: 0.75,", "margins: {top: NaN,", "margins.top"),
        ("1.3, space_after: 3}", "1.3, space_after: inf}", "body.space_after"),
        ("body: {size: 18, line_spacing: 1.3,", "body: {size: 18, line_spacing: -infinity,", "body.line_spacing"),
        ("max_line_inches: 6.5", "max_line_inches: nan", "max_line_inches"),
    ],
)
def test_nan_and_infinity_are_refused_with_file_line_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    # Before: nan passed every range check (nan < 18 is False) and `handout` crashed with a traceback.
    assert old in BASE
    (tmp_path / "clinic.yaml").write_text(BASE.replace(old, new), encoding="utf-8")
    message = refused(tmp_path)
    line = next(n for n, text in enumerate(BASE.replace(old, new).splitlines(), 1) if new in text)
    assert f"clinic.yaml:{line}: {field}: " in message, message
    assert "finite" in message


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_a_logo_that_declares_a_huge_size_is_refused_before_decoding(tmp_path: Path) -> None:
    # Before: a 100-byte PNG declaring 20000 x 20000 pixels crashed check, list and handout.
    (tmp_path / "huge.png").write_bytes(_png(20000, 20000))
    text = BASE + "clinic:\n  name: Riverside\n  logo: huge.png\n"
    (tmp_path / "clinic.yaml").write_text(text, encoding="utf-8")
    message = refused(tmp_path)
    line = len(text.splitlines())
    assert f"clinic.yaml:{line}: clinic.logo: " in message, message
    assert "is 20000 x 20000 pixels; a logo may be at most 4000 pixels" in message
