"""A pair of plans for one patient that differ in every way a plan can change (issue 25), and what the
new handout must say about each: shared by the plain-data and the printed-PDF tests."""

from __future__ import annotations

OLD = """\
name: Maria Lopez
patient_id: "004211"
birth_date: 1961-04-02
date: 2026-11-23
stronger_side: left
exercises:
  - ankle_pump: {mode: passive, times_per_day: 2}
  - calf_stretch: {days_per_week: 7}
  - chair_marching: {note: Sit in a chair with arms}
  - walking: {minutes: 15}
devices:
  - quad_cane
  - ankle_foot_brace: {side: right}
"""

NEW_PLAN = """\
name: Maria Lopez
patient_id: "004211"
birth_date: 1961-04-02
date: 2027-02-10
stronger_side: left
exercises:
  - ankle_pump: {mode: active, times_per_day: 1, repetitions: 5}
  - calf_stretch: {days_per_week: 5, hold_seconds: 20}
  - chair_marching: {minutes: 10, note: Sit in a chair with arms}
  - shoulder_raise: {mode: assisted}
devices:
  - walker: {wheels: true}
  - ankle_foot_brace: {side: both, note: Wear them all day}
  - neck_brace
"""

SAID = {
    "en": {
        "ankle_pump": (
            "Now you do it on your own. Before: a helper did it for you.",
            "Now once a day. Before: 2 times a day.",
            "Now do it 5 times. Before: 10 times.",
        ),
        "calf_stretch": ("Now 5 days a week. Before: every day.", "Now hold it 20 seconds. Before: 30 seconds."),
        "chair_marching": ("Now 10 minutes each time. Before: 5 minutes each time.",),
        "shoulder_raise": ("New in your plan.",),
        "walker": ("New in your plan, instead of your four-foot cane.",),
        "ankle_foot_brace": (
            "Now on both legs. Before: on your right leg.",
            "Your therapist added a note.",
        ),
        "neck_brace": ("New in your plan.",),
    },
    "es": {
        "ankle_pump": (
            "Ahora usted lo hace por su cuenta. Antes: otra persona lo hacía por usted.",
            "Ahora 1 vez al día. Antes: 2 veces al día.",
            "Ahora hágalo 5 veces. Antes: 10 veces.",
        ),
        "calf_stretch": (
            "Ahora 5 días a la semana. Antes: todos los días.",
            "Ahora sosténgalo 20 segundos. Antes: 30 segundos.",
        ),
        "chair_marching": ("Ahora 10 minutos cada vez. Antes: 5 minutos cada vez.",),
        "shoulder_raise": ("Es nuevo en su plan.",),
        "walker": ("Es nuevo en su plan, en lugar de: bastón 4 patas.",),
        "ankle_foot_brace": ("Ahora en las dos piernas. Antes: en la pierna derecha.", "Su terapeuta agregó una nota."),
        "neck_brace": ("Es nuevo en su plan.",),
    },
}
