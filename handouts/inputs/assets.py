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
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ValueError(f"the logo file {path} can't be read: {exc.strerror}") from None
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ValueError(f"the logo file {path} is not a PNG or JPEG image; save the logo as PNG or JPEG")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.load()
            return im.size
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise ValueError(f"the logo file {path} can't be read as an image ({exc}); save it again") from None
