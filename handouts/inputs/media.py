"""A clinic's own picture and video for a section of content.yaml, checked when the content loads.

`image: {file: pictures/shoulder.png, alt: ...}` prints the clinic's photo or drawing where the project
would draw a figure; `video: https://...` prints a QR code to the clinic's video. A clinician, not a
programmer, names these files, so everything printing relies on is checked here, once per process,
each problem with the content file, its line and the field: the file is there (beside the content or
below it, or an absolute path), really a PNG or JPEG whatever its name says, whole, small enough to
read (5 MB, 40 million pixels, both checked before it is decoded), and with pixels enough to print
sharp at the size the largest shipped layout prints a picture (150 per inch). Printing reads the
checked bytes from here: a file is read once per process (cached by path, modification time and size).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, PrivateAttr

from handouts.errors import HandoutError, Problem
from handouts.inputs.validation import Strict

if TYPE_CHECKING:
    from handouts.inputs.content import Content, Section
    from handouts.inputs.yamlsource import Located

MAX_BYTES = 5_000_000
"""5 MB on disk: a photo for a 3 inch picture needs far less, and every handout carries a copy."""
MAX_PIXELS = 40_000_000
"""Read from the file's header before decoding: a small PNG can declare 20000 x 20000 pixels (1.6 GB
once decoded); 40 million is more than any phone camera gives."""
MIN_PPI = 150
"""Pixels per inch at the printed size: below it a photo prints visibly soft (300 is print quality)."""
MAX_ADDRESS = 120
"""Characters in a video address: it fits a QR code of version 7 at error correction M (45 modules,
1.8 in at handouts/pdf/qr.py's 1 mm module), and it is printed in words for a person to type."""
_ADDRESS_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
"""What a web address is written with (RFC 3986): no spaces, no letters outside ASCII."""


def _video_address(value: str) -> str:
    """An https address with a host, written plainly: the handout prints it, nothing opens it."""
    if not value.startswith("https://"):
        scheme = value.split(":", 1)[0] if ":" in value else ""
        said = f"an {scheme}: address" if scheme in ("http", "ftp") else "not an https:// address"
        raise ValueError(f"{value!r} is {said}; write the video's https:// address, as the browser shows it")
    if not _ADDRESS_CHARACTERS.fullmatch(value):
        raise ValueError(
            f"{value!r} has a space or a character a web address can't hold; copy the address from the browser"
        )
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        host = ""
    if not re.fullmatch(r"([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]", host):
        raise ValueError(f"{value!r} has no web site's name after https://, like https://example.org/shoulder")
    if len(value) > MAX_ADDRESS:
        raise ValueError(
            f"the address is {len(value)} characters; at most {MAX_ADDRESS} fit a QR code an older phone reads, "
            "and a person can type it: use the video site's short share link"
        )
    return value


VideoAddress = Annotated[str, AfterValidator(_video_address)]


def _said(alt: str) -> str:
    if not alt.strip():
        raise ValueError("is blank; say in a sentence what the picture shows, for a reader who can't see it")
    return alt


Alt = Annotated[str, Field(min_length=1), AfterValidator(_said)]
"""A picture's words: required, and more than spaces (a screen reader would say nothing in its place)."""


class Image(Strict):
    """The clinic's own picture of a section, printed where a drawn figure would be, at its size."""

    file: str = Field(min_length=1)
    """A PNG or JPEG file, relative to the content file's folder (pictures/shoulder.png) or absolute."""
    alt: Alt
    """What the picture shows, in a sentence a screen reader says in its place."""
    _path: Path | None = PrivateAttr(None)
    """The file found and checked on load (check_images); printing reads it from there."""

    @property
    def path(self) -> Path:
        assert self._path is not None, "an image is printed only from content loaded by load_content"
        return self._path


class TranslatedImage(Strict):
    """A translation gives only the words of a picture: its file is the English content's."""

    alt: Alt


@dataclass(frozen=True)
class CheckedImage:
    """A clinic picture that passed every check, with its bytes: what printing embeds."""

    path: Path
    data: bytes
    format: str
    """PNG or JPEG, as the bytes say."""
    size: tuple[int, int]
    """Width and height in pixels, as printed (a photo's EXIF orientation applied)."""
    orientation: int
    """EXIF orientation (1 is upright): a phone's photo is often stored sideways with a tag to turn it."""


_checked: dict[tuple[str, int, int], CheckedImage] = {}


def checked_image(path: Path) -> CheckedImage:
    """The image at `path`, checked once per process while it is unchanged; a ValueError says what is wrong."""
    try:
        stat = path.stat()
    except OSError:
        raise ValueError(f"{path} does not exist") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    found = _checked.get(key)
    if found is None:
        found = _check(path, stat.st_size)
        if len(_checked) >= 256:
            _checked.clear()
        _checked[key] = found
    return found


SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
)
SUFFIXES = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}


