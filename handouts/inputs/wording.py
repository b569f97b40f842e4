"""The words a clinic writes, checked piece by piece, so what `check` passes prints as it reads.

Every sentence of a section (its title, each step, each caution, a variant's caption...) is a
`Piece` with the place it was written, so a problem names the file, line and field. A piece must:
hold words (a how_often of "." says nothing), hold no invisible character (a zero-width space runs two
words together on paper), hold only letters a shipped font draws (an emoji prints as an empty box),
and hold {slots} only where the handout fills them, written plainly ({stronger_hand}, never
{stronger_hand:d}, which stops the printing). English and its translations are checked alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import string
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from handouts.errors import HandoutError, Problem
from handouts.inputs.yamlsource import Located

if TYPE_CHECKING:
    from handouts.inputs.content import Caution, Content

FILLED_FIELDS = ("text", "steps", "reason", "caption")
"""Where a section's {slots} are filled (personalize.py); a variant's text, steps and caption too.
Everywhere else (its title, which the plan at a glance and the log print too, cautions, how_often,
short_title, ask_when, an option's help) a slot would print as written."""

FEMININE_MASCULINE = {"stronger_side_m": "stronger_side", "weaker_side_m": "weaker_side"}
"""A translation's masculine side words ({weaker_side_m}: izquierdo), the same slot for every check."""

INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class Piece:
    """One sentence of a section, where it was written, and whether the handout fills slots in it."""

    loc: tuple[str | int, ...]
    """Its path inside the section, as the YAML has it: ("steps", 2), ("variants", "mode", "assisted", "caption")."""
    text: str
    fills: bool
    variant: tuple[str, str] | None = None
    """The option and value it is printed for; None when it prints whatever the options are."""

    @property
    def field(self) -> str:
        return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.loc).lstrip(".")


def pieces(section: Any) -> list[Piece]:
    """Every sentence of a section (of content.yaml or of a translation), in the order of the file."""
    found: list[Piece] = []
    for name in ("title", "short_title", "reason", "how_often", "caption", "ask_when"):
        value = getattr(section, name, None)
        if isinstance(value, str):
            found.append(Piece((name,), value, name in FILLED_FIELDS))
    for name in ("text", "steps", "cautions"):
        texts = [_said(t) for t in getattr(section, name, [])]
        found += [Piece((name, k), t, name in FILLED_FIELDS) for k, t in enumerate(texts)]
    for option_name, option in (getattr(section, "options", None) or {}).items():
        found.append(Piece(("options", option_name, "help"), option.help, False))
    for option_name, by_value in section.variants.items():
        for value, variant in by_value.items():
            where = ("variants", option_name, value)
            chosen = (option_name, value)
            found += _variant_pieces(variant, where, chosen)
    aid = getattr(section, "with_walking_aid", None)
    if aid is not None:  # what prints instead when the plan has a walking aid: filled like the section's own
        found += _variant_pieces(aid, ("with_walking_aid",), None)
    return found


def _said(text: Any) -> str:
    """A caution's words (a caution is {text, sources}; the rest are plain strings)."""
    return str(getattr(text, "text", text))


def _variant_pieces(variant: Any, where: tuple[str | int, ...], chosen: Any) -> list[Piece]:
    found: list[Piece] = []
    for name in ("text", "steps", "cautions"):
        texts = [_said(t) for t in getattr(variant, name, [])]
        filled = name in FILLED_FIELDS
        found += [Piece((*where, name, k), t, filled, chosen) for k, t in enumerate(texts)]
    if variant.caption:
        found.append(Piece((*where, "caption"), variant.caption, True, chosen))
    return found


