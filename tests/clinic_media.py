"""A clinic's own content with pictures and a video, made in a test folder from the shipped files.

The pictures are real files written with Pillow; the content is the shipped content.yaml (and its
Spanish translation) with `image:` and `video:` added to named moves, so everything else loads as shipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw

from handouts.home import SHIPPED_CONTENT, SHIPPED_CONTENT_ES

VIDEO = "https://videos.example.org/riverside/shoulder-raise"


def picture(path: Path, size: tuple[int, int], fmt: str | None = None) -> Path:
    """A real picture: a grey frame, a head and an arm, so it is not blank; saved as `fmt` or by its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.rectangle((0, 0, w - 1, h - 1), outline="gray", width=max(1, w // 100))
    draw.ellipse((w * 0.4, h * 0.1, w * 0.55, h * 0.3), fill="black")
    draw.line((w * 0.47, h * 0.3, w * 0.47, h * 0.8), fill="black", width=max(1, w // 30))
    draw.line((w * 0.47, h * 0.4, w * 0.8, h * 0.2), fill="black", width=max(1, w // 35))
    jpeg = (fmt or path.suffix.lstrip(".")).upper() in ("JPEG", "JPG")
    im.save(path, format=fmt, **({"quality": 90} if jpeg else {}))
    return path


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line holding `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def clinic_content(
    folder: Path,
    images: dict[str, str] | None = None,
    videos: dict[str, str] | None = None,
    spanish: dict[str, str] | None = None,
) -> Path:
    """content.yaml (and content.es.yaml) in `folder`: each move in `images` gets `image:` with the
    given mapping's text (`{file: ..., alt: ...}`), each in `videos` a `video:`, each in `spanish` the
    Spanish `image:` text. Returns the content file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    english = SHIPPED_CONTENT.read_text(encoding="utf-8")
    for move, value in (images or {}).items():
        english = _add(english, move, f"image: {value}")
    for move, value in (videos or {}).items():
        english = _add(english, move, f"video: {value}")
    translation = SHIPPED_CONTENT_ES.read_text(encoding="utf-8")
    for move, value in (spanish or {}).items():
        translation = _add(translation, move, f"image: {value}")
    (folder / "content.yaml").write_text(english, encoding="utf-8")
    (folder / "content.es.yaml").write_text(translation, encoding="utf-8")
    return folder / "content.yaml"


def _add(text: str, move: str, line: str) -> str:
    pattern = re.compile(rf"^  - id: {re.escape(move)}\n", re.MULTILINE)
    assert pattern.search(text), move
    return pattern.sub(lambda m: m.group(0) + f"    {line}\n", text, count=1)
