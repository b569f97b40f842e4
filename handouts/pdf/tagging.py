"""Tagged PDF (PDF/UA-1): structure tree, marked content and catalog entries, written while platypus draws.

reportlab's open-source edition writes no structure, so this adds it in the same pass (docs/accessibility.md
says what a reader gets). `start_tagging()` opens a tree for the handout; where a flowable is created,
`tagged(flowable, role)` gives it its element, in creation order, which is the reading order (elements of
flowables never drawn are dropped). A tagged flowable draws inside `/Role <</MCID n>> BDC ... EMC`; a
paragraph split over pages has an MCID on each page, in one element. Tables name their cells through
reportlab's render callback; lists of steps become L > LI > Lbl + LBody; headers, footers, rules and
repeated heads are artifacts. `TaggedCanvas` adds /StructParents and /Tabs to each page and, when the
document closes, writes the StructTreeRoot, the ParentTree, /MarkInfo and the XMP metadata.

New kinds of content belong in `tagged()`. As a safety net, text drawn without an element becomes a P
after the element drawn before it, so no word is lost; the tests still fail on it (roles no longer
match the handout), and on any line or box drawn outside marked content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from reportlab.pdfbase.pdfdoc import PDFName
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, ListFlowable, Table
from reportlab.platypus.flowables import BulletDrawer, LIIndenter

from handouts.pdf.structure import write_structure

if TYPE_CHECKING:
    from handouts.handout.personalize import Handout

F = TypeVar("F")

PAGINATION = "/Artifact <</Type /Pagination>> BDC"
"""Running headers and footers, page numbers, and anything repeated because a page broke."""
LAYOUT = "/Artifact <</Type /Layout>> BDC"
"""Rules, boxes and backgrounds that only shape the page."""


@dataclass(eq=False)
class Node:
    """One structure element: its role, its place in the tree, and where its content is on the pages."""

    role: str
    parent: Node | None
    attrs: dict[str, str] = field(default_factory=dict)
    """Standard attributes, names both: ListNumbering Decimal, Scope Column."""
    alt: str | None = None
    kids: list[Node] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)
    """(page index, MCID) of each piece of content, in drawing order."""

    def add(self, role: str, alt: str | None = None, **attrs: str) -> Node:
        kid = Node(role, self, attrs, alt)
        self.kids.append(kid)
        return kid

    def has_content(self) -> bool:
        return bool(self.marks) or any(k.has_content() for k in self.kids)


@dataclass(eq=False)
class Tree:
    """The structure tree of one handout while it is drawn."""

    title: str
    author: str
    subject: str
    language: str
    date: dt.date
    sources: tuple[str, ...] = ()
    """The handout's sources in full, one a line in the XMP metadata's dc:source."""
    root: Node = field(default_factory=lambda: Node("Document", None))
    by_page: dict[int, list[Node]] = field(default_factory=dict)
    """Per page index, the element of each MCID: the ParentTree."""
    pages: list[Any] = field(default_factory=list)
    depth: int = 0
    """Marked-content sequences open at this point of the page."""
    last: Node | None = None
    """The element of the document drawn last: text drawn without an element of its own goes after it."""

    def mark(self, canv: Canvas, node: Node, extra: str = "") -> None:
        """Open marked content for node at this point of the page."""
        page = canv.getPageNumber() - 1
        owners = self.by_page.setdefault(page, [])
        mcid = len(owners)
        owners.append(node)
        node.marks.append((page, mcid))
        top = node
        while top.parent is not None and top.parent is not self.root:
            top = top.parent
        self.last = top if top.parent is self.root else self.last
        self.open(canv, f"/{node.role} <</MCID {mcid}{extra}>> BDC")

    def open(self, canv: Canvas, literal: str) -> None:
        self.depth += 1
        canv.addLiteral(literal)

    def close(self, canv: Canvas) -> None:
        self.depth -= 1
        canv.addLiteral("EMC")

    def unplanned(self) -> Node:
        """A P for text drawn by a flowable nobody tagged, placed after the element drawn last.

        A safety net, so a screen reader never loses words: new kinds of content should be made with
        `tagged()`, which gives them their right role (the tests compare the roles with the handout).
        """
        node = Node("P", self.root)
        at = self.root.kids.index(self.last) + 1 if self.last is not None else 0
        self.root.kids.insert(at, node)
        return node


_tree: ContextVar[Tree | None] = ContextVar("_tree", default=None)


def start_tagging(handout: Handout) -> Tree:
    """A fresh tree for the handout about to be built; `tagged()` adds to it from here on."""
    tree = Tree(handout.title, handout.author, handout.subject, handout.language, handout.date, handout.references)
    _tree.set(tree)
    return tree


def _tree_of(canv: Canvas) -> Tree | None:
    return getattr(canv, "_ho_tree", None)


# --- leaves: flowables whose whole drawing is one element's content -------------------------------


class _Marked:
    """Mixed into a flowable's own class: its drawing becomes marked content of its element."""

    _ho_node: Node

    def drawOn(self, canv: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tree = _tree_of(canv)
        if tree is None:
            super().drawOn(canv, x, y, _sW)  # type: ignore[misc]
            return
        node = self._ho_node
        if node.role == "Artifact":
            tree.open(canv, PAGINATION)
        else:
            tree.mark(canv, node, f" /Alt {_pdf_text(node.alt)}" if node.alt else "")
        super().drawOn(canv, x, y, _sW)  # type: ignore[misc]
        tree.close(canv)

    def split(self, aW: float, aH: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(aW, aH)  # type: ignore[misc]
        for part in parts:  # the pieces on each page are content of the same element
            _attach(part, self._ho_node)
        return parts


class _MarkedBullet(BulletDrawer):
    """A list item's number, drawn as the content of its Lbl element."""

    _ho_node: Node

    def drawOn(self, indenter: Any, canv: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tree = _tree_of(canv)
        if tree is None or not self.value:
            super().drawOn(indenter, canv, x, y, _sW)
            return
        tree.mark(canv, self._ho_node)
        super().drawOn(indenter, canv, x, y, _sW)
        tree.close(canv)


_classes: dict[type, type] = {}


def _attach(obj: Any, node: Node) -> None:
    """Make obj draw as node's content: its class becomes a subclass of its own with `_Marked` first.

    Swapping the class keeps every attribute, isinstance check and method of the flowable as it was
    made, so the code that creates and lays out flowables doesn't change; only drawOn and split gain
    the marking.
    """
    cls = type(obj)
    if not issubclass(cls, _Marked):
        if cls not in _classes:
            _classes[cls] = type(f"Tagged{cls.__name__}", (_Marked, cls), {})
        obj.__class__ = _classes[cls]
    obj._ho_node = node


# --- the hooks the renderer calls -----------------------------------------------------------------


def tagged(flowable: F, role: str, *, alt: str | None = None, header_rows: int = 1, header_cols: int = 1) -> F:
    """The flowable, made to draw as the next element of the document in reading order.

    role is a standard structure type: H1-H3, P, Figure (with `alt`, the words a screen reader says
    in the picture's place), L for a ListFlowable of steps or for a Table of label lines, Table for a
    Table of data (its first `header_rows` rows are column headers, the first `header_cols` cells of
    each other row are row headers). Outside a render (no tree started) the flowable is returned as is.
    """
    tree = _tree.get()
    if tree is None:
        return flowable
    if isinstance(flowable, ListFlowable):
        _tag_steps(flowable, tree.root.add("L", ListNumbering="Decimal"))
    elif isinstance(flowable, Table) and role in ("Table", "L"):
        _tag_table(flowable, tree.root.add(role), header_rows, header_cols)
    else:
        _attach(flowable, tree.root.add(role, alt))
    return flowable


def tagged_list(flowables: list[Flowable], numbering: str | None = "Decimal") -> None:
    """Flowables that read as one list, in order: ListFlowables (one step each, numbered on from the one
    before, so steps can break between pages) add their items to it, anything else is an item's body.
    numbering is the list's ListNumbering (Decimal, Disc), None for items with no label."""
    tree = _tree.get()
    if tree is None:
        return
    node = tree.root.add("L", ListNumbering=numbering) if numbering else tree.root.add("L")
    for flowable in flowables:
        if isinstance(flowable, ListFlowable):
            _tag_steps(flowable, node)
        else:
            _attach(flowable, node.add("LI").add("LBody"))


@contextmanager
def decoration(canv: Canvas) -> Iterator[None]:
    """Drawing inside a flowable that only shapes the page (a ruled line to write on): a layout artifact."""
    tree = _tree_of(canv)
    if tree is None:
        yield
        return
    tree.open(canv, LAYOUT)
    try:
        yield
    finally:
        tree.close(canv)


def artifact(flowable: F) -> F:
    """The flowable drawn as a pagination artifact: a title repeated as "(continued)" on a new page."""
    if _tree.get() is not None:
        _attach(flowable, Node("Artifact", None))
    return flowable


def artifact_page(decorate: Callable[[Canvas, Any], None]) -> Callable[[Canvas, Any], None]:
    """A page template's onPage callback, its drawing (running header, footer, rules) made an artifact."""

    def draw(canv: Canvas, doc: Any) -> None:
        tree = _tree_of(canv)
        if tree is None:
            decorate(canv, doc)
            return
        tree.open(canv, PAGINATION)
        decorate(canv, doc)
        tree.close(canv)

    return draw


def _tag_steps(steps: ListFlowable, node: Node) -> None:
    for item in steps._content:
        if not isinstance(item, LIIndenter):
            continue
        li = node.add("LI")
        if item._bullet is not None:
            item._bullet.__class__ = _MarkedBullet
            item._bullet._ho_node = li.add("Lbl")
        _attach(item._flowable, li.add("LBody"))


class _CellTags:
    """reportlab's Table render callback: each cell's drawing becomes its element's content.

    Cells are known by identity, so the pieces of a table split over pages find their elements; a
    cell drawn a second time is a header row repeated on a new page, an artifact.
    """

    def __init__(self, cells: dict[int, Node]) -> None:
        self.cells = cells
        self.drawn: set[int] = set()

    def __call__(self, table: Table, event: str, *args: Any) -> None:
        canv = table.canv
        tree = _tree_of(canv)
        if tree is None:
            return
        if event in ("startBG", "startLines"):
            tree.open(canv, LAYOUT)
        elif event in ("endBG", "endLines", "endCell"):
            tree.close(canv)
        elif event == "startCell":
            key = _cell_key(args[2])
            node = self.cells.get(key)
            if node is None or key in self.drawn:
                tree.open(canv, PAGINATION)
            else:
                self.drawn.add(key)
                tree.mark(canv, node)


def _cell_key(value: Any) -> int:
    """A cell by its first flowable: reportlab wraps a cell's content in a tuple of its own when laid out."""
    return id(value[0]) if isinstance(value, list | tuple) and value else id(value)


def _tag_table(table: Table, node: Node, header_rows: int, header_cols: int) -> None:
    cells: dict[int, Node] = {}
    for r, row in enumerate(table._cellvalues):
        if node.role == "L":  # a box of "Label: value" lines reads as a list
            for value in row:
                cells[_cell_key(value)] = node.add("LI").add("LBody")
            continue
        tr = node.add("TR")
        for c, value in enumerate(row):
            if r < header_rows:
                cell = tr.add("TH", Scope="Column")
            elif c < header_cols:
                cell = tr.add("TH", Scope="Row")
            else:  # a cell of boxes says what it holds: "2 boxes to tick"
                cell = tr.add("TD", getattr(value, "alt", None))
            cells[_cell_key(value)] = cell
    table._renderCB = _CellTags(cells)


# --- the canvas: page entries, and the tree written when the document closes ---------------------


class TaggedCanvas(Canvas):
    """A canvas that writes the structure tree of the handout being rendered."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        tree = _tree.get()
        if tree is None:
            raise RuntimeError("start_tagging() must be called before the canvas is made")
        self._ho_tree = tree

    def drawText(self, aTextObject: PDFTextObject) -> None:
        tree = self._ho_tree
        if tree.depth or self._formData:  # marked already, or the page-count form (drawn inside the footer)
            super().drawText(aTextObject)
            return
        tree.mark(self, tree.unplanned())
        super().drawText(aTextObject)
        tree.close(self)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        return _SpacedLines(self, x, y, direction=direction)

    def showPage(self) -> None:
        index = self.getPageNumber() - 1
        super().showPage()
        page = self._doc.Pages.pages[-1]
        # Instance attributes: the page dictionary writes the keys listed here.
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = PDFName("S")
        self._ho_tree.pages.append(page)

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        write_structure(self._ho_tree, self._doc)
        _tree.set(None)  # the next handout starts its own; nothing is kept from this one
        super().save()


class _SpacedLines(PDFTextObject):
    """Ends every line that wraps with a space, as a word processor's tagged PDF does.

    Text read in structure order runs a paragraph's lines together; without the space the word at
    the end of one line and the first of the next are read as one ("helps youget used"). The space
    is drawn after the line's last letter, so the page looks the same.
    """

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if TStar and not text.endswith(" "):
            text += " "
        super()._textOut(text, TStar)


def _pdf_text(text: str) -> str:
    """A PDF string literal for a marked-content property list (ASCII; other letters as '?')."""
    safe = text.encode("ascii", "replace").decode()
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
