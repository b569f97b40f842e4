"""Layouts as validated data: a clinic adds one by adding a YAML file to its own layouts folder.

The clinic's folder (`home.resolve`: --layouts or HANDOUTS_HOME) is searched before the shipped one, so
a clinic's file replaces a shipped layout of the same name, and may extend it by that name. The parts
of a layout (margins, text styles, font, letterhead, colours) and their rules are in `styles.py`.

A layout can change paper, margins, sizes, spacing and colours, but never below the handout
standard: validation refuses text under 18 pt, headings under 22 pt (subheadings 20 pt), line spacing
under 1.3, margins under 0.75 in, lines longer than 6.5 in and coloured text under 7:1 contrast, a
font that is not there, a logo that can't be read and any key it does not know. Nothing silently falls
back to a default font or size. A layout that extends another is checked as merged, and each problem
points at the file and line the offending value came from, whichever of the two files that is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from handouts.errors import HandoutError, Problem
from handouts.home import SHIPPED_LAYOUTS, layout_folders
from handouts.inputs.assets import family_files
from handouts.inputs.styles import (
    MAX_LINE_IN,
    MIN_HEADING_PT,
    MIN_SUBHEADING_PT,
    Clinic,
    Colors,
    Font,
    Margins,
    TextStyle,
)
from handouts.inputs.validation import Strict, problems_from, suggest
from handouts.inputs.yamlsource import dotted, load_yaml

LAYOUTS_DIR = SHIPPED_LAYOUTS
DEFAULT_LAYOUT = "large-print"

Paper = Literal["letter", "a4"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
PAPER_SIZES_PT: dict[str, tuple[float, float]] = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}
MIN_TEXT_WIDTH_IN = 3.5


class Layout(Strict):
    name: str
    description: str
    extends: str | None = None
    paper: Paper = "letter"
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
    section_per_page: bool = False
    """Each section starts on a new page: fewer things to find on a page, for low vision."""
    clinic: Clinic = Clinic()
    folder: Path = Field(exclude=True)

    @field_validator("max_line_inches")
    @classmethod
    def _line_length(cls, v: float) -> float:
        if v > MAX_LINE_IN:
            raise ValueError(f"{v:g} in is longer than the {MAX_LINE_IN} in line the handout standard allows")
        if v < 3:
            raise ValueError(f"{v} in is too short for a line of large print; use 3 in or more")
        return v

    @field_validator("heading", "subheading")
    @classmethod
    def _headings(cls, v: TextStyle, info: ValidationInfo) -> TextStyle:
        least = {"heading": MIN_HEADING_PT, "subheading": MIN_SUBHEADING_PT}[str(info.field_name)]
        if v.size < least:
            raise ValueError(f"size {v.size:g} pt is under the {least:g} pt {info.field_name}s need")
        return v

    def text_width_problem(self) -> str | None:
        """Margins too wide for this paper; checked after validation, since --paper can change it."""
        width = self.page_size[0] / 72 - self.margins.left - self.margins.right
        if width < MIN_TEXT_WIDTH_IN:
            return (
                f"the margins leave {width:.2f} in for text on {self.paper} paper; leave at least "
                f"{MIN_TEXT_WIDTH_IN} in"
            )
        return None

    def font_files(self) -> tuple[Path, Path]:
        """The regular and bold font files; validation has already made sure they are there."""
        if self.font.regular and self.font.bold:
            return (self.folder / self.font.regular, self.folder / self.font.bold)
        return family_files(str(self.font.family))

    @property
    def logo_path(self) -> Path | None:
        return self.folder / self.clinic.logo if self.clinic.logo else None

    @property
    def page_size(self) -> tuple[float, float]:
        return PAPER_SIZES_PT[self.paper]


def layout_names(folder: Path = LAYOUTS_DIR) -> list[str]:
    """Names come from the files, so adding a file adds a layout to the CLI, the checks and the tests.

    `folder` is a clinic's layouts folder (or the shipped one); the shipped layouts are always there too."""
    return sorted({p.stem for each in layout_folders(folder) for p in each.glob("*.yaml")})


def layout_file(name: str, folder: Path = LAYOUTS_DIR, after: Path | None = None) -> Path | None:
    """The file of the named layout: the clinic's own before a shipped one of the same name.

    `after` looks only in the folders after that one, so a clinic's `large-print.yaml` may extend the
    shipped `large-print` by its own name."""
    folders = layout_folders(folder)
    if after is not None and after in folders:
        folders = folders[folders.index(after) + 1 :]
    return next((f / f"{name}.yaml" for f in folders if (f / f"{name}.yaml").is_file()), None)


def not_a_paper(paper: str) -> str:
    return f"'{paper}' is not a paper; use {' or '.join(PAPERS)}"


def no_such_layout(name: str, folder: Path = LAYOUTS_DIR) -> str:
    """The one message for a layout name that is not there, with the nearest name and the list."""
    names = layout_names(folder)
    return f"there is no layout '{name}'{suggest(name, names)} (layouts: {', '.join(names)})"


