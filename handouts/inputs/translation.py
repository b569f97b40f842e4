"""The guidance in another language: content.es.yaml beside content.yaml, checked against it.

A translation holds only words. Everything else a section has (its kind, its options and their
choices, a move's category, joint, usual dose and figure) is the English file's, found by the
section's `id`, so a picture is drawn from one figure whatever the language and a clinician edits it
in one place. `check` reports any section, option value (variant) or slot one language has and the
other lacks, and any words (a caption, steps, how often) one side has and the other does not, each
with its file and line.

Spanish agrees in gender where English does not: a translation's side slots carry their article
("{stronger_hand}" prints "la mano izquierda", "{side_leg}" "la pierna derecha"), "{weaker_side}" is
feminine (izquierda) and "{weaker_side_m}" masculine (izquierdo), the same slot for the check.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from handouts.errors import HandoutError, Problem
from handouts.handout.words import LANGUAGE_NAMES, LANGUAGES
from handouts.inputs.content import (
    DEFAULT_CONTENT,
    SIDE_SLOTS,
    Caution,
    Content,
    Section,
    Variant,
    allowed_slots,
    cached_content,
)
from handouts.inputs.media import TranslatedImage
from handouts.inputs.validation import Strict, validate
from handouts.inputs.wording import FEMININE_MASCULINE, future_date, piece_problems, pieces, printable, slot_names
from handouts.inputs.yamlsource import Located, load_yaml

ReviewStatus = Literal["draft", "reviewed"]

WORD_FIELDS = ("title", "text", "steps", "how_often", "caption", "reason", "cautions", "short_title", "ask_when")
"""The words of a section a translation gives; every other field is the English file's."""


class TranslatedVariant(Strict):
    text: list[str] = []
    steps: list[str] = []
    caption: str | None = Field(None, min_length=1)
    cautions: list[str] = []
    """The words of the English version's cautions, in their order (their sources are the English's)."""


