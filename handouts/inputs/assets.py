"""The files a layout names, found and checked without loading reportlab: font families and logos.

Layout validation asks here whether a font family is installed and a logo can be read; the renderer
and the letterhead use the same answers, so a font or a logo is looked up in one way only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def family_files(family: str) -> tuple[Path, Path]:
    """The regular and bold files of an installed font family, or a ValueError saying how to install it."""
    import fontpkg

    try:
        return (Path(fontpkg.path(family, weight=400)), Path(fontpkg.path(family, weight=700)))
    except fontpkg.FontpkgError as exc:
        raise ValueError(
            f"the font family {family!r} is not installed ({exc}); install its fontpkg package "
            "or give regular and bold font files"
        ) from None


def image_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels of a PNG or JPEG, or a ValueError saying what is wrong with the file."""
    if not path.is_file():
        raise ValueError(f"the logo file {path} does not exist (paths are relative to the layout)")
    try:
        with path.open("rb") as f:
            head = f.read(MAX_HEADER_BYTES)
    except OSError as exc:
        raise ValueError(f"the logo file {path} can't be read: {exc.strerror}") from None
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ValueError(f"the logo file {path} is not a PNG or JPEG image; save the logo as PNG or JPEG")
    declared = declared_size(head)
    if declared is None:
        raise ValueError(f"the logo file {path} can't be read as an image (no size in its header); save it again")
    if max(declared) > MAX_LOGO_PX:
        raise ValueError(
            f"the logo file {path} is {declared[0]} x {declared[1]} pixels; a logo may be at most "
            f"{MAX_LOGO_PX} pixels wide and high (1.5 in at 600 dpi is 900): save a smaller copy"
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.load()
            return im.size
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise ValueError(f"the logo file {path} can't be read as an image ({exc}); save it again") from None


MAX_LOGO_PX = 4000
"""Checked in the file's header before any decoding: a small file can declare 20000 x 20000 pixels
(1.6 GB once decoded)."""
MAX_HEADER_BYTES = 1 << 16


def declared_size(head: bytes) -> tuple[int, int] | None:
    """Width and height as the PNG IHDR or the JPEG frame header (SOFn) states them."""
    if head.startswith(b"\x89PNG"):
        if len(head) < 24 or head[12:16] != b"IHDR":
            return None
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    i = 2
    while i + 9 <= len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(head[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(head[i + 7 : i + 9], "big"), int.from_bytes(head[i + 5 : i + 7], "big")
        i += 2 + length
    return None
