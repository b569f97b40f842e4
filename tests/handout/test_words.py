"""The fixed words of a handout in each language (handouts/handout/words.py and words.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from handouts.handout import words as words_module
from handouts.handout.doses import how_often
from handouts.handout.weeklog import dose_words
from handouts.handout.words import LANGUAGES, parity_problems, words
from handouts.inputs.content import cached_content
from handouts.inputs.patient import Dose


def test_every_word_has_every_language_with_the_same_slots() -> None:
    assert parity_problems() == []


def test_a_word_missing_in_one_language_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {
        "page_of": {"en": "Page {n} of ", "es": "Página de "},
        "my_week": {"en": "My week"},
        "times": {"en": {"one": "1 time", "other": "{n} times"}, "es": "veces"},
    }
    monkeypatch.setattr(words_module, "_table", lambda: table)
    problems = parity_problems()
    assert any(p.startswith("my_week: no es words") for p in problems)
    assert any(p.startswith("times: one language counts") for p in problems)
    assert any(p.startswith("page_of: the languages use different slots") for p in problems)


@pytest.mark.parametrize(
    ("dose", "english", "spanish"),
    [
        (Dose(times_per_day=1), ["once a day"], ["1 vez al día"]),
        (Dose(times_per_day=2), ["2 times a day"], ["2 veces al día"]),
        (Dose(days_per_week=1), ["1 day a week"], ["1 día a la semana"]),
        (Dose(days_per_week=3), ["3 days a week"], ["3 días a la semana"]),
        (Dose(days_per_week=7), ["every day"], ["todos los días"]),
    ],
)
def test_how_often_agrees_with_its_number(dose: Dose, english: list[str], spanish: list[str]) -> None:
    assert how_often(dose, words("en")) == english
    assert how_often(dose, words("es")) == spanish


def test_counts_for_one_and_many() -> None:
    es = words("es")
    assert [es.count("minutes", n) for n in (1, 15)] == ["1 minuto", "15 minutos"]
    assert [es.count("times", n) for n in (1, 10)] == ["1 vez", "10 veces"]
    assert [es.count("seconds", n) for n in (1, 30)] == ["1 segundo", "30 segundos"]
    assert es("each_time", amount=es.count("minutes", 15)) == "15 minutos cada vez."


def test_log_column_head_in_spanish() -> None:
    section = cached_content(None).section("aerobic")
    assert dose_words(section, Dose(times_per_day=2, minutes=15), words("es")) == "2 veces al día, 15 minutos"


def test_dates_and_weekdays_come_from_cldr() -> None:
    day = dt.date(2026, 11, 23)  # a Monday
    assert words("es").date(day) == "23 de noviembre de 2026"
    assert words("en").date(day) == "November 23, 2026"
    assert words("es").date(dt.date(2026, 1, 5)) == "5 de enero de 2026"
    spanish_week = [words("es").weekday(day + dt.timedelta(days=i)) for i in range(7)]
    assert spanish_week == ["Lun", "Mar", "Mié", "Jue", "Vie", "Sáb", "Dom"]
    assert words("en").weekday(day) == "Mon"


def test_sides_agree_with_the_noun() -> None:
    es = words("es")
    assert es("hand", side=es.side("left")) == "la mano izquierda"
    assert es("leg", side=es.side("right")) == "la pierna derecha"
    assert es.side("right", masculine=True) == "derecho"


def test_no_language_without_words() -> None:
    assert set(LANGUAGES) == {"en", "es"}
    with pytest.raises(ValueError):
        words("fr")
