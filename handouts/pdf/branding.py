"""The clinic's letterhead at the top of page 1: its logo, name, address and phone.

The clinic and phone in a patient file win over the layout's, since a layout may be shared by several
sites of one clinic. The letterhead uses the body text size and never less; the logo is scaled to fit
inside the margins and to at most a third of the line, so the text beside it keeps room for large print.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from handouts.errors import HandoutError, Problem
from handouts.handout.words import words

if TYPE_CHECKING:  # reportlab and the layout model load only when something is printed
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable

    from handouts.handout.personalize import Handout
    from handouts.inputs.layout import Layout

MAX_LOGO_SHARE = 1 / 3
"""The logo takes at most this share of the line; the clinic's name and address get the rest."""


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
    declared = _declared_size(head)
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


def _declared_size(head: bytes) -> tuple[int, int] | None:
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


def letterhead(
    handout: Handout, layout: Layout, body: ParagraphStyle, width: float, markup: Callable[..., str] = escape
) -> list[Flowable]:
    """Flowables for the letterhead: the layout's clinic as a whole (name, address, phone, logo).

    None when the layout has no clinic, or when the patient file names another clinic: one clinic's
    logo and address above another clinic's name would send the patient to the wrong place. The
    patient's own clinic and phone are always in the box at the top of page 1.

    `markup` is the renderer's, so a clinic or phone typed in the patient file gets the fallback font
    for letters the main font lacks, exactly like the rest of the patient's text."""
    from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle

    from handouts.pdf.tagging import tagged

    clinic = layout.clinic
    if not (clinic.name or clinic.address or clinic.phone or clinic.logo):
        return []
    given = {t.field: t.text for t in handout.patient_texts}.get("clinic")
    if given and clinic.name and _same(given) != _same(clinic.name):
        return []
    name, phone = clinic.name or given, clinic.phone
    w = words(handout.language.split("-")[0])
    lines = [f"<b>{markup(name, True)}</b>" if name else None, markup(clinic.address) if clinic.address else None]
    lines.append(w("phone", phone=markup(phone)) if phone else None)
    # What the layout itself says is the layout's to fix; the patient's own text was checked with the file.
    _check_letters(layout, [clinic.name, clinic.address, clinic.phone], body.fontName)
    text = [tagged(Paragraph(line, body.clone("letterhead", spaceAfter=0)), "P") for line in lines if line]
    gap = body.fontSize
    if not clinic.logo:
        return [*text, Spacer(1, gap)]
    assert layout.logo_path is not None
    px_w, px_h = image_size(layout.logo_path)
    h = clinic.logo_height * 72
    w = h * px_w / px_h
    if w > width * MAX_LOGO_SHARE:
        w, h = width * MAX_LOGO_SHARE, width * MAX_LOGO_SHARE * px_h / px_w
    logo = Image(str(layout.logo_path), width=w, height=h)
    logo = tagged(logo, "Figure", alt=w("logo_of", name=name) if name else w("logo"))
    cells = [[logo, text]] if text else [[logo, ""]]
    table = Table(cells, colWidths=[w + gap, width - w - gap], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Cells name a font even when they hold no text; name ours, never an unembedded Helvetica.
                ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize, body.leading),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table, Spacer(1, gap)]


def _same(name: str) -> str:
    return " ".join(name.casefold().split())


def _check_letters(layout: Layout, texts: list[str | None], font_name: str) -> None:
    """A clinic name the font can't draw is the layout's mistake; say so rather than print empty boxes."""
    from reportlab.pdfbase import pdfmetrics

    covered = pdfmetrics.getFont(font_name).face.charToGlyph
    for text in texts:
        missing = sorted({ch for ch in text or "" if ord(ch) not in covered and not ch.isspace()})
        if missing:
            raise HandoutError(
                Problem(
                    str(layout.folder / f"{layout.name}.yaml"),
                    f"the handout font has no letter for {', '.join(repr(c) for c in missing[:5])} "
                    f"in {text!r}; write it with other letters",
                    None,
                    "clinic",
                )
            )
