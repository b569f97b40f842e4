"""The patient file inside the PDF: an embedded file with its relationship declared (PDF 2.0 and
PDF/A-3's associated files), so the handout is its own patient file.

Written when the document closes: the file's stream (compressed, with /Params /Size, /CheckSum and a
/ModDate that is the handout's date, so the PDF stays deterministic), its file specification (/F and
/UF, as PDF/UA asks; /AFRelationship /Source: the handout was made from it), the catalog's
/EmbeddedFiles name tree and /AF. The document's /ID is made from the file's SHA-256, a second place
that an edit of the embedded file must also change (handouts/inputs/pdfplan.py checks it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject, PDFString

MEDIA_TYPE = b"/application#2Fyaml"
DESCRIPTION = "The patient file this handout was printed from"


class _Raw(PDFObject):
    """An object written as given: reportlab has no embedded-file objects of its own."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def format(self, document: Any) -> bytes:
        return self.body


def plan_id(plan: bytes) -> bytes:
    """The document /ID's two parts, from the plan's SHA-256 (16 bytes each)."""
    return hashlib.sha256(plan).digest()


def embed_plan(doc: Any, plan: bytes, name: str, day: dt.date) -> None:
    """Add `plan` (the patient file's bytes) to reportlab's document `doc` as its source file."""
    packed = zlib.compress(plan, 9)
    stamp = day.strftime("D:%Y%m%d000000+00'00'").encode("ascii")
    stream = _Raw(
        b"<< /Type /EmbeddedFile /Subtype "
        + MEDIA_TYPE
        + b" /Filter /FlateDecode"
        + f" /Length {len(packed)} /Params << /Size {len(plan)}".encode("ascii")
        + b" /CheckSum <"
        + hashlib.md5(plan, usedforsecurity=False).hexdigest().encode("ascii")
        + b">"
        + b" /ModDate ("
        + stamp
        + b") >> >>\nstream\n"
        + packed
        + b"\nendstream"
    )
    stream_ref = doc.Reference(stream).format(doc)
    said = PDFString(name).format(doc)
    spec = _Raw(
        b"<< /Type /Filespec /F "
        + said
        + b" /UF "
        + said
        + b" /EF << /F "
        + stream_ref
        + b" /UF "
        + stream_ref
        + b" >>"
        + b" /AFRelationship /Source /Desc "
        + PDFString(DESCRIPTION).format(doc)
        + b" >>"
    )
    spec_ref = doc.Reference(spec).format(doc)
    catalog = doc.Catalog
    catalog.Names = _Raw(b"<< /EmbeddedFiles << /Names [ " + said + b" " + spec_ref + b" ] >> >>")
    catalog.__NoDefault__ = [*catalog.__NoDefault__, "AF"]  # an instance list: PDF 2.0's /AF is not reportlab's
    catalog.AF = _Raw(b"[ " + spec_ref + b" ]")
    digest = plan_id(plan)
    doc._ID = b"\n[<" + digest[:16].hex().encode() + b"><" + digest[16:].hex().encode() + b">]\n"
