"""The exercises and devices a patient file chooses, checked against the clinic's content.

An unknown item is refused with the nearest match, strengthening (never prescribed) with why, an
option with its allowed values, a dose with its range: each with its line, all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from handouts.errors import Problem
from handouts.inputs.content import Content, Section
from handouts.inputs.dosefields import wrong_dose_fields
from handouts.inputs.patient import DEVICE_FIELDS, DOSE_FIELDS, Dose, option_text, section_id
from handouts.inputs.validation import Loc, problems_from, suggest
from handouts.inputs.yamlsource import Located, dotted


@dataclass(frozen=True)
class Selection:
    """One chosen exercise or device with its options resolved (defaults filled in)."""

    id: str
    options: dict[str, str]
    dose: Dose | None = None
    line: int | None = None


_OTHER = {"exercise": "device", "device": "exercise"}


def selections(
    key: str,
    kind: str,
    items: Any,
    located: Located,
    content: Content,
    problems: list[Problem],
) -> list[Selection]:
    """The items listed under `key` (each a `kind`), resolved against the content; what is wrong with an
    item goes into `problems` and the item is left out, so the rest are still checked."""
    if not isinstance(items, list):
        return []  # shape errors were reported by the model
    out: list[Selection] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        here = located.line_of((key, i))
        where = f"{key}[{i}]"
        parts = _item_parts(item, kind)
        if isinstance(parts, str):
            problems.append(Problem(located.file, parts, here, where))
            continue
        written, raw = parts
        item_id = section_id(written)
        section = content.by_id.get(item_id)
        wrong = _wrong_item(section, written, kind, content)
        if section is None or wrong:
            problems.append(Problem(located.file, wrong, here, where))
            continue
        if item_id in seen:
            problems.append(Problem(located.file, f"{item_id} is listed twice; keep one", here, where))
            continue
        seen.add(item_id)
        sel = _options(section, raw, kind, located, (key, i, item_id), problems)
        problems += wrong_dose_fields(section, raw, kind, content, located, (key, i, item_id))
        if sel is not None:
            out.append(Selection(item_id, sel[0], sel[1], here))
    return out


def _item_parts(item: Any, kind: str) -> tuple[str, dict[str, Any]] | str:
    """An item's name as written and its options, or what is wrong with its shape."""
    if isinstance(item, str):
        return " ".join(item.split()), {}
    if isinstance(item, dict) and len(item) == 1:
        item_id, raw = next(iter(item.items()))
        if not isinstance(raw or {}, dict):
            return f"options of {item_id} must be 'key: value' pairs"
        return " ".join(str(item_id).split()), raw or {}
    return f"each {kind} is a name, or a name with options like 'aerobic: {{minutes: 15}}'"


def _wrong_item(section: Section | None, written: str, kind: str, content: Content) -> str:
    """Why this item can't be chosen under `kind`, or "" when it can."""
    item_id = section_id(written)
    if section is not None and section.kind == "avoid":
        return (
            f"{item_id} is not recommended for people with ALS: lifting weights does not build up "
            "muscles weakened by ALS and can weaken them more. The handout always explains this "
            "under 'What to avoid'; remove it from the plan"
        )
    if section is not None and section.kind == kind:
        return ""
    if section is not None and section.kind == _OTHER.get(kind):
        return f"'{item_id}' is a {section.kind}; list it under {section.kind}s"
    if section is not None:
        return f"'{item_id}' can't be chosen; it is always part of the handout"
    mine = [s.id for s in content.of_kind(kind)]  # type: ignore[arg-type]
    message = f"'{written}' is not {'an' if kind == 'exercise' else 'a'} {kind}" + (
        suggest(item_id, mine) or f"; choose from: {', '.join(mine)}"
    )
    if " - " in written:
        message += " (two items run together: start each on its own line with '- ', lined up)"
    return message


def _options(
    section: Section,
    raw: dict[str, Any],
    kind: str,
    located: Located,
    loc: tuple[str | int, ...],
    problems: list[Problem],
) -> tuple[dict[str, str], Dose | None] | None:
    before = len(problems)
    dose_fields = DOSE_FIELDS if kind == "exercise" else DEVICE_FIELDS
    dose_raw: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    given: dict[str, str] = {}  # option name -> as written, to point at it
    for written, value in raw.items():
        here, where = located.line_of((*loc, written)), dotted((*loc, written))
        name = section_id(written)
        if name in given:
            problems.append(Problem(located.file, f"'{written}' is given twice (as '{given[name]}')", here, where))
            continue
        given[name] = str(written)
        if name in dose_fields:
            dose_raw[name] = value
            continue
        text, wrong = _option_value(section, name, written, value, dose_fields)
        if wrong:
            problems.append(Problem(located.file, wrong, here, where))
        else:
            chosen[name] = text
    for name, option in section.options.items():
        if name in chosen or name in given:
            continue
        if option.default is None:
            needs = f"{section.id} needs '{name}': {' or '.join(option.choices)} ({option.help})"
            problems.append(Problem(located.file, needs, located.line_of(loc), dotted(loc)))
        else:
            chosen[name] = option.default
    dose = _dose(dose_raw, given, located, loc, problems) if kind == "exercise" or dose_raw else None
    return None if len(problems) > before else (chosen, dose)


def _option_value(
    section: Section, name: str, written: str, value: Any, dose_fields: tuple[str, ...]
) -> tuple[str, str]:
    """(the option's value, "") or ("", what is wrong with it)."""
    option = section.options.get(name)
    move = name == "mode" and section.is_move
    if option is None and move:
        return "", (
            f"{section.id} is done on your own only; it has no mode (remove 'mode', "
            "or choose a move that a helper can do)"
        )
    if option is None:
        allowed = [*section.options, *dose_fields]
        listing = ", ".join(allowed) if allowed else "none"
        return "", f"'{written}' is not an option of {section.id}{suggest(name, allowed)} (options: {listing})"
    text = option_text(value, option.choices)
    if text in option.choices:
        return text, ""
    if move and text in ("active", "assisted", "passive"):
        return "", f"{section.id} can't be done {text}; its modes are {' or '.join(option.choices)}"
    if move:
        choices = " or ".join(option.choices)
        return "", f"{value!r} is not a mode of {section.id}{suggest(text, option.choices)} (modes: {choices})"
    return "", f"{value!r} is not allowed; use {' or '.join(option.choices)}"


def _dose(
    dose_raw: dict[str, Any], given: dict[str, str], located: Located, loc: Loc, problems: list[Problem]
) -> Dose | None:
    try:
        return Dose.model_validate(dose_raw)
    except ValidationError as exc:
        # Pointed at the option as it was written ('Times per day'), inside the item.
        def place(at: Loc) -> tuple[str, int | None, Loc]:
            full = (*loc, *(given.get(str(part), part) for part in at))
            return located.file, located.line_of(full), full

        problems += problems_from(exc, Dose, place)
        return None