def slot_names(text: str) -> list[str] | None:
    """The {slots} of a text, or None when a brace stands alone (a '{' never closed, a lone '}')."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None


def piece_problems(piece: Piece, allowed: set[str], covered: frozenset[int]) -> list[str]:
    """What would print wrongly, or stop the printing, in one sentence; [] when it prints as it reads."""
    problems = _letter_problems(piece.text, covered)
    if not any(ch.isalnum() for ch in piece.text):
        problems.append(f"'{piece.text}' has no words; write what the reader should know")
    return problems + _slot_problems(piece, allowed)


def _letter_problems(text: str, covered: frozenset[int]) -> list[str]:
    invisible = sorted({ch for ch in text if unicodedata.category(ch) in INVISIBLE and ch not in "\n\t"})
    problems = []
    if invisible:
        problems.append(
            f"holds the invisible character {_named(invisible)}, which prints as nothing and runs words "
            "together; delete it (retype the words around it)"
        )
    lacking = sorted({ch for ch in text if ord(ch) not in covered and not ch.isspace()} - set(invisible))
    if lacking:
        problems.append(
            f"no font the handout ships can print {_named(lacking)}; it would print as an empty box. "
            "Write it in words (letters: Latin with every accent, Greek, Cyrillic)"
        )
    return problems


def _named(chars: list[str]) -> str:
    """Each character by its code and name; an invisible one is not shown itself (it would show nothing)."""
    return ", ".join(
        (f"'{ch}' " if unicodedata.category(ch) not in INVISIBLE else "")
        + f"(U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})"
        for ch in chars[:5]
    )


def _slot_problems(piece: Piece, allowed: set[str]) -> list[str]:
    if "{" not in piece.text and "}" not in piece.text:
        return []
    if not piece.fills:
        said = next(part for part in reversed(piece.loc) if isinstance(part, str))
        return [
            f"'{piece.text}' would print its braces as written: the {said} "
            f"of a section is never filled in; slots are filled only in {', '.join(FILLED_FIELDS)} (a variant's "
            "too): write the words here without braces"
        ]
    try:
        parsed = list(string.Formatter().parse(piece.text))
    except ValueError:
        return [f"'{piece.text}' has a lone '{{' or '}}'; write a slot as {{{_example(allowed)}}}, or leave braces out"]
    problems = []
    if any("{" in literal or "}" in literal for literal, *_ in parsed):
        # "{{" prints "{" where slots are filled and "{{" where they are not: leave braces out.
        problems.append(f"'{piece.text}' has '{{{{' or '}}}}'; braces are only for slots, so leave them out")
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            problems.append(f"write the slot {written} as {{{name}}}: nothing may follow its name")
        elif name not in allowed:
            problems.append(unknown_slot(name, allowed))
    return problems


def _example(allowed: set[str]) -> str:
    return sorted(allowed)[0] if allowed else "weaker_side"


def unknown_slot(slot: str, allowed: set[str]) -> str:
    known = sorted(allowed) or ["none in this section"]
    close = difflib.get_close_matches(slot, sorted(allowed), n=1)
    hint = f"; did you mean {{{close[0]}}}?" if close else ""
    return f"the slot {{{slot}}} can't be filled from a patient file here{hint}; slots: {', '.join(known)}"


def future_date(day: dt.date | None, today: dt.date | None = None) -> str | None:
    """A review recorded after today is a typo in the year, and would print on every handout as given."""
    today = today or dt.date.today()
    if day is None or day <= today + dt.timedelta(days=1):  # a day's grace for a clinic east of this computer
        return None
    return f"{day} is after today ({today}); write the day the review was done"


def wording_problems(located: Located, index: int, section: Any, allowed: set[str]) -> list[Problem]:
    """Each sentence of a section that would print wrongly or stop the printing, at its own line."""
    found = []
    for piece in pieces(section):
        for message in piece_problems(piece, allowed, printable()):
            loc = ("sections", index, *piece.loc)
            field = f"sections[{index}] ({section.id}).{piece.field}"
            found.append(Problem(located.file, message, located.line_of(loc), field))
    return found


def refuse_a_translation(located: Located) -> None:
    """content.es.yaml given as the content: one line that says so, not every field it lacks."""
    data = located.data if isinstance(located.data, dict) else {}
    language = data.get("language")
    if isinstance(language, str) and language != "en" and "source" not in data:
        raise HandoutError(
            Problem(
                located.file,
                f"this is a translation (language: {language}), not the content; give the English content.yaml "
                "(--content content.yaml): its translations are read from beside it",
                located.line_of(("language",)),
                "language",
            )
        )


def source_problems(located: Located, content: Content) -> list[Problem]:
    """A section's `sources:` key that the content's `sources:` does not define, at its line."""
    known = ", ".join(content.sources) or "none"
    found = []
    for i, section in enumerate(content.sections):
        for k, key in enumerate(section.sources):
            if key not in content.sources:
                close = difflib.get_close_matches(key, list(content.sources), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                message = f"'{key}' is not one of the content's sources{hint} (sources: {known})"
                loc = ("sections", i, "sources", k)
                found.append(
                    Problem(located.file, message, located.line_of(loc), f"sections[{i}] ({section.id}).sources")
                )
    return found


def caution_problems(located: Located, content: Content) -> list[Problem]:
    """A caution is a fact: each names its sources by the keys of `sources:`, like every section does.

    In its own function, with its own line numbers, so a caution written as plain words is refused at
    the caution itself: "sections[5] (shoulder_raise).cautions[1]: ... names no source".
    """
    problems = []
    known = ", ".join(content.sources) or "none"
    for i, section in enumerate(content.sections):
        places: list[tuple[tuple[str | int, ...], list[Caution]]] = [(("cautions",), section.cautions)]
        for option, by_value in section.variants.items():
            for value, variant in by_value.items():
                places.append((("variants", option, value, "cautions"), variant.cautions))
        if section.with_walking_aid:
            places.append((("with_walking_aid", "cautions"), section.with_walking_aid.cautions))
        for path, cautions in places:
            for j, caution in enumerate(cautions):
                unknown = [key for key in caution.sources if key not in content.sources]
                if caution.sources and not unknown:
                    continue
                said = f"names unknown sources {unknown}" if unknown else "names no source"
                message = (
                    f"the caution '{caution.text}' {said}; write it as {{text: ..., sources: [key]}} "
                    f"with keys of sources: ({known})"
                )
                field = f"sections[{i}] ({section.id}).{'.'.join(map(str, path))}[{j}]"
                line = located.line_of(("sections", i, *path, j))
                problems.append(Problem(located.file, message, line, field))
    return problems


def record_problems(located: Located, content: Content) -> list[Problem]:
    """The content's own record: a review date in the future would print on every handout as given."""
    future = future_date(content.reviewed)
    return [Problem(located.file, future, located.line_of(("reviewed",)), "reviewed")] if future else []


@cache
def printable() -> frozenset[int]:
    """The letters the shipped fonts draw: the layouts' font and the fallback for the rest. Every
    layout draws these, whatever its own font: a letter its font lacks is drawn in the fallback, which
    holds every letter of the shipped layouts' font (Atkinson Hyperlegible within Fira Sans)."""
    from handouts.inputs.assets import family_files
    from handouts.inputs.styles import Font
    from handouts.pdf.fonts import register
    from handouts.pdf.glyphs import fallback_fonts

    main = register(family_files(str(Font().family)))
    return main.covered | fallback_fonts().covered
