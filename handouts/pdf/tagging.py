"""Tagged PDF (PDF/UA-1): the structure tree, marked content, and the catalog entries that go with them.

A screen reader reads a PDF through its structure tree, not its drawing order: headings it can jump
between, paragraphs, numbered steps, tables with header cells, pictures with words said in their
place. reportlab's open-source edition writes none of it, so this module adds it in one pass, while
platypus draws, at a cost of a few percent of the drawing time (no second pass over the PDF).

How it fits together:
- `start_tagging()` opens a tree for the handout being rendered. Where a flowable is created, `tagged(flowable,
  role)` gives it its element in the tree, in creation order, which is the story's reading order.
  Flowables made and then thrown away (a grid tried at several widths) leave empty elements that are
  dropped when the tree is written.
- When a tagged flowable is drawn it wraps its drawing in `/Role <</MCID n>> BDC ... EMC`, n counting
  from 0 on each page; a paragraph split over two pages gets one MCID on each, in one element.
- Tables say which cell is which through reportlab's own render callback (`renderCB`): a grid's cells
  become TH (with Scope) and TD, a box of label lines becomes a list; backgrounds and lines are
  artifacts, and header rows repeated on a later page are artifacts (said once, not on every page).
- Lists of steps: L > LI > Lbl (the number) + LBody (the step).
- Running headers, footers, rules and "Page N of M" are drawn in `/Artifact` sequences
  (`artifact_page`, `artifact`), so the patient's name is read once, not on every page.
- `TaggedCanvas` gives each page /StructParents and /Tabs /S, and when the document closes writes the
  StructTreeRoot, the ParentTree (MCID -> element, per page), /MarkInfo, and XMP metadata with the
  title and the PDF/UA identification (pdfuaid:part 1).

New kinds of content must be made with `tagged()` where they are created. As a safety net, text a
flowable draws without an element becomes a P after the element drawn before it, so no word is lost to
a screen reader; tests/pdf/test_tagging.py still fails on it (the roles no longer match the handout),
and on any line or box drawn outside marked content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, ListFlowable, Table
from reportlab.platypus.flowables import BulletDrawer, LIIndenter

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
    tree = Tree(handout.title, handout.author, handout.subject, handout.language, handout.date)
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
        _write(self._ho_tree, self._doc)
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


class _Raw(PDFObject):
    """An indirect object whose body is written here: reportlab's generic dictionary formatting
    costs more than the drawing of the content it describes, for a few hundred small elements."""

    def __init__(self) -> None:
        self.body = b""

    def format(self, document: Any) -> bytes:
        return self.body


def _write(tree: Tree, doc: Any) -> None:
    """The StructTreeRoot, every element, the ParentTree, /MarkInfo and the XMP metadata."""

    def number(ref: Any) -> str:
        obj, gen = doc.idToObjectNumberAndVersion[ref.name]
        return f"{obj} {gen} R"

    pages = [number(doc.Reference(page)) for page in tree.pages]
    root = _Raw()
    root_ref = doc.Reference(root)
    nodes: list[tuple[Node, str, _Raw]] = []
    refs: dict[int, str] = {}

    def register(node: Node, parent: str) -> None:  # numbers first: an element names its parent and kids
        obj = _Raw()
        refs[id(node)] = number(doc.Reference(obj))
        nodes.append((node, parent, obj))
        for kid in node.kids:
            if kid.has_content():
                register(kid, refs[id(node)])

    register(tree.root, number(root_ref))
    for node, parent, obj in nodes:
        kids: list[str] = []
        page = ""
        if node.marks:
            first = node.marks[0][0]
            page = f" /Pg {pages[first]}"
            for on, mcid in node.marks:
                kids.append(str(mcid) if on == first else f"<< /Type /MCR /Pg {pages[on]} /MCID {mcid} >>")
        kids += [refs[id(kid)] for kid in node.kids if id(kid) in refs]
        k = kids[0] if len(kids) == 1 else "[ " + " ".join(kids) + " ]"
        extra = ""
        if node.attrs:
            owner = "List" if node.role == "L" else "Table"
            extra += f" /A << /O /{owner}" + "".join(f" /{key} /{v}" for key, v in node.attrs.items()) + " >>"
        body = f"<< /Type /StructElem /S /{node.role} /P {parent}{page} /K {k}{extra}".encode("ascii")
        if node.alt:
            body += b" /Alt " + PDFString(node.alt).format(doc)
        obj.body = body + b" >>"
    nums = " ".join(
        f"{index} [ " + " ".join(refs[id(n)] for n in tree.by_page.get(index, [])) + " ]"
        for index in range(len(tree.pages))
    )
    root.body = (
        f"<< /Type /StructTreeRoot /K {refs[id(tree.root)]} /ParentTree << /Nums [ {nums} ] >>"
        f" /ParentTreeNextKey {len(tree.pages)} >>"
    ).encode("ascii")
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": b"true"})
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), _xmp(tree).encode("utf-8")
    )


def _pdf_text(text: str) -> str:
    """A PDF string literal for a marked-content property list (ASCII; other letters as '?')."""
    safe = text.encode("ascii", "replace").decode()
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


_XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 can't hold; a name that somehow has one still gives well-formed metadata."""


def _xmp(tree: Tree) -> str:
    """The XMP packet: title, author, subject and language as in the document info, and pdfuaid:part 1."""
    stamp = f"{tree.date.isoformat()}T00:00:00Z"
    title, author, subject = (escape(_XML_BAD.sub("", t)) for t in (tree.title, tree.author, tree.subject))
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{escape(tree.language)}</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{stamp}</xmp:CreateDate>
<xmp:ModifyDate>{stamp}</xmp:ModifyDate>
<pdf:Producer>ReportLab PDF Library - (opensource)</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
