"""Write a handout's structure into its PDF when the document closes: every structure element, the
StructTreeRoot with its ParentTree (per page, the element of each MCID), /MarkInfo and the XMP metadata
with the title and the PDF/UA identification (pdfuaid:part 1). The tree itself is built by tagging.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream, PDFString

if TYPE_CHECKING:
    from handouts.pdf.tagging import Node, Tree


class _Raw(PDFObject):
    """An indirect object whose body is written here: reportlab's generic dictionary formatting
    costs more than the drawing of the content it describes, for a few hundred small elements."""

    def __init__(self) -> None:
        self.body = b""

    def format(self, document: Any) -> bytes:
        return self.body


def write_structure(tree: Tree, doc: Any) -> None:
    """The StructTreeRoot, every element, the ParentTree, /MarkInfo and the XMP metadata."""

    def number(ref: Any) -> str:
        obj, gen = doc.idToObjectNumberAndVersion[ref.name]
        return f"{obj} {gen} R"

    pages = [number(doc.Reference(page)) for page in tree.pages]
    root = _Raw()
    root_ref = doc.Reference(root)
    nodes: list[tuple[Node, str, _Raw]] = []
    refs: dict[int, str] = {}
    with_content = _with_content(tree.root)

    def register(node: Node, parent: str) -> None:  # numbers first: an element names its parent and kids
        obj = _Raw()
        ref = refs[id(node)] = number(doc.Reference(obj))
        nodes.append((node, parent, obj))
        for kid in node.kids:
            if id(kid) in with_content:
                register(kid, ref)

    register(tree.root, number(root_ref))
    for node, parent, obj in nodes:
        obj.body = _element(node, parent, pages, refs, doc)
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


def _with_content(root: Node) -> set[int]:
    """The ids of the elements with content of their own or in a kid, found once per element (not once
    per ancestor): an element with none is left out of the tree."""
    found: set[int] = set()

    def visit(node: Node) -> bool:
        has = bool(node.marks)
        for kid in node.kids:
            has = visit(kid) or has
        if has:
            found.add(id(node))
        return has

    visit(root)
    return found


def _element(node: Node, parent: str, pages: list[str], refs: dict[int, str], doc: Any) -> bytes:
    """One StructElem, written out: its role, parent, page, kids (MCIDs, then child elements), attributes
    and Alt."""
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
    return body + b" >>"


_XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 can't hold; a name that somehow has one still gives well-formed metadata."""


def _xmp(tree: Tree) -> str:
    """The XMP packet: title, author, subject and language as in the document info, the sources in full
    (dc:source, one a line: the page prints them in short), and pdfuaid:part 1."""
    stamp = f"{tree.date.isoformat()}T00:00:00Z"
    title, author, subject = (escape(_XML_BAD.sub("", t)) for t in (tree.title, tree.author, tree.subject))
    said = escape(_XML_BAD.sub("", "\n".join(tree.sources)))
    source = f"<dc:source>{said}</dc:source>\n" if said else ""
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
{source}<xmp:CreateDate>{stamp}</xmp:CreateDate>
<xmp:ModifyDate>{stamp}</xmp:ModifyDate>
<pdf:Producer>ReportLab PDF Library - (opensource)</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