def _sniff(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "HEIC"
    return next((name for sig, name in SIGNATURES if head.startswith(sig)), None)


def _check(path: Path, size: int) -> CheckedImage:
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    if size > MAX_BYTES:
        raise ValueError(
            f"{path.name} is {size / 1e6:.1f} MB; a picture may be at most {MAX_BYTES // 1_000_000} MB: "
            "save a smaller copy (a 3 inch picture needs about 1000 pixels across)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path.name} can't be read: {exc.strerror}") from None
    kind = _sniff(data[:16])
    if kind not in SUFFIXES:
        what = f"a {kind} file" if kind else "not an image file"
        raise ValueError(f"{path.name} is {what}; save it as PNG or JPEG")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES[kind]:
        raise ValueError(
            f"{path.name} is a {kind} file named {suffix or 'without an ending'}; rename it to {SUFFIXES[kind][0]}"
        )
    from handouts.inputs.assets import MAX_HEADER_BYTES, declared_size

    declared = declared_size(data[:MAX_HEADER_BYTES])
    if declared is None:
        raise ValueError(f"{path.name} can't be read as an image (no size in its header); save it again")
    if declared[0] * declared[1] > MAX_PIXELS:
        raise ValueError(
            f"{path.name} is {declared[0]} x {declared[1]} pixels; at most {MAX_PIXELS // 1_000_000} million "
            "pixels are read: save a smaller copy"
        )
    pixels, orientation = _decoded(path, data)
    return CheckedImage(path, data, kind, pixels, orientation)


def _decoded(path: Path, data: bytes) -> tuple[tuple[int, int], int]:
    """Pillow's check of the file's structure, then every pixel decoded: a cut-off file fails here."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(BytesIO(data)) as im:
            im.verify()
        with PILImage.open(BytesIO(data)) as im:
            im.load()
            orientation = int(im.getexif().get(0x0112, 1) or 1)
            width, height = im.size
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:
        raise ValueError(f"{path.name} is damaged and can't be read ({exc}); save or export it again") from None
    turned = orientation in (5, 6, 7, 8)  # stored sideways: printed turned upright
    return ((height, width) if turned else (width, height)), orientation if 1 <= orientation <= 8 else 1


@cache
def print_box() -> tuple[float, float]:
    """The largest picture any shipped layout prints, in points: the drawing's W x H scaled by the
    largest body size, as handouts/pdf/story.py scales it. Read from the drawing's own size (imported
    here, late, since the size a picture prints at is the drawing code's)."""
    from handouts.home import SHIPPED_LAYOUTS
    from handouts.inputs.layout import cached_layout, layout_names
    from handouts.pdf.pictures import LABEL_PT, H, W

    body = max(cached_layout(name, SHIPPED_LAYOUTS).body.size for name in layout_names(SHIPPED_LAYOUTS))
    scale = max(1.0, body / LABEL_PT)
    return W * scale, H * scale


def resolution_problem(image: CheckedImage) -> str | None:
    """Too few pixels for the largest printed size, with the size that would do, in this image's shape."""
    box_w, box_h = print_box()
    width, height = image.size
    printed = min(box_w / width, box_h / height)  # points per pixel, the picture fitted in the box
    ppi = 72 / printed
    if ppi >= MIN_PPI:
        return None
    factor = MIN_PPI / ppi
    need = (math.ceil(width * factor), math.ceil(height * factor))
    inches = f"{width * printed / 72:.1f} x {height * printed / 72:.1f} in"
    return (
        f"{image.path.name} is {width} x {height} pixels, {ppi:.0f} per inch printed at {inches}; a picture "
        f"needs {MIN_PPI} per inch: use one of at least {need[0]} x {need[1]} pixels"
    )


def check_images(located: Located, content: Content, content_path: Path) -> list[Problem]:
    """Every section's picture and video checked, each problem at its line and field."""
    problems = []
    for i, section in enumerate(content.sections):
        problems += _section_problems(located, i, section, content_path.parent)
    return problems


def _section_problems(located: Located, i: int, section: Section, folder: Path) -> list[Problem]:
    where = ("sections", i)
    found = []
    if (section.image or section.video) and section.kind not in ("exercise", "device"):
        field = "image" if section.image else "video"
        message = f"only an exercise or a device prints a picture or a video code, not a {section.kind} section"
        found.append(Problem(located.file, message, located.line_of((*where, field)), f"sections[{i}].{field}"))
        return found
    image = section.image
    if image is None:
        return found
    if not section.caption:
        line = located.line_of((*where, "image"))
        message = "a section with an image needs a caption: the short words printed beside it"
        found.append(Problem(located.file, message, line, f"sections[{i}].caption"))
    line = located.line_of((*where, "image", "file"))
    field = f"sections[{i}].image.file"
    path = _found(image.file, folder)
    if isinstance(path, str):
        return [*found, Problem(located.file, path, line, field)]
    try:
        checked = checked_image(path)
    except ValueError as exc:
        return [*found, Problem(located.file, str(exc), line, field)]
    blurred = resolution_problem(checked)
    if blurred:
        return [*found, Problem(located.file, blurred, line, field)]
    image._path = path
    return found


def _found(file: str, folder: Path) -> Path | str:
    """The picture's path, or why it can't be used: relative paths stay inside the content's folder,
    so a content file copied with its pictures folder prints the same anywhere."""
    given = Path(file)
    path = given if given.is_absolute() else folder / given
    if not given.is_absolute():
        try:
            path.resolve().relative_to(folder.resolve())
        except ValueError:
            return f"{file} is outside {folder.resolve()}; put the picture in that folder or below it"
    if not path.exists():
        return f"{file} does not exist (looked for {path}); pictures are found from the content file's folder"
    return path


def image_or_error(path: Path, where: str) -> CheckedImage:
    """At print time, the checked image; a file changed since the content loaded is checked again."""
    try:
        checked = checked_image(path)
    except ValueError as exc:
        raise HandoutError(Problem(where, str(exc), None, "image.file")) from None
    return checked
