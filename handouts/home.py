"""Where the guidance and layouts are read from: the shipped ones, or a clinic's own, decided once.

A clinician edits `content.yaml` and `layouts/` at the top of the repository; the wheel carries copies
of them inside the package (`handouts/data/`, put there by `setup.py` at build time), so an installed
tool (pip, pipx, a clinic's own index, Windows) finds them without the checkout. An editable install
from a checkout has no copies and reads the checkout's own files, so an edit shows at once.

A clinic keeps its own files in a folder it names, and every command reads them through `resolve`:
`--content FILE` and `--layouts DIR` on the command line win, then the `HANDOUTS_HOME` environment
variable (a folder holding `content.yaml` and/or `layouts/`), then the shipped files. A clinic's
layouts are added to the shipped ones: a file of the same name replaces the shipped layout, and a
clinic layout may extend a shipped one. Nothing silently falls back: a folder or file that is named
and does not exist is an error, as is a HANDOUTS_HOME that holds neither file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from handouts.errors import HandoutError, Problem

_PACKAGED = Path(str(files("handouts") / "data"))
_CHECKOUT = Path(__file__).resolve().parent.parent

SHIPPED_HOME = _PACKAGED if (_PACKAGED / "content.yaml").is_file() else _CHECKOUT
SHIPPED_CONTENT = SHIPPED_HOME / "content.yaml"
SHIPPED_CONTENT_ES = SHIPPED_HOME / "content.es.yaml"
"""The Spanish guidance, copied beside content.yaml by setup.py; a translation is read from beside the
content.yaml in use (handouts/inputs/translation.py), the shipped one or a clinic's own."""
SHIPPED_LAYOUTS = SHIPPED_HOME / "layouts"

HOME_VARIABLE = "HANDOUTS_HOME"
CONTENT_FILE = "content.yaml"
LAYOUTS_FOLDER = "layouts"


@dataclass(frozen=True)
class Home:
    """The guidance file and the layouts folder one run uses, and what chose each (for list and check)."""

    content: Path = SHIPPED_CONTENT
    layouts: Path = SHIPPED_LAYOUTS
    """The clinic's layouts folder, searched before the shipped one; the shipped folder when none."""
    content_from: str = "shipped"
    layouts_from: str = "shipped"

    def describe(self) -> list[str]:
        """`list` and `check` say which files are in use, so a clinic sees its own are read: the content,
        each language's translation (read from beside the content) and the layouts."""
        from handouts.handout.words import LANGUAGE_NAMES, LANGUAGES

        lines = [f"Content: {self.content} ({self.content_from})"]
        for language in LANGUAGES[1:]:
            beside = self.content.with_name(f"{self.content.stem}.{language}{self.content.suffix}")
            name = LANGUAGE_NAMES[language]
            if beside.is_file():
                lines.append(f"{name}: {beside} (beside the content, {self.content_from})")
            else:
                lines.append(f"{name}: none beside the content ({beside}): handouts in {name} can't be printed")
        if _same(self.layouts, SHIPPED_LAYOUTS):
            lines.append(f"Layouts: {self.layouts} (shipped)")
        else:
            lines.append(f"Layouts: {self.layouts} ({self.layouts_from}), then the shipped {SHIPPED_LAYOUTS}")
        return lines


def layout_folders(folder: Path) -> tuple[Path, ...]:
    """The folders a layout name is looked up in, first match wins: the given one, then the shipped one."""
    return (folder,) if _same(folder, SHIPPED_LAYOUTS) else (folder, SHIPPED_LAYOUTS)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def resolve(content: Path | None = None, layouts: Path | None = None, environ: Mapping[str, str] | None = None) -> Home:
    """The one place the files of a run are chosen: options, then HANDOUTS_HOME, then the shipped files."""
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    from_home = _home_folder(environ.get(HOME_VARIABLE, "").strip(), problems)
    chosen: dict[str, tuple[Path, str]] = {key: (path, HOME_VARIABLE) for key, path in from_home.items()}
    if content is not None:
        chosen["content"] = (content, "--content")
    if layouts is not None:
        chosen["layouts"] = (layouts, "--layouts")
    if "content" in chosen and not chosen["content"][0].is_file():
        path, named_by = chosen["content"]
        if path.is_dir():
            what = "is a folder; give the content file itself"
        elif path.exists():
            what = "is not a file (a device, pipe or socket); give the content file itself"
        else:
            what = "no such content file"
        problems.append(Problem(str(path), f"{what} (given as {named_by})"))
    if "layouts" in chosen:
        problems += _layouts_problems(*chosen["layouts"])
    if problems:
        raise HandoutError(problems)
    content_path, content_from = chosen.get("content", (SHIPPED_CONTENT, "shipped"))
    layouts_path, layouts_from = chosen.get("layouts", (SHIPPED_LAYOUTS, "shipped"))
    return Home(content_path, layouts_path, content_from, layouts_from)


def _home_folder(named: str, problems: list[Problem]) -> dict[str, Path]:
    """The content file and layouts folder a HANDOUTS_HOME holds; a home that holds neither is a mistake."""
    if not named:
        return {}
    folder = Path(named)
    if not folder.is_dir():
        what = "is a file" if folder.exists() else "does not exist"
        problems.append(Problem(named, f"{what}; {HOME_VARIABLE} must name a folder holding {_HOLDS}"))
        return {}
    found = {"content": folder / CONTENT_FILE, "layouts": folder / LAYOUTS_FOLDER}
    found = {key: path for key, path in found.items() if path.exists()}
    problems += _lone_translations(folder, "content" in found)
    if not found and not problems:
        problems.append(Problem(named, f"{HOME_VARIABLE} names this folder, but it holds neither {_NEITHER}"))
    return found


def _lone_translations(folder: Path, has_content: bool) -> list[Problem]:
    """A clinic's content.es.yaml without its content.yaml would be passed over for the shipped draft
    (a translation is read from beside the content it translates): say so rather than print the wrong one."""
    if has_content:
        return []
    stem, suffix = Path(CONTENT_FILE).stem, Path(CONTENT_FILE).suffix
    return [
        Problem(
            str(translation),
            f"a translation without its {CONTENT_FILE}: a translation is read from beside the content it "
            f"translates, and this {HOME_VARIABLE} folder has none, so the shipped content and its own translation "
            f"would print instead. Copy the shipped {CONTENT_FILE} here (from {SHIPPED_CONTENT}) to print with yours",
        )
        for translation in sorted(folder.glob(f"{stem}.*{suffix}"))
    ]


_HOLDS = f"{CONTENT_FILE} and/or a {LAYOUTS_FOLDER}/ folder"
_NEITHER = f"{CONTENT_FILE} nor a {LAYOUTS_FOLDER}/ folder"


def _layouts_problems(folder: Path, named_by: str) -> list[Problem]:
    if not folder.is_dir():
        what = "is a file; give the folder that holds the layouts" if folder.exists() else "no such layouts folder"
        return [Problem(str(folder), f"{what} (given as {named_by})")]
    if not any(folder.glob("*.yaml")):
        return [Problem(str(folder), f"holds no layouts (NAME.yaml files) (given as {named_by})")]
    return []
