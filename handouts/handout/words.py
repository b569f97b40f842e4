"""The fixed words of a handout in each language, read from words.yaml once per process.

Everything a handout prints that is not the clinic's guidance (content.yaml and its translations)
comes from here: labels, headings the code adds, dose words, dates and the words in pictures. One
data file keeps the languages side by side, so a missing word is caught by `check`, not on a page.
"""

from __future__ import annotations

import datetime as dt
import string
from functools import cache
from pathlib import Path
from typing import cast

import yaml
from babel.dates import format_date, get_day_names

LANGUAGES = ("en", "es")
"""The languages a handout can be printed in; English is the default."""

LANGUAGE_NAMES = {"en": "English", "es": "Spanish (Español)"}
"""How the staff-facing form and messages name each language."""

WORDS_FILE = Path(__file__).with_name("words.yaml")

Entry = dict[str, str | dict[str, str]]


@cache
def _table() -> dict[str, Entry]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return cast(dict[str, Entry], data)


def _slots(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def parity_problems() -> list[str]:
    """Every entry of words.yaml that lacks a language, or whose languages differ in form or slots."""
    problems = []
    for key, entry in _table().items():
        missing = [lang for lang in LANGUAGES if lang not in entry]
        if missing:
            problems.append(f"{key}: no {', '.join(missing)} words")
            continue
        forms = {lang: entry[lang] for lang in LANGUAGES}
        if len({type(v).__name__ for v in forms.values()}) > 1:
            problems.append(f"{key}: one language counts ({{one, other}}) and another does not")
            continue
        # A count's "one" form says its number in words ("1 vez"), so {n} is not compared there.
        texts = {
            lang: " ".join(v.values()).replace("{n}", "") if isinstance(v, dict) else str(v)
            for lang, v in forms.items()
        }
        # A masculine or feminine form ({side_m}, {side_f}) fills the same slot as its plain one.
        shapes = {
            lang: frozenset(s.removesuffix("_m").removesuffix("_f") for s in _slots(t)) for lang, t in texts.items()
        }
        if len(set(shapes.values())) > 1:
            problems.append(f"{key}: the languages use different slots { ({k: sorted(v) for k, v in shapes.items()}) }")
    return problems


class Words:
    """The words of one language: `w("page_of", n=2)`, `w.count("minutes", 15)`, `w.date(day)`."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no words for language {language!r}")
        self.language = language

    def __call__(self, key: str, **slots: object) -> str:
        value = _table()[key][self.language]
        if isinstance(value, dict):
            raise TypeError(f"{key} is a count: use count()")
        return str(value).format(**slots) if slots else str(value)

    def count(self, key: str, n: int) -> str:
        """'1 vez', '3 veces': the form for one or for many, with the number written as a numeral."""
        forms = _table()[key][self.language]
        if not isinstance(forms, dict):
            raise TypeError(f"{key} is not a count")
        return (forms["one"] if n == 1 else forms["other"]).format(n=n)

    def date(self, day: dt.date, pattern: str = "date_long") -> str:
        """A date in words from CLDR: "November 23, 2026", "23 de noviembre de 2026"."""
        return format_date(day, self(pattern), locale=self.language)

    def weekday(self, day: dt.date) -> str:
        """The short weekday name, first letter capital: "Mon", "Lun"."""
        name = _day_names(self.language)[day.weekday()]
        return name[:1].upper() + name[1:]

    def side(self, side: str, masculine: bool = False) -> str:
        """left or right in this language, agreeing with the noun it goes with."""
        return self(f"{side}_m" if masculine else side)


@cache
def _day_names(language: str) -> tuple[str, ...]:
    names = get_day_names("abbreviated", locale=language)
    return tuple(str(names[i]).rstrip(".") for i in range(7))


@cache
def words(language: str = "en") -> Words:
    """The words of a language, made once per process."""
    return Words(language)
