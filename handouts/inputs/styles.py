"""The parts of a layout, each held to the handout standard's figures: margins, text styles, the font,
the clinic's letterhead and the colours. `layout.py` puts them together and loads layout files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from handouts.home import SHIPPED_LAYOUTS
from handouts.inputs.assets import family_files, image_size
from handouts.inputs.validation import Strict

MIN_TEXT_PT = 18.0
MIN_HEADING_PT = 22.0
MIN_SUBHEADING_PT = 20.0
MIN_LINE_SPACING = 1.3
MIN_MARGIN_IN = 0.75
MAX_LINE_IN = 6.5
MIN_CONTRAST = 7.0

MAX_LOGO_IN = 1.5


def _folder(info: ValidationInfo) -> Path:
    """Files a layout names (fonts, logo) are found beside the layout file."""
    return Path((info.context or {}).get("folder", SHIPPED_LAYOUTS))


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two #RRGGBB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Margins(Strict):
    top: float = 1.0
    bottom: float = 1.0
    left: float = 1.0
    right: float = 1.0

    @field_validator("top", "bottom", "left", "right")
    @classmethod
    def _wide_enough(cls, v: float) -> float:
        if v < MIN_MARGIN_IN:
            raise ValueError(f"{v:g} in is under the {MIN_MARGIN_IN} in margin the handout standard asks for")
        if v > 3:
            raise ValueError(f"{v:g} in leaves too little room for text; use at most 3 in")
        return v


class TextStyle(Strict):
    size: float
    line_spacing: float = 1.4
    space_before: float = Field(0.0, ge=0, le=144)
    space_after: float = Field(0.0, ge=0, le=144)

    @field_validator("size")
    @classmethod
    def _large_print(cls, v: float) -> float:
        if v < MIN_TEXT_PT:
            raise ValueError(f"{v:g} pt is under {MIN_TEXT_PT:g} pt; large print is 18 pt or more")
        if v > 72:
            raise ValueError(f"{v:g} pt is over 72 pt; use at most 72")
        return v

    @field_validator("line_spacing")
    @classmethod
    def _spacing(cls, v: float) -> float:
        if v < MIN_LINE_SPACING:
            raise ValueError(f"{v:g} is under {MIN_LINE_SPACING} times the type size the handout standard asks for")
        if v > 3:
            raise ValueError(f"{v} is over 3 times the type size; use at most 3")
        return v

    @property
    def leading(self) -> float:
        return self.size * self.line_spacing


class Font(Strict):
    family: str | None = "Atkinson Hyperlegible"
    regular: str | None = None
    bold: str | None = None

    @field_validator("regular", "bold")
    @classmethod
    def _file_exists(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and not (_folder(info) / v).is_file():
            raise ValueError(f"the font file {_folder(info) / v} does not exist (paths are relative to the layout)")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> Font:
        if (self.regular is None) != (self.bold is None):
            raise ValueError("give both regular and bold font files, or neither (and a family)")
        if self.regular is None and not self.family:
            raise ValueError("give a font family or regular and bold font files")
        if self.regular is None:
            family_files(str(self.family))
        return self


ClinicText = Annotated[str, Field(min_length=1, max_length=120)]


class Clinic(Strict):
    """The clinic's letterhead on page 1. A patient file's clinic and phone win over these."""

    name: ClinicText | None = None
    address: ClinicText | None = None
    phone: ClinicText | None = None
    logo: str | None = None
    logo_height: float = Field(1.0, ge=0.4, le=MAX_LOGO_IN)
    """Inches. The logo sits inside the margins beside the clinic's name and never shrinks the text."""

    @field_validator("logo")
    @classmethod
    def _logo_readable(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None:
            image_size(_folder(info) / v)
        return v


class Colors(Strict):
    text: str = "#000000"
    heading: str = "#000000"
    lines: str = "#000000"
    box_fill: str = "#FFFFFF"

    @field_validator("text", "heading", "lines", "box_fill")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", v):
            raise ValueError(f"{v!r} is not a colour; write it as #RRGGBB, for example #000000")
        return v.upper()

    def contrast_problems(self) -> list[tuple[tuple[str, ...], str]]:
        """Each text colour under 7:1 on the white page or on the box, with the keys that could be to blame.

        Checked after validation, so the problem can point at whichever key the layout itself wrote.
        """
        found: list[tuple[tuple[str, ...], str]] = []
        for name in ("text", "heading"):
            color = getattr(self, name)
            for ground, what, keys in (
                ("#FFFFFF", "the white page", (name,)),
                (self.box_fill, f"box_fill {self.box_fill}", ("box_fill", name)),
            ):
                ratio = contrast(color, ground)
                if ratio < MIN_CONTRAST:
                    found.append(
                        (
                            keys,
                            f"{name} {color} on {what} has contrast {ratio:.1f}:1; the handout standard asks "
                            f"for at least {MIN_CONTRAST:g}:1 (use a darker colour)",
                        )
                    )
                    break
        return found
