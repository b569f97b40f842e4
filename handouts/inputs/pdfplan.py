"""A handout read back as its patient file: the plan embedded in its PDF (handouts/pdf/attach.py).

A PDF is refused, never read as a wrong plan, when it is cut short, can't be read, holds no plan (made
by another program), or holds a plan that is not the one it was printed with. The last check: the
embedded file's SHA-256 must match the first part of the document's /ID, and its MD5 the file's own
/CheckSum. A PDF tool that replaces the embedded file (pikepdf, qpdf, an attachment editor) keeps the
/ID's first part, as the PDF standard asks, so an edited dose is caught. There is no secret key: someone
who sets out to forge a plan, and rewrites the /ID too, is not stopped. What this catches is the
accidental and the careless edit, and a damaged file.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.inputs.textfile import read_bytes
from handouts.inputs.yamlsource import Located, parse_yaml

MAX_PDF_BYTES = 50_000_000
"""A handout is a few hundred kilobytes; far more is not one."""
SOURCE = "/Source"
MEDIA = "/application/yaml"


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == ".pdf"


def shown_for(path: Path) -> str:
    """How an error in the embedded plan names its place: the PDF, and that it is the plan inside."""
    return f"{path} (its patient file)"


def read_plan_bytes(raw: bytes, shown: str) -> bytes:
    """The patient file inside a handout's PDF bytes, checked; a HandoutError naming `shown` if not."""
    if not raw.startswith(b"%PDF-"):
        raise HandoutError(Problem(shown, "is not a PDF; give a handout printed by this program, or a patient file"))
    if b"%%EOF" not in raw[-1024:]:
        raise HandoutError(Problem(shown, "is cut short (truncated: its end is missing); copy the whole handout again"))
    import pikepdf  # only when a PDF is read: printing never needs it

    try:
        with pikepdf.open(io.BytesIO(raw)) as pdf:
            spec = _source_spec(pdf)
            if spec is None:
                raise HandoutError(
                    Problem(
                        shown,
                        "holds no patient file: it was not printed by this program (or by a version before "
                        "handouts carried their plan); give the patient file (.yaml) instead",
                    )
                )
            data, params, first_id = _parts(spec, pdf)
    except pikepdf.PdfError as exc:
        raise HandoutError(Problem(shown, f"can't be read as a PDF (damaged?): {exc}")) from None
    if not _matches(data, params, first_id):
        raise HandoutError(
            Problem(
                shown,
                "its patient file was changed after the handout was printed (it no longer matches the "
                "handout's fingerprint, the PDF's /ID); print from the patient file (.yaml) instead, "
                "or from an unchanged copy of the handout",
            )
        )
    return data


def _source_spec(pdf: Any) -> Any:
    """The file specification the handout declares as its source (/AF, /AFRelationship /Source)."""
    for spec in pdf.Root.get("/AF", []):
        ef = spec.get("/EF")
        if spec.get("/AFRelationship") == SOURCE and ef is not None and ef.get("/F") is not None:
            if ef.F.get("/Subtype") == MEDIA:
                return spec
    return None


def _parts(spec: Any, pdf: Any) -> tuple[bytes, Any, bytes]:
    stream = spec.EF.F
    ids = pdf.trailer.get("/ID")
    return stream.read_bytes(), stream.get("/Params"), bytes(ids[0]) if ids is not None and len(ids) else b""


def _matches(data: bytes, params: Any, first_id: bytes) -> bool:
    if params is None or first_id != hashlib.sha256(data).digest()[:16]:
        return False
    size, checksum = params.get("/Size"), params.get("/CheckSum")
    return (
        size is not None
        and int(size) == len(data)
        and bytes(checksum or b"") == hashlib.md5(data, usedforsecurity=False).digest()
    )


def read_plan_pdf(path: Path) -> Located:
    """The handout's patient file, parsed with its lines as if it were the .yaml file itself."""
    raw = read_bytes(path, "handout", MAX_PDF_BYTES)
    data = read_plan_bytes(raw, str(path))
    return plan_from_bytes(data, shown_for(path))


def plan_from_bytes(data: bytes, shown: str) -> Located:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HandoutError(Problem(shown, "is not UTF-8 text; the handout is damaged")) from None
    return parse_yaml(text, shown, keep_going=True)