class TranslatedSection(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    text: list[str] = []
    steps: list[str] = []
    how_often: str | None = Field(None, min_length=1)
    caption: str | None = Field(None, min_length=1)
    reason: str | None = Field(None, min_length=1)
    cautions: list[str] = []
    short_title: str | None = Field(None, min_length=1, max_length=16)
    ask_when: str | None = Field(None, min_length=1)
    variants: dict[str, dict[str, TranslatedVariant]] = {}
    with_walking_aid: TranslatedVariant | None = None
    image: TranslatedImage | None = None
    """The words of the English section's picture (its alt); the file is the English content's."""


class Translation(Strict):
    language: str
    status: ReviewStatus
    """draft until a qualified clinician has reviewed it; a handout printed from a draft says so on every page."""
    reviewer: str | None = Field(None, min_length=1)
    reviewed: dt.date | None = None
    translated_from: str | None = Field(None, min_length=1)
    """The English content's version this translation follows."""
    sections: list[TranslatedSection]

    @model_validator(mode="after")
    def _review_recorded(self) -> Translation:
        if self.language not in LANGUAGES or self.language == "en":
            raise ValueError(f"language must be one of {', '.join(lang for lang in LANGUAGES if lang != 'en')}")
        if self.status == "reviewed" and not (self.reviewer and self.reviewed):
            raise ValueError("a reviewed translation names its reviewer and the date: reviewer: and reviewed:")
        return self


def translation_path(content: Path, language: str) -> Path:
    """content.yaml's translation sits beside it: content.es.yaml (a clinic's copy too)."""
    return content.with_name(f"{content.stem}.{language}{content.suffix}")


def _slots(texts: list[str]) -> set[str]:
    """The slots the texts use, a masculine form as its slot; a lone brace is reported by wording_problems."""
    return {FEMININE_MASCULINE.get(name, name) for text in texts for name in slot_names(text) or [] if name}


def wording_problems(english: Section, other: TranslatedSection, tr: Located, j: int) -> list[Problem]:
    """Each translated sentence that would print wrongly or stop the printing, at its own line: checked
    like the English, and a side slot only where the English prints one too, since a patient file
    gives its stronger side only when the English words of its choices ask for it."""
    allowed = allowed_slots(english)
    allowed |= {masculine for masculine, slot in FEMININE_MASCULINE.items() if slot in allowed}
    sides = set(SIDE_SLOTS) | set(FEMININE_MASCULINE)
    found = []
    for piece in pieces(other):
        where = f"sections[{j}] ({other.id}).{piece.field}"
        messages = piece_problems(piece, allowed, printable())
        used = {name for name in slot_names(piece.text) or [] if name in sides} if piece.fills else set()
        if used and not english.needs_side(dict([piece.variant]) if piece.variant else {}):
            shown = ", ".join(f"{{{name}}}" for name in sorted(used))
            place = f"{piece.variant[0]}: {piece.variant[1]}" if piece.variant else "whatever the options"
            messages.append(
                f"{shown} is printed here ({place}), where the English words have no side slot, so a patient "
                "file need not give stronger_side; use side slots only where content.yaml does"
            )
        found += [Problem(tr.file, message, tr.line_of(("sections", j, *piece.loc)), where) for message in messages]
    return found


def _said(cautions: list[Caution] | list[str]) -> list[str]:
    """A caution's words: the English keeps them with their sources, a translation as plain words."""
    return [c if isinstance(c, str) else c.text for c in cautions]


def _words(section: Section | TranslatedSection) -> dict[str, object]:
    found = {name: getattr(section, name, None) for name in WORD_FIELDS}
    found["cautions"] = _said(section.cautions)
    return found


def _versions(section: Section | TranslatedSection) -> list[Variant | TranslatedVariant]:
    found: list[Variant | TranslatedVariant] = [v for by_value in section.variants.values() for v in by_value.values()]
    return found + ([section.with_walking_aid] if section.with_walking_aid else [])


def _all_text(section: Section | TranslatedSection) -> list[str]:
    out: list[str] = []
    for value in _words(section).values():
        out += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    for variant in _versions(section):
        out += [*variant.text, *variant.steps, *([variant.caption] if variant.caption else [])]
        out += _said(variant.cautions)
    return out


def parity_problems(english: Content, en: Located, translation: Translation, tr: Located) -> list[Problem]:
    """What one language has and the other lacks: sections, variants (option values), slots and words."""
    name = LANGUAGE_NAMES[translation.language]
    problems: list[Problem] = []
    theirs = {s.id: (i, s) for i, s in enumerate(translation.sections)}
    ours = {s.id: (i, s) for i, s in enumerate(english.sections)}
    for i, section in enumerate(english.sections):
        if section.id not in theirs:
            line = en.line_of(("sections", i))
            message = f"{tr.file} has no {name} for this section; add it there (id: {section.id})"
            problems.append(Problem(en.file, message, line, f"sections[{i}] ({section.id})"))
    for j, other in enumerate(translation.sections):
        where = f"sections[{j}] ({other.id})"
        if other.id not in ours:
            message = f"{en.file} has no section '{other.id}'; translate only the sections it has"
            problems.append(Problem(tr.file, message, tr.line_of(("sections", j, "id")), where))
            continue
        section = ours[other.id][1]
        line = tr.line_of(("sections", j))
        for field_name, value in _words(section).items():
            if field_name in Section.model_fields and bool(value) != bool(getattr(other, field_name)):
                has, lacks = (en.file, tr.file) if value else (tr.file, en.file)
                problems.append(Problem(tr.file, f"{field_name}: {has} has it and {lacks} does not", line, where))
        if bool(section.image) != bool(other.image):  # a picture's alt is words, refused missing like any other
            said = "has a picture: give its words here, image: {alt: ...}" if section.image else "has no picture"
            said += "" if section.image else " for this section; take image: out"
            problems.append(Problem(tr.file, f"{en.file} {said}", line, f"{where}.image"))
        problems += _variant_problems(section, other, en, tr, j)
        problems += _caution_problems(section, other, en, tr, j)
        missing, extra = (
            _slots(section.all_text()) - _slots(_all_text(other)),
            _slots(_all_text(other)) - _slots(section.all_text()),
        )
        for slot in sorted(missing):
            problems.append(Problem(tr.file, f"the slot {{{slot}}} of {en.file} is not used here", line, where))
        for slot in sorted(extra):
            problems.append(Problem(tr.file, f"the slot {{{slot}}} is not in {en.file}'s section", line, where))
    return problems


def _variant_problems(section: Section, other: TranslatedSection, en: Located, tr: Located, j: int) -> list[Problem]:
    problems = []
    where = f"sections[{j}] ({other.id}).variants"
    for option, by_value in section.variants.items():
        for value, variant in by_value.items():
            mine = other.variants.get(option, {}).get(value)
            if mine is None:
                message = f"{option}: {value} is in {en.file} and has no words here; add it"
                problems.append(Problem(tr.file, message, tr.line_of(("sections", j)), where))
                continue
            for field_name in ("text", "steps", "caption"):
                if bool(getattr(variant, field_name)) != bool(getattr(mine, field_name)):
                    has, lacks = (en.file, tr.file) if getattr(variant, field_name) else (tr.file, en.file)
                    line = tr.line_of(("sections", j, "variants", option, value))
                    message = f"{option}: {value}: {field_name}: {has} has it and {lacks} does not"
                    problems.append(Problem(tr.file, message, line, where))
    for option, translated_values in other.variants.items():
        for value in translated_values:
            if value not in section.variants.get(option, {}):
                line = tr.line_of(("sections", j, "variants", option, value))
                message = f"{option}: {value} is not an option value with words in {en.file}"
                problems.append(Problem(tr.file, message, line, where))
    return problems


def _caution_problems(section: Section, other: TranslatedSection, en: Located, tr: Located, j: int) -> list[Problem]:
    """Cautions are translated one for one, in the English order (each keeps the English's sources),
    and a walking-aid version where the English has one."""
    problems = []
    where = f"sections[{j}] ({other.id})"
    pairs: list[tuple[str, list[Caution], list[str]]] = [("cautions", section.cautions, other.cautions)]
    for option, by_value in section.variants.items():
        for value, variant in by_value.items():
            mine = other.variants.get(option, {}).get(value)
            pairs.append((f"variants: {option}: {value}: cautions", variant.cautions, mine.cautions if mine else []))
    aid, their_aid = section.with_walking_aid, other.with_walking_aid
    if bool(aid) != bool(their_aid):
        has, lacks = (en.file, tr.file) if aid else (tr.file, en.file)
        message = f"with_walking_aid: {has} has it and {lacks} does not"
        problems.append(Problem(tr.file, message, tr.line_of(("sections", j)), where))
    elif aid and their_aid:
        for field_name in ("text", "steps", "caption"):
            if bool(getattr(aid, field_name)) != bool(getattr(their_aid, field_name)):
                has, lacks = (en.file, tr.file) if getattr(aid, field_name) else (tr.file, en.file)
                message = f"with_walking_aid: {field_name}: {has} has it and {lacks} does not"
                problems.append(Problem(tr.file, message, tr.line_of(("sections", j, "with_walking_aid")), where))
        pairs.append(("with_walking_aid: cautions", aid.cautions, their_aid.cautions))
    for name, ours, theirs in pairs:
        if len(ours) != len(theirs):
            message = f"{name}: {en.file} has {len(ours)} and this file {len(theirs)}; translate each, in order"
            problems.append(Problem(tr.file, message, tr.line_of(("sections", j)), where))
    return problems


def _translated_cautions(cautions: list[Caution], words: list[str]) -> list[Caution]:
    return [c.model_copy(update={"text": text}) for c, text in zip(cautions, words, strict=True)]


def _merged(section: Section, words: TranslatedSection) -> Section:
    """The English section's data with the translation's words; a variant keeps its figure."""
    update = {k: v for k, v in _words(words).items() if k in Section.model_fields}
    update["cautions"] = _translated_cautions(section.cautions, words.cautions)
    variants: dict[str, dict[str, Variant]] = {}
    for option, by_value in section.variants.items():
        variants[option] = {}
        for value, variant in by_value.items():
            variants[option][value] = _merged_variant(variant, words.variants[option][value])
    if section.image is not None and words.image is not None:  # the English file, the translation's alt
        update["image"] = section.image.model_copy(update={"alt": words.image.alt})
    aid = section.with_walking_aid
    if aid is not None and words.with_walking_aid is not None:
        update["with_walking_aid"] = _merged_variant(aid, words.with_walking_aid)
    return section.model_copy(update={**update, "variants": variants})


def _merged_variant(variant: Variant, mine: TranslatedVariant) -> Variant:
    """The English version's data (its figure, its cautions' sources) with the translation's words."""
    cautions = _translated_cautions(variant.cautions, mine.cautions)
    words = {"text": mine.text, "steps": mine.steps, "caption": mine.caption, "cautions": cautions}
    return variant.model_copy(update=words)


def load_translation(content_path: Path, language: str) -> Content:
    """The content in `language`: the English file's sections with the translation's words.

    Every problem comes back at once, each with its file and line; nothing half-translated prints.
    """
    path = translation_path(content_path, language)
    english = cached_content(content_path)
    if not path.is_file():
        message = (
            f"there is no {LANGUAGE_NAMES[language]} content beside {content_path}; copy the shipped {path.name} there"
        )
        raise HandoutError(Problem(str(path), message))
    tr = load_yaml(path, "content")
    translation = validate(Translation, tr, f"{LANGUAGE_NAMES[language]} content file")
    problems = []
    if translation.language != language:
        message = f"says language {translation.language}, but its name is for {language}"
        problems.append(Problem(tr.file, message, tr.line_of(("language",)), "language"))
    en = load_yaml(content_path, "content")
    problems += parity_problems(english, en, translation, tr)
    problems += _words_problems(english, translation, tr)
    seen: set[str] = set()
    for j, other in enumerate(translation.sections):
        if other.id in seen:
            problems.append(Problem(tr.file, f"the id '{other.id}' is used twice", tr.line_of(("sections", j)), "id"))
        seen.add(other.id)
        if any(c in text for text in _all_text(other) for c in "<>&"):
            problems.append(
                Problem(tr.file, "contains <, > or &; write plain words", tr.line_of(("sections", j)), other.id)
            )
    if problems:
        raise HandoutError(problems)
    by_id = {s.id: s for s in translation.sections}
    sections = [_merged(s, by_id[s.id]) for s in english.sections]
    return english.model_copy(
        update={
            "sections": sections,
            "language": language,
            "status": translation.status,
            "reviewer": translation.reviewer,
            "reviewed": translation.reviewed,
        }
    )


def _words_problems(english: Content, translation: Translation, tr: Located) -> list[Problem]:
    """The translation's own record and each sentence of the sections the English has."""
    future = future_date(translation.reviewed)
    problems = [Problem(tr.file, future, tr.line_of(("reviewed",)), "reviewed")] if future else []
    ours = english.by_id
    for j, other in enumerate(translation.sections):
        if other.id in ours:
            problems += wording_problems(ours[other.id], other, tr, j)
    return problems


@cache
def _translated(content_path: Path, language: str) -> Content:
    return load_translation(content_path, language)


def translated(content: Content, language: str) -> Content:
    """The content in a language, loaded once per process per language, whatever the number of handouts."""
    if language == content.language:
        return content
    path = content._path or DEFAULT_CONTENT
    return _translated(path, language)
