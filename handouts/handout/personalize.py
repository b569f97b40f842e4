"""Make one patient's handout as plain data: ordered blocks with their final words.

Nothing here knows about reportlab, pages or fonts. This is where "hold the cane in your left hand"
and "2 times a day" are decided, so it can be tested without rendering, and every layout prints the
same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from handouts import __version__
from handouts.handout.alt import alt_text
from handouts.handout.doses import count, how_often
from handouts.handout.weeklog import DailyLog, daily_log, dose_words
from handouts.inputs.content import PICTURED, Content, Section
from handouts.inputs.figure import Figure
from handouts.inputs.patient import Dose, Plan, Selection

LANGUAGE = "en-US"


@dataclass(frozen=True)
class Picture:
    """What a section's pictogram shows, as plain data; handouts/pictures.py draws it.

    side is the hand holding a cane, or the leg(s) wearing a brace ("left", "right" or "both").
    The caption says in words what the picture shows, so nothing depends on seeing the drawing.
    """

    kind: str
    caption: str
    side: str | None = None
    wheels: bool = False
    platform: bool = False
    helper: bool = False
    figure: Figure | None = None
    """A move's stick figure (handouts/pdf/figures.py draws it); side is then the moving limb's side."""
    mode: str | None = None
    """active, assisted (the stronger hand holds the weaker wrist) or passive (a helper's hands)."""

    @property
    def alt(self) -> str:
        """What the picture shows for this patient, said in its place by a screen reader."""
        return alt_text(self)


@dataclass(frozen=True)
class Block:
    """A heading and what follows it. level 1 is a heading, level 2 a subheading.

    Printed in this order: heading, picture, facts, lead, steps, paragraphs. An exercise or device
    says what to do first (its dose, the therapist's note, its steps) and why after; a general
    section's words lead into its steps.
    """

    id: str
    title: str
    level: int
    paragraphs: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    """Label and value pairs, such as ("How often", "2 times a day"); values may be patient text."""
    steps: tuple[str, ...] = ()
    picture: Picture | None = None
    lead: tuple[str, ...] = ()
    """Words just before the steps ("The steps below are for your helper")."""
    bullets: bool = False
    """Steps that are not done in order (warning signs): a bullet each instead of a number."""
    writein: tuple[tuple[str, int], ...] = ()
    """Ruled lines to write on by hand: a label and its number of lines."""
    introduces: bool = False
    """A few words introducing the blocks after it (a category of moves): printed whole, never split."""


@dataclass(frozen=True)
class PatientText:
    """Free text from the patient file, kept with its field and line so a printing problem can point at it."""

    field: str
    line: int | None
    text: str


@dataclass(frozen=True)
class Handout:
    title: str
    name: str
    identifier: tuple[str, str]
    """The second identifier the Joint Commission asks for, as printed: the patient id, else the birth date."""
    patient_id: str | None
    birth_date: dt.date | None
    date: dt.date
    intro: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    author: str
    subject: str
    language: str
    creator: str
    file: str
    patient_texts: tuple[PatientText, ...]
    log: DailyLog | None = None
    phone: str | None = None
    """The clinic's phone, printed on every page ("Questions? Call ...") and above the log grid."""


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def personalize(plan: Plan, content: Content, today: dt.date | None = None) -> Handout:
    patient = plan.patient
    day = patient.date or today or dt.date.today()
    if patient.patient_id:
        identifier = ("ID", patient.patient_id)
    else:
        assert patient.birth_date is not None  # checked with the patient file
        identifier = ("Born", long_date(patient.birth_date))
    intro: list[tuple[str, str]] = [("This plan is for", patient.name)]
    if patient.patient_id:
        intro.append(("Patient ID", patient.patient_id))
    if patient.birth_date:
        intro.append(("Date of birth", long_date(patient.birth_date)))
    intro.append(("Date", long_date(day)))
    if patient.therapist:
        intro.append(("Your therapist", patient.therapist))
    if patient.clinic:
        intro.append(("Clinic", patient.clinic))
    if patient.phone:
        intro.append(("Questions? Call", patient.phone))

    # The plan first; the background ("How physical therapy helps") after it, or not at all.
    background = patient.background
    blocks = [plan_at_a_glance(plan, content)]
    if background:
        blocks.append(_general(content.section("about"), 1))
    if plan.exercises:
        blocks.append(Block("exercises", "Your exercises", 1))
        if background:
            blocks.append(_general(content.section("safety"), 2))
        chosen = {sel.id for sel in plan.exercises}
        for sel in plan.exercises:
            section = content.section(sel.id)
            if section.category and section.category not in chosen:
                # The category's general words, once, as the short introduction to its moves: a heading
                # of its own, so its moves sit under it and it never stands alone on a page.
                chosen.add(section.category)
                general = content.section(section.category)
                blocks.append(Block(general.id, general.title, 1, tuple(general.text), introduces=True))
            slots = _slots(plan, sel)
            block = _block(section, 2, slots, _dose_facts(section, sel.dose))
            blocks.append(replace(block, picture=_picture(plan, sel, section, slots)))
    if plan.devices:
        blocks.append(Block("equipment", "Your equipment", 1))
        for sel in plan.devices:
            section = content.section(sel.id)
            slots = _slots(plan, sel)
            facts = _note_fact(sel.dose)
            blocks.append(replace(_block(section, 2, slots, facts), picture=_picture(plan, sel, section, slots)))
    blocks.append(Block("avoid", "What to avoid", 1))
    for section in content.of_kind("avoid"):
        blocks.append(_general(section, 2))
    blocks += _when_to_get_help(plan, content)
    if patient.notes:
        paragraphs = tuple(p.strip() for p in patient.notes.split("\n") if p.strip())
        blocks.append(Block("notes", "Notes from your therapist", 1, paragraphs))
    blocks.append(_closing(content, blocks, plan))

    texts = [
        PatientText(name, plan.lines.get(name), value)
        for name in ("name", "patient_id", "therapist", "clinic", "phone", "notes")
        if (value := getattr(patient, name))
    ]
    for key, selections in (("exercises", plan.exercises), ("devices", plan.devices)):
        for sel in selections:
            if sel.dose and sel.dose.note:
                texts.append(PatientText(f"{key}.{sel.id}.note", sel.line, sel.dose.note))
    return Handout(
        title=f"Physical therapy plan for {patient.name}",
        name=patient.name,
        identifier=identifier,
        patient_id=patient.patient_id,
        birth_date=patient.birth_date,
        date=day,
        intro=tuple(intro),
        blocks=tuple(blocks),
        author=patient.therapist or patient.clinic or "Your physical therapist",
        subject="Home exercises and equipment for living with ALS",
        language=LANGUAGE,
        creator=f"handouts {__version__}",
        file=plan.file,
        patient_texts=tuple(texts),
        log=daily_log(plan, content, day),
        phone=patient.phone,
    )


def plan_at_a_glance(plan: Plan, content: Content) -> Block:
    """Page 1's summary: every chosen exercise with its dose in words and every device with its side
    or options, one line each, in the order of the plan."""
    lines: list[tuple[str, str]] = []
    for sel in plan.exercises:
        section = content.section(sel.id)
        words = dose_words(section, sel.dose)
        if sel.options.get("mode") == "passive":
            words += "; a helper moves your joints"
        lines.append((section.title, words))
    for sel in plan.devices:
        lines.append((content.section(sel.id).title, _device_words(plan, sel)))
    if not lines:
        lines.append(("Your plan", "Ask your therapist which exercises and equipment are right for you."))
    return Block("plan", "Your plan at a glance", 1, facts=tuple(lines))


def _device_words(plan: Plan, sel: Selection) -> str:
    """A device's side or options in a few words: "in your left hand", "with wheels"."""
    if sel.id in ("cane", "quad_cane") and plan.patient.stronger_side:
        return f"in your {plan.patient.stronger_side} hand"
    side = sel.options.get("side")
    if side:
        return "on both legs" if side == "both" else f"on your {side} leg"
    options = (("wheels", "wheels"), ("platform", "platforms"))
    added = [words for key, words in options if sel.options.get(key) == "true"]
    if added:
        return "with " + " and ".join(added)
    return "as your therapist showed you"


def _when_to_get_help(plan: Plan, content: Content) -> list[Block]:
    """ "Call your care team", on every handout: the warning signs, what to do after a fall, and for each
    device the patient does not use yet, the sign that it may be time to ask about it."""
    facts = (("Questions? Call", plan.patient.phone),) if plan.patient.phone else ()
    blocks = [replace(_general(content.section("warning_signs"), 1), facts=facts, bullets=True)]
    blocks.append(_general(content.section("after_a_fall"), 2))
    chosen = {sel.id for sel in plan.devices}
    ask = tuple(
        (section.short_title or section.title, f"ask when {section.ask_when}")
        for section in content.of_kind("device")
        if section.id not in chosen and section.ask_when
    )
    if ask:
        blocks.append(Block("ask_about", "When to ask about new equipment", 2, facts=ask))
    return blocks


def _closing(content: Content, blocks: list[Block], plan: Plan) -> Block:
    """The last lines: the disclaimer, every source in full (the moves' own sources too), the content's
    version and review, and ruled lines for the therapist's handwritten notes and the next appointment."""
    closing = _general(content.section("closing"), 1)
    printed = {b.id for b in blocks} | {"closing"}
    used = {key for section in content.sections if section.id in printed for key in section.sources}
    cited = [source.cited() for key, source in content.sources.items() if key in used]
    lines = list(closing.lead)
    if cited:
        lines.append(("Sources: " if len(cited) > 1 else "Source: ") + "; ".join(cited) + ".")
    moves = sorted({s.source for sel in plan.exercises if (s := content.section(sel.id)).source})
    if moves:
        lines.append(f"The moves come from: {'; '.join(moves)}.")
    record = []
    if content.version:
        record.append(f"Content version {content.version}")
    if content.reviewed:
        by = f" by {content.reviewer}" if content.reviewer else ""
        record.append(f"last reviewed {long_date(content.reviewed)}{by}")
    if record:  # on the sources' paragraph: the content's whole record in one place
        words = ", ".join(record) + "."
        lines[-1:] = [f"{lines[-1]} {words}"] if cited or moves else [*lines[-1:], words]
    return replace(closing, lead=tuple(lines), writein=(("Notes", 3), ("Next appointment", 1)))


def _picture(plan: Plan, sel: Selection, section: Section, slots: dict[str, str]) -> Picture | None:
    """The pictogram for a chosen exercise or device, made personal the way its words are.

    Its caption is the clinic's own words from content.yaml, with the same slots as the section.
    """
    opts = sel.options
    kind = sel.id
    figure = section.figure_for(opts)
    if figure is not None and section.caption:
        # The moving limb is the weaker one when the plan says which; else the right, as the text reads.
        side = slots.get("weaker_side", "right")
        return Picture(kind, _caption(section, slots), side=side, figure=figure, mode=opts.get("mode", "active"))
    if kind not in PICTURED or not section.caption:
        return None
    caption = _caption(section, slots)
    if kind in ("cane", "quad_cane"):
        return Picture(kind, caption, side=plan.patient.stronger_side)
    if kind == "walker":
        return Picture(kind, caption, wheels=opts.get("wheels") == "true", platform=opts.get("platform") == "true")
    if kind == "ankle_foot_brace":
        return Picture(kind, caption, side=opts.get("side", "both"))
    if kind == "range_of_motion":
        return Picture(kind, caption, helper=opts.get("mode") == "passive")
    return Picture(kind, caption)


def _caption(section: Section, slots: dict[str, str]) -> str:
    """The section's caption, or the captions of its chosen variants one after the other."""
    chosen = [
        variant.caption
        for option, by_value in section.variants.items()
        if (variant := by_value.get(slots.get(option, ""))) is not None and variant.caption
    ]
    return " ".join(chosen or [str(section.caption)]).format_map(slots)


def _slots(plan: Plan, sel: Selection) -> dict[str, str]:
    slots = dict(sel.options)
    strong = plan.patient.stronger_side
    if strong:
        weak = "right" if strong == "left" else "left"
        slots |= {"stronger_side": strong, "weaker_side": weak, "stronger_hand": f"{strong} hand"}
    side = sel.options.get("side")
    if side:
        slots["side_leg"] = "left and right legs" if side == "both" else f"{side} leg"
    return slots


def _block(section: Section, level: int, slots: dict[str, str], facts: tuple[tuple[str, str], ...] = ()) -> Block:
    """An exercise or device: its chosen variants' words lead into the steps; why it helps comes after
    (a move's reason first), then its cautions as facts."""
    lead: list[str] = []
    paragraphs = [*([section.reason] if section.reason else []), *section.text]
    facts = (*facts, *(("Take care", c) for c in section.cautions))
    steps = list(section.steps)
    for option, by_value in section.variants.items():
        variant = by_value.get(slots.get(option, ""))
        if variant is not None:
            lead += variant.text
            steps = list(variant.steps) or steps
    return Block(
        id=section.id,
        title=section.title.format_map(slots),
        level=level,
        paragraphs=tuple(p.format_map(slots) for p in paragraphs),
        facts=facts,
        steps=tuple(s.format_map(slots) for s in steps),
        lead=tuple(p.format_map(slots) for p in lead),
    )


def _general(section: Section, level: int) -> Block:
    """A section every handout prints the same way: its words, then its steps."""
    return Block(section.id, section.title, level, lead=tuple(section.text), steps=tuple(section.steps))


def _note_fact(dose: Dose | None) -> tuple[tuple[str, str], ...]:
    return (("Your therapist says", dose.note),) if dose and dose.note else ()


def _dose_facts(section: Section, dose: Dose | None) -> tuple[tuple[str, str], ...]:
    """The therapist's dose in words; the content's own wording where the therapist gave none."""
    dose = dose or Dose()
    if section.dose is not None:  # the move's usual dose, where the therapist set none of it
        given = {k: v for k, v in dose.model_dump().items() if v is not None}
        dose = Dose.model_validate(section.dose.model_dump(exclude_none=True) | given)
    often = how_often(dose)
    facts = [("How often", ", ".join(often).capitalize() + "." if often else str(section.how_often))]
    if dose.minutes:
        facts.append(("How long", f"{count(dose.minutes, 'minute', 'minutes')} each time."))
    if dose.repetitions:
        what = "Do it" if section.is_move else "Do each move"
        facts.append(("How many", f"{what} {count(dose.repetitions, 'time', 'times')}."))
    if dose.hold_seconds:
        facts.append(("Hold", f"{count(dose.hold_seconds, 'second', 'seconds')} each time."))
    return (*facts, *_note_fact(dose))
