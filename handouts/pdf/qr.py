"""A QR code to the clinic's video of a move, with a line saying what it is for and the address in words.

The code is reportlab's own QR drawing (error correction M: a smudge or a fold across up to 15% of it
still reads), with the standard's quiet zone of 4 modules. Each module is at least 1 mm (0.04 in) and
the code itself at least 1.2 in square: at arm's length (about 50 cm) an older 5-megapixel camera sees
about 61 cm of page across its 2592 pixels, so a 1 mm module covers about 4 of them, enough when the
picture is a little blurred; half that would cover 2 (our estimate, in docs/content.md). The address
is printed in words below the lead, at body size, for a person with no camera or no signal. The code
is drawn once per process per address; nothing is looked up on the web.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether

from handouts.handout.model import Video
from handouts.pdf.flow import Para
from handouts.pdf.painting import unpadded_table
from handouts.pdf.tagging import tagged

INCH = 72.0
MODULE = 0.04 * INCH
"""A module's side in points (1.0 mm)."""
MIN_SIDE = 1.2 * INCH
"""The code's side without its quiet zone: short addresses get larger modules to reach it."""
QUIET = 4
"""Modules of white on every side, which the QR standard requires for a reader to find the code."""
LEVEL = "M"


@cache
def _modules(address: str) -> tuple[int, tuple[tuple[float, float, float, float], ...]]:
    """The code's size in modules and its dark runs (x, y, width, height in modules, from the bottom
    left of the quiet zone), drawn by reportlab once per process for each address."""
    widget = QrCodeWidget(address, barLevel=LEVEL, barBorder=QUIET)
    widget.qr.make()
    count = widget.qr.getModuleCount()
    side = float(count + 2 * QUIET)
    widget.barWidth = widget.barHeight = side  # one unit per module
    runs = tuple(
        (shape.x, shape.y, shape.width, shape.height) for shape in widget.draw().contents if shape.fillColor is not None
    )
    return count, runs


class QrCode(Flowable):
    """The code with its quiet zone; tagging makes it a Figure whose alt says what it opens."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address
        self.count, self.runs = _modules(address)
        self.module = max(MODULE, MIN_SIDE / self.count)
        self.height = (self.count + 2 * QUIET) * self.module
        # The left quiet zone lies in the page's margin (white, and wider), so the code's edge lines up
        # with the text's, as a picture's does.
        self.width = (self.count + QUIET) * self.module

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        m = self.module
        canv.saveState()
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        for x, y, w, h in self.runs:
            path.rect((x - QUIET) * m, y * m, w * m, h * m)
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


def with_video(
    rest: list[Flowable], video: Video | None, body: ParagraphStyle, bold_font: str, width: float
) -> list[Flowable]:
    """A section's last flowables with the video's row after them, kept on a page with the one before
    it, so a page never holds a section's "(continued)" heading and the code alone. Unchanged without
    a video."""
    if video is None:
        return rest
    row = video_row(video, body, bold_font, width)
    return [*rest[:-1], KeepTogether([rest[-1], row])] if rest else [row]


def video_row(video: Video, body: ParagraphStyle, bold_font: str, width: float) -> Flowable:
    """The code at the left, the lead and the address beside it; below each other on a narrow line."""
    lead = tagged(Para(escape(video.lead), ParagraphStyle("video_lead", parent=body, fontName=bold_font)), "P")
    code = tagged(QrCode(video.address), "Figure", alt=video.alt)
    # An address is one long word: it breaks anywhere at the line's end rather than run off the page.
    # reportlab breaks it after a / or a . where it can (uriWasteReduce), inside a word only if it must.
    style = ParagraphStyle("video_address", parent=body, splitLongWords=1, uriWasteReduce=0.3)
    address = tagged(Para(escape(video.address), style), "P")
    gap = body.fontSize / 2  # the code's own quiet zone is most of the room between them
    beside = width - code.width - gap >= 2.5 * INCH
    rows = [[code, [lead, address]]] if beside else [[lead], [code], [address]]
    widths = [code.width + gap, width - code.width - gap] if beside else [width]
    table = unpadded_table(rows, widths, body, "MIDDLE", body.spaceAfter)
    return table
