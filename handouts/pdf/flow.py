"""How a handout's sections flow down the pages: a section that keeps its head together and fills
the page it starts on, paragraphs that remember their wrap, and ruled lines to write on.

Plain platypus flowables with no knowledge of the handout, so the renderer (and anything that wraps
its flowables, such as tagging) builds on them.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any
from weakref import WeakKeyDictionary, ref

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Frame, FrameBreak, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable, NullActionFlowable
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from handouts.pdf.tagging import decoration

KEEP_WHOLE_COST = 1 / 6
"""A section that would break moves whole to the next page only when that leaves less than this share
of a page empty (the issue allows up to a third; less saves paper, and the head still never breaks)."""


PARSED_KEPT = 1024
"""Paragraph texts whose parse is kept: most of a handout's words (exercise steps, why they help) are
the same for every patient, so a batch parses each text once, not once per handout."""
_parsed: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, list[Any]]] = {}
"""Each text's cleaned text and fragments; and (_broken) its lines at each width, when reportlab made
them the simple way (one font, words as plain strings), which nothing changes after: shared as is."""
_style_keys: WeakKeyDictionary[ParagraphStyle, tuple[tuple[str, str], ...]] = WeakKeyDictionary()


def _style_key(style: ParagraphStyle) -> tuple[tuple[str, str], ...]:
    """A style's values (not its name or object): each handout makes its own styles, equal to the last.
    Taken once per style, so a style is never changed after its first paragraph (ours never are)."""
    key = _style_keys.get(style)
    if key is None:
        items = style.__dict__.items()
        key = _style_keys[style] = tuple(sorted((k, repr(v)) for k, v in items if k not in ("name", "parent")))
    return key


TextKey = tuple[str, tuple[tuple[str, str], ...]]
_broken: dict[tuple[TextKey, float], tuple[tuple[float, float], dict[str, Any]]] = {}
_BROKEN_ATTRS = ("blPara", "_wrapWidths", "_width_max", "_splitLongWordCount", "_hyphenations")


def _parse(text: str, style: ParagraphStyle) -> tuple[TextKey, str, list[Any]] | None:
    """The cleaned text and its fragments, as reportlab's own parse gives them, shared (a paragraph
    copies them before it breaks lines: see Para._own); None for markup that changes more than the
    fragments (a <para> or <bullet> tag), left to reportlab."""
    key = (text, _style_key(style))
    hit = _parsed.get(key)
    if hit is None:
        cleaned = cleanBlockQuotedText(text)
        parser = ParaParser()
        parser.caseSensitive = 1
        got_style, frags, bullet = parser.parse(cleaned, style)
        if frags is None or bullet or got_style is not style:
            return None
        textTransformFrags(frags, style)
        if len(_parsed) >= PARSED_KEPT:
            _parsed.clear()
        hit = _parsed[key] = (cleaned, frags)
    return key, hit[0], hit[1]


class Para(Paragraph):
    """A paragraph that remembers its last wrap: platypus and the section logic ask a paragraph its
    height several times at the same width, and breaking it into lines is most of a handout's time.
    The lines kept are those of the last width asked, so the answer is reused only for that width.

    Its text is parsed once per batch (see _parse): the same fragments reportlab would make; and a
    text is broken into lines once per width, the lines shared by every paragraph of it. Drawing only
    reads lines; a paragraph of several fonts breaks its own lines again before it splits between
    pages (tests/pdf/test_flow.py checks that nothing shared changes)."""

    _wrapped: tuple[float, tuple[float, float], object] | None = None
    _text_key: TextKey | None = None
    _shared = 0
    """Its frags are 1: the parse's, shared; 2: the word list of lines shared with other paragraphs;
    0: its own. Breaking lines rewrites frags in place, so they are copied first (_own)."""

    def __init__(
        self, text: str | None, style: ParagraphStyle, bulletText: Any = None, frags: Any = None, **kw: Any
    ) -> None:  # noqa: N803
        parsed = _parse(text, style) if frags is None and text is not None and not kw else None
        if parsed is not None:
            key, text, frags = parsed
            self._text_key = key if bulletText is None else None
            self._shared = 1
        super().__init__(text, style, bulletText, frags, **kw)

    def _own(self) -> None:
        """Copy shared frags before reportlab breaks lines, which rewrites them in place."""
        frags: list[Any] = self.__dict__["frags"]
        if self._shared == 1:  # most paragraphs never get here: their lines come from _broken
            self.frags = [f.clone() for f in frags]
        elif self._shared == 2:
            self.frags = deepcopy(frags)
        self._shared = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (platypus's name)
        # Reused only while the lines are still those this width made (nothing else broke them since).
        lines = self.__dict__.get("blPara")
        if self._wrapped is not None and self._wrapped[0] == availWidth and self._wrapped[2] is lines:
            return self._wrapped[1]
        if self._text_key is not None and availWidth >= 1:
            size = self._shared_wrap(self._text_key, availWidth, availHeight)
        else:
            self._own()
            size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size, self.__dict__.get("blPara"))
        return size

    def _shared_wrap(self, key: TextKey, width: float, height: float) -> tuple[float, float]:
        """Paragraph.wrap, with the lines (and what breaking them sets) of this text at this width
        taken from the last paragraph that broke them, when they are of the kind nothing changes."""
        hit = _broken.get((key, width))
        if hit is None:
            self._own()
            size = super().wrap(width, height)
            done = self.__dict__  # what Paragraph.wrap and breakLines set (reportlab's names)
            attrs = {name: done[name] for name in _BROKEN_ATTRS}
            if done["blPara"].kind == 1:
                attrs["frags"] = done["frags"]  # breaking several fonts makes the frags its words
                self._shared = 2  # shared from now on
            elif done["blPara"].kind != 0:
                return size
            if len(_broken) >= PARSED_KEPT:
                _broken.clear()
            _broken[key, width] = (size, attrs)
            return size
        size, attrs = hit
        self.__dict__.update(attrs, width=width, height=size[1], _wrapWidths=list(attrs["_wrapWidths"]))
        if "frags" in attrs:
            self._shared = 2
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803 (platypus's names)
        lines = self.__dict__.get("blPara")
        if self._text_key is not None and lines is not None and lines.kind == 1:
            # reportlab's split of several fonts may write into the words of the lines it splits (a
            # word hyphenated at a line's end changes kind): break them again for this paragraph
            # alone, at the width they were broken at, from fresh fragments. Splits are few.
            parsed = _parse(self._text_key[0], self.style)
            assert parsed is not None  # it parsed when the paragraph was made
            self.frags, self._shared = parsed[2], 1
            self._own()
            Paragraph.wrap(self, self.width, availHeight)
            self._text_key = None  # its lines are its own from now on
        parts: list[Any] = super().split(availWidth, availHeight)
        return parts


class RunningPara(Paragraph):
    """A paragraph drawn in the same place on every page: the running header, the footer's phone line.

    Drawn in full on the first page; on the next pages of the same document its PDF operators are
    copied: a paragraph draws relative to where it is put (platypus wraps it in a saved graphics state),
    its letters have their codes in the document's fonts from the first page on, and the page starts
    in the same state each time, so the operators are the same. Only inside marked content (the page's
    artifact): copied operators must not give one element's content twice."""

    _drawn: tuple[Any, tuple[float, float, float], list[str]] | None = None

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803 (platypus's names)
        where = (x, y, _sW)
        drawn = self._drawn
        if drawn is not None and drawn[0]() is canv and drawn[1] == where:
            canv._code.extend(drawn[2])
            return
        tree = getattr(canv, "_ho_tree", None)
        code = canv._code
        start = len(code)
        super().drawOn(canv, x, y, _sW)
        if tree is not None and tree.depth and canv._code is code:
            self._drawn = (ref(canv), where, code[start:])


_ATOMIC = (int, float, str, bool, type(None))


class CopiedFrame(Frame):
    """A frame that is quick to deep-copy: platypus copies the frame each time it measures a list,
    a step or a kept-together group (thousands of times a batch), and a frame is nearly all numbers.
    The copy is the same as copy.deepcopy's: numbers and strings shared, anything else copied deeply."""

    def __deepcopy__(self, memo: dict[int, Any]) -> CopiedFrame:
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        new.__dict__.update((k, v if type(v) in _ATOMIC else deepcopy(v, memo)) for k, v in self.__dict__.items())
        return new


class RuledLines(Flowable):
    """A bold label with a ruled line beside it to write on by hand ("Next appointment"), and more
    lines under it, each a line and a half apart: room for handwriting.

    Lines that come last before something kept whole on a page (a week of the log) can take the room
    that thing leaves: `fill_before(height)` makes them one line, and under it the rest of those asked
    for when the thing of that height still fits under them, none when it fits only without them (a line
    less to write on costs less than a page more), or lines down to the foot of the page when it goes
    on to the next one anyway, so that page is left to handwriting, not blank."""

    def __init__(self, label: str, lines: int, body: ParagraphStyle, color: Any) -> None:
        """label is markup, already escaped by the renderer."""
        super().__init__()
        self.label = Para(f"<b>{label}:</b>", body)
        self.lines, self.color = lines, color
        self.pitch = body.leading * 1.5
        self.descent = body.fontSize * 0.3
        self.spaceAfter = body.spaceAfter
        self.next_height: float | None = None
        self.extra = 0

    def fill_before(self, height: float) -> None:
        self.lines, self.next_height, self.extra = 1, height, self.lines - 1

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.label_h = self.label.wrap(available_width, available_height)[1]
        self.label_w = max(self.label.getActualLineWidths0())
        self.count = self.lines + self._more(available_height - self.label_h - (self.lines - 1) * self.pitch)
        self.height = self.label_h + (self.count - 1) * self.pitch
        return self.width, self.height

    def _more(self, left: float) -> int:
        """Lines beyond those asked for, with `left` points of the frame under them."""
        if self.next_height is None:
            return 0
        after = left - self.spaceAfter
        if after >= self.next_height + self.extra * self.pitch:
            return self.extra
        if after >= self.next_height:
            return 0
        # Down to the foot of the frame, the last line (a descent above the foot of its pitch) at least
        # half a pitch clear of it, so it never meets the footer.
        return max(0, int((left + self.descent - self.pitch / 2) // self.pitch))

    def draw(self) -> None:
        top = self.height - self.label_h
        self.label.drawOn(self.canv, 0, top)  # its own element when tagged (a P)
        with decoration(self.canv):  # the lines are only there to write on
            self.canv.setStrokeColor(self.color)
            self.canv.setLineWidth(1)
            gap = self.descent * 2
            self.canv.line(self.label_w + gap, top + self.descent, self.width, top + self.descent)
            for i in range(1, self.count):
                y = top + self.descent - i * self.pitch
                self.canv.line(0, y, self.width, y)


class NumberedLines(Flowable):
    """A bold label, and under it numbered ruled lines to write on by hand ("The moves you were shown":
    1. ____, 2. ____), each a line and a half apart as RuledLines are: room for handwriting at the desk.
    Kept whole on a page: a list to fill in is read as one."""

    def __init__(self, label: str, lines: int, body: ParagraphStyle, bold: str, color: Any) -> None:
        """label is markup, already escaped by the renderer; bold is the font of the numbers."""
        super().__init__()
        self.label = Para(f"<b>{label}:</b>", body)
        self.lines, self.color, self.bold, self.size = lines, color, bold, body.fontSize
        self.ink = body.textColor  # the numbers are read: the text's colour, not the lines'
        self.pitch = body.leading * 1.5
        self.descent = body.fontSize * 0.3
        self.spaceAfter = body.spaceAfter

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.label_h = self.label.wrap(available_width, available_height)[1]
        self.height = self.label_h + self.lines * self.pitch
        return self.width, self.height

    def draw(self) -> None:
        top = self.height - self.label_h
        self.label.drawOn(self.canv, 0, top)  # its own element when tagged (a P)
        with decoration(self.canv):  # the numbers and lines are only there to write on
            self.canv.setStrokeColor(self.color)
            self.canv.setFillColor(self.ink)
            self.canv.setLineWidth(1)
            self.canv.setFont(self.bold, self.size)
            indent = self.size * 1.6  # where a numbered step's text starts
            for i in range(1, self.lines + 1):
                y = top + self.descent - i * self.pitch
                self.canv.drawRightString(indent - self.size * 0.4, y + self.descent, f"{i}.")
                self.canv.line(indent, y, self.width, y)


class Section(Flowable):
    """A section that fills the page it starts on and goes on to the next, breaking where a reader
    expects it: never inside its head (heading, picture, dose and first steps: story.py decides which),
    moved whole to the next page only when that wastes less than KEEP_WHOLE_COST of a page, and broken
    earlier than the page's foot when breaking there would leave the next page under half full (the
    next section's head not fitting under its rest: see _balanced).

    Like platypus's KeepTogether it always asks to be split, then hands back its flowables: behind a
    frame break when it moves (itself, split again at the top of the next page), as they are when it
    flows on.
    """

    def __init__(self, head: list[Flowable], rest: list[Flowable], frame_height: float) -> None:
        super().__init__()
        for flowable in head + rest:
            if isinstance(flowable, Table):
                _measure_once(flowable)
        self._content = head + rest  # read by _starts_section, and by anything walking the story
        self.head, self.rest, self.frame_height = head, rest, frame_height
        self.next: Section | None = None
        """The section printed after this one, whose head decides where this one best breaks."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # force a split, where the choice is made

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        head, whole = self._heights(available_width, self.canv)
        if not at_top and self._content:  # the space above the heading counts, except at a page's top
            head, whole = head + self._content[0].getSpaceBefore(), whole + self._content[0].getSpaceBefore()
        # Handed back as they are: the head fits where it is put (here, or at the top of the next page),
        # so no KeepTogether is needed to wrap it again. The document lays out the first flowable handed
        # back at once, so that one is always an action.
        flows = list(self._content)
        if whole <= available_height:
            return [NullActionFlowable(), *flows]
        cheap = available_height < KEEP_WHOLE_COST * self.frame_height and whole <= self.frame_height
        if not at_top and (cheap or head > available_height):
            return [FrameBreak(), self]  # split again at the top of the next page, where it may balance
        return self._balanced(available_width, available_height, head) or [NullActionFlowable(), *flows]

    def _balanced(self, width: float, available: float, head: float) -> list[Flowable] | None:
        """The section broken earlier than the page's foot, when breaking at the foot would leave the next
        page under half full: the little of it that goes on there, then the next section's head, which
        does not fit under it (a picture and its first steps), on the page after. Moved on instead, what
        goes on reaches half way down the next page, and this page keeps at least half of its own; or,
        where this page has no room for that, the whole section moves on. None when breaking at the foot
        is as good."""
        half = self.frame_height / 2
        if self.next is None:
            return None
        sized = self._sized(width)
        whole = sum(h for _, h in sized)
        # What goes on to the next page when this one is filled, under its "(continued)" title (about a
        # heading's height): a step that can't break between its lines goes on whole.
        tail = whole - self._broken_at(width, available - self._content[0].getSpaceBefore())[1] + sized[0][1]
        after = self.next._heights(width, self.canv)[0] + self.next._content[0].getSpaceBefore()
        if tail >= half or tail + after <= self.frame_height:
            return None
        # Where this page stops, the rest going on (less the space above the heading, where there is one).
        stop = available - (half - tail) - self._content[0].getSpaceBefore()
        used_before = self.frame_height - available
        if stop >= head:
            broken, used = self._broken_at(width, stop)
            if used_before + used >= half:  # a paragraph breaks between lines: what is put here may be less
                return broken
        if used_before >= half and half <= whole <= self.frame_height:
            return [FrameBreak(), *self._content]  # too little room to break in: all of it on the next page
        return None

    def _sized(self, width: float) -> list[tuple[Flowable, float]]:
        """Each flowable with the height it takes, the space around it counted."""
        return [
            (f, f.wrapOn(self.canv, width, 0x7FFFFFFF)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0))
            for i, f in enumerate(self._content)
        ]

    def _broken_at(self, width: float, stop: float) -> tuple[list[Flowable], float]:
        """The flowables that fit in `stop` points, a frame break, and the rest (one split between lines);
        and the height of what is put before the break."""
        taken: list[Flowable] = []
        used = 0.0
        sized = self._sized(width)
        for i, (flowable, height) in enumerate(sized):
            if used + height <= stop:
                taken.append(flowable)
                used += height
                continue
            before = flowable.getSpaceBefore() if i else 0.0
            parts = flowable.splitOn(self.canv, width, stop - used - before) if stop - used - before > 0 else []
            later = [f for f, _ in sized[i + 1 :]]
            # A KeepTogether that can't fit hands back a frame break first: it then goes on whole.
            if len(parts) >= 2 and not isinstance(parts[0], ActionFlowable):
                used += before + parts[0].wrapOn(self.canv, width, stop)[1]
                return [NullActionFlowable(), *taken, parts[0], FrameBreak(), *parts[1:], *later], used
            return [NullActionFlowable(), *taken, FrameBreak(), flowable, *later], used
        return [NullActionFlowable(), *taken], used

    def _heights(self, width: float, canv: Any) -> tuple[float, float]:
        """The head's height, and the whole section's, counted only until it passes a page: each
        flowable is wrapped once (wrapping is most of the time a handout takes to draw)."""
        head = total = 0.0
        for i, flowable in enumerate(self._content):
            total += flowable.wrapOn(canv, width, 0x7FFFFFFF)[1] + flowable.getSpaceAfter()
            total += flowable.getSpaceBefore() if i else 0.0
            if i == len(self.head) - 1:
                head = total
            elif i > len(self.head) and total > self.frame_height:
                break
        return head, total


class _MeasuredOnce:
    """Mixed into a table's own class (see _measure_once): asked again at the same width with room for
    all of it, a table keeps the measure it made; platypus recomputes every row and cell each time."""

    _ho_measure: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        measure = self._ho_measure
        if measure is not None and measure[0] == availWidth and measure[1][1] <= availHeight:
            return measure[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)  # type: ignore[misc]
        # Kept only when every row was measured: a table too tall for the room is measured part way.
        self._ho_measure = (availWidth, size) if size[1] <= availHeight else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._ho_measure = None  # splitting measures again, for the room given
        parts: list[Flowable] = super().split(availWidth, availHeight)  # type: ignore[misc]
        return parts


_measured: dict[type, type] = {}


def _measure_once(table: Table) -> None:
    """A section measures its flowables before platypus lays them out (Section._heights), so a table
    in it is measured twice or more at the same width: make it keep its measure (the object's class
    becomes a subclass of its own, so everything else about it stays as it was made)."""
    cls = type(table)
    if not issubclass(cls, _MeasuredOnce):
        if cls not in _measured:
            _measured[cls] = type(f"Measured{cls.__name__}", (_MeasuredOnce, cls), {})
        table.__class__ = _measured[cls]
