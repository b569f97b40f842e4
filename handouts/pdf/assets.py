"""The files a handout is drawn with: font families, font files and logo images.

Layout validation asks here whether a font family is installed and a logo can be read, without loading
reportlab; the renderer and the fallback for missing letters register their fonts here, once per
process, so a font is looked up and registered in one way only.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class FontPair:
    """A registered regular and bold face, and the characters both of them can draw."""

    regular: str
    bold: str
    covered: frozenset[int]


_registered: dict[tuple[Path, Path], FontPair] = {}


def register(files: tuple[Path, Path]) -> FontPair:
    """Register a regular and a bold font file with reportlab, once per process, as one family."""
    if files not in _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        names = []
        for path in files:
            name = "HO-" + path.stem
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            names.append(name)
        # <b> inside a paragraph must find the real bold face, never a synthesized or missing one.
        pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1])
        faces = [pdfmetrics.getFont(name).face.charToGlyph for name in names]
        _registered[files] = FontPair(names[0], names[1], frozenset(faces[0]) & frozenset(faces[1]))
    return _registered[files]


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
