"""The rest of the clinical review of issue 22, read back from printed handouts in both languages: the
walker's seat and platforms, the ankle brace, the equipment to ask about, the log's words and column,
and the Spanish that said something other than the English."""

from __future__ import annotations

import pytest
from pdfcheck import all_text

from handouts.build import Printed, print_record
from handouts.inputs.content import cached_content
from handouts.inputs.yamlsource import parse_yaml

BASE = "name: Test Person\npatient_id: T-1\ndate: 2026-11-23\nstronger_side: left\n"


def _text(plan: str, language: str = "en", layout: str | None = None) -> str:
    printed: Printed = print_record(
        parse_yaml(BASE + plan + f"language: {language}\n", "t.yaml"), cached_content(), layout
    )
    return " ".join(all_text(printed.pdf).split())


@pytest.mark.parametrize(
    ("language", "brakes", "platforms", "sock", "short", "skin"),
    [
        ("en", "If it has a seat, lock the brakes before you sit.", "arm rests you lean your forearms on",
         "with a sock under it", "Wear it for short times at first", "Each time it comes off, check your skin"),
        ("es", "Si tiene asiento, ponga los frenos antes de sentarse.", "Sus apoyos sostienen los antebrazos",
         "con un calcetín debajo", "Úsela poco rato al principio.", "Al quitársela, revise si la piel está roja."),
    ],
)  # fmt: skip
def test_walker_and_brace_say_how_to_use_them_safely(language, brakes, platforms, sock, short, skin) -> None:
    text = _text("devices:\n  - walker: {wheels: true, platform: true}\n  - ankle_foot_brace: {side: left}\n", language)
    for said in (brakes, platforms, sock, short, skin):
        assert said in text, said


@pytest.mark.parametrize("language", ["en", "es"])
def test_equipment_to_ask_about_leaves_out_less_than_what_is_prescribed(language: str) -> None:
    cane, quad, walker = {
        "en": ("Cane:", "Four-foot cane:", "Walker:"),
        "es": ("Bastón:", "Bastón 4 patas:", "Andadera:"),
    }[language]
    quad_user = _text("devices:\n  - quad_cane\n", language)
    ask = quad_user[quad_user.index({"en": "When to ask about new equipment", "es": "Cuándo preguntar"}[language]) :]
    assert cane not in ask and walker in ask  # no plain cane for a quad cane user; a walker still
    walker_user = _text("devices:\n  - walker\n", language)
    ask = walker_user[
        walker_user.index({"en": "When to ask about new equipment", "es": "Cuándo preguntar"}[language]) :
    ]
    assert cane not in ask and quad not in ask
    nothing = _text("exercises:\n  - stretching\n", language)
    ask = nothing[nothing.index({"en": "When to ask about new equipment", "es": "Cuándo preguntar"}[language]) :]
    assert cane in ask and quad in ask and walker in ask


def test_us_english_says_check_marks_and_the_warning_signs_name_coughing() -> None:
    text = _text("exercises:\n  - range_of_motion: {times_per_day: 2}\n")
    assert "Check a box each time you do it." in text and "14 check marks" in text
    assert "tick" not in text.lower()
    assert "Choking, coughing or trouble swallowing when you eat or drink" in text


def test_stay_safe_and_after_a_fall_say_what_the_review_asked() -> None:
    text = _text("exercises:\n  - stretching\n")
    for said in (
        "Very tired or weaker hours later, or the next day? Do less, and tell your therapist.",
        "A cramp? Stop, rest, stretch it gently.",
        "Wait about an hour after a meal.",
        "No one should pull you up by the arms.",
        "If you are hurt or can't get up safely, call for help.",
    ):
        assert said in text, said


def test_the_spanish_says_what_the_english_says() -> None:
    text = _text("exercises:\n  - stationary_cycling\n  - elbow_bend: {mode: assisted}\n", "es")
    assert "si le falla el equilibrio" in text and "si pierde el equilibrio" not in text  # "if your balance is poor"
    assert "Suba escaleras despacio y agárrese del pasamanos." in text  # the rail is held
    assert "Con la mano izquierda dobla el codo derecho" in text  # the assisted caption keeps its sides
    assert "¿Muy cansado o más débil horas después" in text and "Espere una hora después de comer." in text


@pytest.mark.parametrize("layout", ["large-print", "extra-large"])
def test_the_spanish_log_keeps_its_column_where_the_english_does(layout: str) -> None:
    plan = "exercises:\n  - aerobic: {minutes: 10, times_per_day: 2}\n"
    english, spanish = _text(plan, "en", layout), _text(plan, "es", layout)
    assert ("How did it go?" in english) == ("¿Cómo le fue?" in spanish)
    assert "How did it go?" in english
