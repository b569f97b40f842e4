"""Layouts as validated data: a clinic adds one by adding a YAML file to layouts/.

A layout can change paper, margins, sizes, spacing and colours, but never below the handout
standard: validation refuses text under 18 pt, headings under 22 pt (subheadings 20 pt), line spacing
under 1.3, margins under 0.75 in, lines longer than 6.5 in and coloured text under 7:1 contrast, and a
font that is not there. Nothing silently falls back to a default font or size.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from handouts.errors import HandoutError, Problem
from handouts.validation import suggest, validate
from handouts.yamlsource import Located, load_yaml

LAYOUTS_DIR = Path(__file__).resolve().parent.parent / "layouts"
DEFAULT_LAYOUT = "large-print"

MIN_TEXT_PT = 18.0
MIN_HEADING_PT = 22.0
MIN_SUBHEADING_PT = 20.0
MIN_LINE_SPACING = 1.3
MIN_MARGIN_IN = 0.75
MAX_LINE_IN = 6.5
MIN_CONTRAST = 7.0

PAPER_SIZES_PT = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two #RRGGBB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(Strict):
    top: float = 1.0
    bottom: float = 1.0
    left: float = 1.0
    right: float = 1.0

    @field_validator("top", "bottom", "left", "right")
    @classmethod
    def _wide_enough(cls, v: float) -> float:
        if v < MIN_MARGIN_IN:
            raise ValueError(f"{v} in is under the {MIN_MARGIN_IN} in margin the handout standard asks for")
        if v > 3:
            raise ValueError(f"{v} in leaves too little room for text; use at most 3 in")
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
            raise ValueError(f"{v} pt is under {MIN_TEXT_PT:g} pt; large print is 18 pt or more")
        if v > 72:
            raise ValueError(f"{v} pt is over 72 pt; use at most 72")
        return v

    @field_validator("line_spacing")
    @classmethod
    def _spacing(cls, v: float) -> float:
        if v < MIN_LINE_SPACING:
            raise ValueError(f"{v} is under {MIN_LINE_SPACING} times the type size the handout standard asks for")
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

    @model_validator(mode="after")
    def _one_source(self) -> Font:
        if (self.regular is None) != (self.bold is None):
            raise ValueError("give both regular and bold font files, or neither (and a family)")
        if self.regular is None and not self.family:
            raise ValueError("give a font family or regular and bold font files")
        return self


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

    @model_validator(mode="after")
    def _contrast(self) -> Colors:
        for name in ("text", "heading"):
            color = getattr(self, name)
            for ground, what in ((self.box_fill, "box_fill"), ("#FFFFFF", "the white page")):
                ratio = contrast(color, ground)
                if ratio < MIN_CONTRAST:
                    raise ValueError(
                        f"{name} {color} on {what} has contrast {ratio:.1f}:1; the handout standard asks "
                        f"for at least {MIN_CONTRAST:g}:1"
                    )
        return self


class Layout(Strict):
    name: str
    description: str
    extends: str | None = None
    paper: Literal["letter", "a4"] = "letter"
    margins: Margins = Margins()
    max_line_inches: float = MAX_LINE_IN
    font: Font = Font()
    body: TextStyle
    heading: TextStyle
    subheading: TextStyle
    header: TextStyle
    footer: TextStyle
    colors: Colors = Colors()
    pictures: bool = True
    """Print a pictogram with each exercise and piece of equipment; a clinic may turn them off."""
    folder: Path = Field(exclude=True)

    @field_validator("max_line_inches")
    @classmethod
    def _line_length(cls, v: float) -> float:
        if v > MAX_LINE_IN:
            raise ValueError(f"{v} in is longer than the {MAX_LINE_IN} in line the handout standard allows")
        if v < 3:
            raise ValueError(f"{v} in is too short for a line of large print; use 3 in or more")
        return v

    @field_validator("heading")
    @classmethod
    def _heading(cls, v: TextStyle) -> TextStyle:
        if v.size < MIN_HEADING_PT:
            raise ValueError(f"size {v.size:g} pt is under the {MIN_HEADING_PT:g} pt headings need")
        return v

    @field_validator("subheading")
    @classmethod
    def _subheading(cls, v: TextStyle) -> TextStyle:
        if v.size < MIN_SUBHEADING_PT:
            raise ValueError(f"size {v.size:g} pt is under the {MIN_SUBHEADING_PT:g} pt subheadings need")
        return v

    @model_validator(mode="after")
    def _fonts_exist(self) -> Layout:
        self.font_files()  # raises ValueError naming what is missing
        return self

    def font_files(self) -> tuple[Path, Path]:
        """The regular and bold font files; an error, never a silent fallback, when one is missing."""
        if self.font.regular and self.font.bold:
            files = (self.folder / self.font.regular, self.folder / self.font.bold)
            for f in files:
                if not f.is_file():
                    raise ValueError(f"the font file {f} does not exist")
            return files
        import fontpkg

        family = str(self.font.family)
        try:
            return (Path(fontpkg.path(family, weight=400)), Path(fontpkg.path(family, weight=700)))
        except fontpkg.FontpkgError as exc:
            raise ValueError(
                f"the font family {family!r} is not installed ({exc}); install its fontpkg package "
                "or give regular and bold font files"
            ) from None

    @property
    def page_size(self) -> tuple[float, float]:
        return PAPER_SIZES_PT[self.paper]


def layout_names(folder: Path = LAYOUTS_DIR) -> list[str]:
    """Names come from the files, so adding a file adds a layout to the CLI, the checks and the tests."""
    return sorted(p.stem for p in folder.glob("*.yaml"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _raw(name: str, folder: Path, chain: tuple[str, ...] = ()) -> Located:
    path = folder / f"{name}.yaml"
    if not path.is_file():
        names = layout_names(folder)
        raise HandoutError(
            Problem(
                str(path),
                f"there is no layout '{name}'{suggest(name, names)} (layouts: {', '.join(names)})",
            )
        )
    located = load_yaml(path, "layout")
    if located.data is None:
        located.data = {}
    if not isinstance(located.data, dict):
        raise HandoutError(Problem(str(path), "a layout must be a set of 'key: value' lines", 1))
    parent = located.data.get("extends")
    if parent:
        if parent in (*chain, name):
            raise HandoutError(
                Problem(
                    str(path),
                    f"extends '{parent}', which extends it back",
                    located.line_of(("extends",)),
                    "extends",
                )
            )
        base = _raw(str(parent), folder, (*chain, name))
        located.data = _merge(base.data, {k: v for k, v in located.data.items() if k != "extends"})
        located.data["extends"] = parent
    return located


def load_layout(name: str, folder: Path = LAYOUTS_DIR) -> Layout:
    located = _raw(name, folder)
    located.data = {**located.data, "name": name, "folder": folder}
    return validate(Layout, located, "layout")


@cache
def cached_layout(name: str, folder: Path = LAYOUTS_DIR) -> Layout:
    """Layouts load once per process, whatever number of handouts use them."""
    return load_layout(name, folder)
