"""The clinic's own picture of a section, printed where the project would draw a figure, at its size.

The file was checked when the content loaded (handouts/inputs/media.py), which keeps its bytes; here it
becomes a PDF image once per process (a JPEG's own bytes, untouched; a PNG, or a photo stored sideways,
decoded once and turned upright on white paper), and each document embeds it once however often it
prints. The picture keeps its shape: fitted inside the figure's box, centred.
"""

from __future__ import annotations

import copy
import hashlib
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.platypus import Flowable

from handouts.inputs.media import CheckedImage, image_or_error

if TYPE_CHECKING:
    from handouts.handout.model import Picture

_prepared: dict[int, tuple[CheckedImage, str, PDFImageXObject]] = {}
"""Each checked image's PDF form, by the checked image (kept, so its id stays its own)."""


def clinic_figure(picture: Picture, width: float, height: float) -> Flowable | None:
    """The clinic's picture in a box of the figure's size, or None where the project draws one."""
    if picture.image is None:
        return None
    return ClinicImage(image_or_error(Path(picture.image), picture.image), width, height)


class ClinicImage(Flowable):
    """A checked PNG or JPEG, fitted in a box and centred; tagging makes it a Figure with its alt."""

    def __init__(self, image: CheckedImage, width: float, height: float) -> None:
        super().__init__()
        self.image = image
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def placed(self) -> tuple[float, float, float, float]:
        """x, y, width and height of the picture inside the box: as large as fits, its shape kept."""
        pixels_w, pixels_h = self.image.size
        scale = min(self.width / pixels_w, self.height / pixels_h)
        w, h = pixels_w * scale, pixels_h * scale
        return (self.width - w) / 2, (self.height - h) / 2, w, h

    def draw(self) -> None:
        name, form = _form(self.image)
        canv: Any = self.canv
        doc = canv._doc
        registered = doc.getXObjectName(name)
        if registered not in doc.idToObject:  # once per document, as canvas.drawImage does it
            own = copy.copy(form)
            doc.Reference(own, registered)
            doc.addForm(name, own)
        x, y, w, h = self.placed()
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.translate(x, y)
        canv.scale(w, h)
        canv._code.append(f"/{registered} Do")
        canv.restoreState()
        canv._formsinuse.append(name)


def _form(image: CheckedImage) -> tuple[str, PDFImageXObject]:
    """The image as a PDF XObject, made once per process; a copy goes in each document."""
    hit = _prepared.get(id(image))
    if hit is not None and hit[0] is image:
        return hit[1], hit[2]
    name = "clinic" + hashlib.sha256(image.data).hexdigest()[:24]
    form = PDFImageXObject(name, ImageReader(_source(image)))
    if len(_prepared) >= 64:
        _prepared.clear()
    _prepared[id(image)] = (image, name, form)
    return name, form


def _source(image: CheckedImage) -> Any:
    """What reportlab embeds: an upright JPEG's own bytes (no decoding, no loss); anything else as
    pixels on white paper (a transparent PNG prints as it looks on a white page)."""
    if image.format == "JPEG" and image.orientation == 1:
        return BytesIO(image.data)
    from PIL import Image, ImageOps

    with Image.open(BytesIO(image.data)) as opened:
        im = ImageOps.exif_transpose(opened) or opened
        im.load()
    if im.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit grey: to 8 bits, not clipped to white
        im = im.point(lambda v: v / 256).convert("L")
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        paper = Image.new("RGB", im.size, "white")
        paper.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        return paper
    return im if im.mode in ("RGB", "L", "CMYK") else im.convert("RGB")