def layout_problems(
    name: object, file: str, line: int | None, field: str | None, folder: Path = LAYOUTS_DIR
) -> list[Problem]:
    """A layout named in a patient file, roster or settings file that is not there; text only (the
    model reports a value that is not text)."""
    if not isinstance(name, str) or not name.strip() or " ".join(name.split()) in layout_names(folder):
        return []
    return [Problem(file, no_such_layout(" ".join(name.split()), folder), line, field)]


Origins = dict[tuple[str | int, ...], tuple[str, int]]
"""For each key of a merged layout, the file and line it was written on."""


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _shown(path: Path) -> Path:
    """Paths in messages are short: relative to the current folder when the file is under it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _raw(
    name: str, folder: Path, chain: tuple[Path, ...] = (), after: Path | None = None
) -> tuple[dict[str, Any], Origins, str, Path]:
    """The layout's data merged over its parents', where each value came from, its own file and folder."""
    found = layout_file(name, folder, after)
    if found is None:
        raise HandoutError(Problem(str(_shown(folder / f"{name}.yaml")), no_such_layout(name, folder)))
    path = _shown(found)
    located = load_yaml(path, "layout")
    data = {} if located.data is None else located.data
    if not isinstance(data, dict):
        line = located.line_of((0,)) if isinstance(data, list) else 1
        raise HandoutError(Problem(str(path), "a layout must be a set of 'key: value' lines", line))
    for key in ("name", "folder"):
        if key in data:
            raise HandoutError(
                Problem(
                    str(path),
                    f"'{key}' is not a known field; a layout's name is its file name",
                    located.line_of((key,)),
                    key,
                )
            )
    origins: Origins = {loc: (str(path), line) for loc, line in located.lines.items()}
    parent = data.get("extends")
    if parent is None:
        return data, origins, str(path), found.parent
    here = Problem(str(path), "", located.line_of(("extends",)), "extends")
    if not isinstance(parent, str):
        raise HandoutError(Problem(here.file, "must be the name of another layout", here.line, "extends"))
    # A layout extending its own name extends the shipped layout it replaces.
    after = found.parent if parent == name else None
    parent_file = layout_file(parent, folder, after)
    if parent_file in (*chain, found) or (parent_file is None and after):
        raise HandoutError(Problem(here.file, f"extends '{parent}', which extends it back", here.line, "extends"))
    if parent_file is None:
        raise HandoutError(Problem(here.file, no_such_layout(parent, folder), here.line, here.field))
    base, base_origins, _, _ = _raw(parent, folder, (*chain, found), after)
    merged = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["extends"] = parent
    return merged, {**base_origins, **origins}, str(path), found.parent


def _where(origins: Origins, loc: tuple[str | int, ...], own_file: str) -> tuple[str, int | None]:
    """The file and line of the deepest part of `loc` that was written somewhere."""
    for end in range(len(loc), 0, -1):
        found = origins.get(tuple(loc[:end]))
        if found is not None:
            return found
    return own_file, None


def load_layout(name: str, folder: Path = LAYOUTS_DIR, paper: str | None = None) -> Layout:
    """The named layout, validated; `paper` (letter or a4) overrides the layout's own paper."""
    data, origins, own_file, own_folder = _raw(name, folder)
    if paper is not None:
        if paper not in PAPERS:
            raise HandoutError(Problem(own_file, not_a_paper(paper)))
        data = {**data, "paper": paper}
    problems: list[Problem] = []
    layout = None
    try:
        layout = Layout.model_validate(
            {**data, "name": name, "folder": own_folder}, context={"folder": _shown(own_folder)}
        )
    except ValidationError as exc:
        problems += problems_from(exc, Layout, lambda loc: (*_where(origins, loc, own_file), loc))
    try:  # colours are checked even when something else is wrong, so every problem shows at once
        colors = layout.colors if layout else Colors.model_validate(data.get("colors") or {})
    except ValidationError:
        colors = None  # already reported above
    for keys, message in colors.contrast_problems() if colors else []:
        # Blame the colour this layout wrote itself, rather than one it inherited.
        candidates = [("colors", key) for key in keys]
        loc = next((c for c in candidates if _where(origins, c, own_file)[0] == own_file), candidates[0])
        file, line = _where(origins, loc, own_file)
        problems.append(Problem(file, message, line, dotted(loc)))
    too_narrow = layout.text_width_problem() if layout else None
    if too_narrow:
        file, line = _where(origins, ("margins",), own_file)
        problems.append(Problem(file, too_narrow, line, "margins"))
    if problems or layout is None:
        raise HandoutError(problems)
    return layout


def describe_layouts(folder: Path = LAYOUTS_DIR) -> list[tuple[str, str]]:
    """Each layout's name and description, for `list`; a broken layout says so instead of failing."""
    out = []
    for name in layout_names(folder):
        try:
            out.append((name, load_layout(name, folder).description))
        except HandoutError:
            out.append((name, "has problems; run 'check' to see them"))
    return out


@cache
def cached_layout(name: str, folder: Path = LAYOUTS_DIR, paper: str | None = None) -> Layout:
    """Layouts load once per process, whatever number of handouts use them."""
    return load_layout(name, folder, paper)
