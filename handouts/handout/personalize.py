"""Make one patient's handout as plain data: ordered blocks with their final words.

Nothing here knows about reportlab, pages or fonts. This is where "hold the cane in your left hand"
and "2 times a day" are decided, so it can be tested without rendering, and every layout prints the
same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from handouts import __version__
from handouts.handout.doses import how_often
from handouts.handout.model import Block, Handout, PatientText, Picture, Video
from handouts.handout.sources import full_reference, short_citations, used_by
from handouts.handout.weeklog import daily_log, dose_words
from handouts.handout.words import Words, words
from handouts.handout.writein import moves_to_write, warnings
from handouts.inputs.content import PICTURED, Content, Section, Variant
from handouts.inputs.patient import Dose, PatientFile
from handouts.inputs.plan import Plan
from handouts.inputs.selections import Selection


def long_date(day: dt.date, language: str = "en") -> str:
    """ "November 23, 2026", "23 de noviembre de 2026": month names from CLDR."""
    return words(language).date(day)


def personalize(plan: Plan, content: Content, today: dt.date | None = None) -> Handout:
    patient = plan.patient
    w = words(content.language)
    day = patient.date or today or dt.date.today()
    blocks = tuple(_blocks(plan, content, w))
    return Handout(
        title=w("title", name=patient.name),
        name=patient.name,
        identifier=_identifier(patient, w),
        patient_id=patient.patient_id,
        birth_date=patient.birth_date,
        date=day,
        intro=_intro(patient, day, w),
        blocks=blocks,
        author=patient.therapist or patient.clinic or w("author"),
        subject=w("subject"),
        language=w("pdf_language"),
        creator=f"handouts {__version__}",
        file=plan.file,
        patient_texts=_patient_texts(plan),
        log=daily_log(plan, content, day),
        phone=patient.phone,
        warnings=warnings(plan, content),
        draft=(w("draft") if content.language != "en" else w("draft_original")) if content.draft else None,
        references=_references(content, blocks),
    )


def _references(content: Content, blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """Every source of the printed sections in full, with the sections (and cautions) that use each, and
    the moves' own sources as they name them: for the PDF's metadata."""
    printed = {b.id for b in blocks}
    cited = [full_reference(s, t) for _, s, t in used_by(content, printed, cautions=True)]
    moves: dict[str, list[str]] = {}
    for section in content.sections:
        if section.id in printed and section.source:
            moves.setdefault(section.source, []).append(section.title)
    return (*cited, *(f"{said}. Used in: {', '.join(titles)}." for said, titles in moves.items()))


def _identifier(patient: PatientFile, w: Words) -> tuple[str, str]:
    """The second identifier on every page: the patient id, else the birth date."""
    if patient.patient_id:
        return w("id"), patient.patient_id
    assert patient.birth_date is not None  # checked with the patient file
    return w("born"), w.date(patient.birth_date, "date_header")


def _intro(patient: PatientFile, day: dt.date, w: Words) -> tuple[tuple[str, str], ...]:
    """Page 1's opening lines: whose plan, from when and by whom. Whom to call is in every page's footer
    (and in "Call your care team"), so the box does not take a line to say it again."""
    intro: list[tuple[str, str]] = [(w("plan_for"), patient.name)]
    if patient.patient_id:
        intro.append((w("patient_id"), patient.patient_id))
    if patient.birth_date:
        intro.append((w("birth_date"), w.date(patient.birth_date)))
    intro.append((w("date"), w.date(day)))
    given = (("therapist", patient.therapist), ("clinic", patient.clinic))
    return (*intro, *((w(label), value) for label, value in given if value))


def _blocks(plan: Plan, content: Content, w: Words) -> list[Block]:
    """The plan first; the background ("How physical therapy helps") after it, or not at all."""
    blocks = [plan_at_a_glance(plan, content)]
    if plan.patient.background:
        blocks.append(_general(content.section("about"), 1))
    blocks += _exercise_blocks(plan, content, w)
    blocks += _device_blocks(plan, content, w)
    blocks.append(Block("avoid", w("avoid"), 1))
    blocks += [_general(section, 2) for section in content.of_kind("avoid")]
    blocks += _when_to_get_help(plan, content)
    if plan.patient.notes:
        paragraphs = tuple(p.strip() for p in plan.patient.notes.split("\n") if p.strip())
        blocks.append(Block("notes", w("notes"), 1, paragraphs))
    blocks.append(_closing(content, blocks, plan))
    return blocks


def _exercise_blocks(plan: Plan, content: Content, w: Words) -> list[Block]:
    """ "Your exercises": each chosen one with its dose and picture, library moves under their category."""
    if not plan.exercises:
        return []
    blocks = [Block("exercises", w("exercises"), 1)]
    if plan.patient.background:
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
        slots = _slots(plan, sel, w)
        aid = _walking_aid_version(plan, sel, section)
        facts = _dose_facts(section, sel.dose, w, _per_side(plan, sel, section, w))
        block = _block(section, 2, slots, facts, w, aid)
        block = replace(block, numbered=moves_to_write(plan, sel, content, w))
        blocks.append(replace(block, picture=_picture(plan, sel, section, slots, w, aid)))
    return blocks


WALKING_AIDS = frozenset({"cane", "quad_cane", "walker", "wheelchair"})
"""Devices that say the patient's balance or legs are not safe for a move done standing on its own."""


def _walking_aid_version(plan: Plan, sel: Selection, section: Section) -> Variant | None:
    """A standing move's safe version, for a plan with a walking aid: done by the person themself
    (a helper's version is already lying or seated)."""
    if section.with_walking_aid is None or sel.options.get("mode", "active") != "active":
        return None
    return section.with_walking_aid if WALKING_AIDS & {d.id for d in plan.devices} else None


def _per_side(plan: Plan, sel: Selection, section: Section, w: Words) -> str | None:
    """Whose count it is, for a move done on each side: "with each leg"; "with your left arm" where the
    stronger hand helps the weaker arm only."""
    if section.sides is None:
        return None
    weak = _weaker(plan)
    if sel.options.get("mode") == "assisted" and weak:
        return w(f"your_{section.sides}", side=w.side(weak), side_m=w.side(weak, True))
    return w(f"each_{section.sides}")


LADDER = ("cane", "quad_cane", "walker")
"""Walking aids from the least support to the most: a plan with one is never asked to consider a lesser one."""


def _device_blocks(plan: Plan, content: Content, w: Words) -> list[Block]:
    """ "Your equipment": each chosen device with the therapist's note and its picture."""
    if not plan.devices:
        return []
    blocks = [Block("equipment", w("equipment"), 1)]
    for sel in plan.devices:
        section = content.section(sel.id)
        slots = _slots(plan, sel, w)
        block = _block(section, 2, slots, _note_fact(sel.dose, w), w)
        blocks.append(replace(block, picture=_picture(plan, sel, section, slots, w)))
    return blocks


def _patient_texts(plan: Plan) -> tuple[PatientText, ...]:
    """Every free text the patient file gave, with its field and line, so a printing problem points at it."""
    patient = plan.patient
    texts = [
        PatientText(name, plan.lines.get(name), value)
        for name in ("name", "patient_id", "therapist", "clinic", "phone", "notes")
        if (value := getattr(patient, name))
    ]
    for key, selections in (("exercises", plan.exercises), ("devices", plan.devices)):
        texts += [
            PatientText(f"{key}.{sel.id}.note", sel.line, sel.dose.note)
            for sel in selections
            if sel.dose and sel.dose.note
        ]
    return tuple(texts)


def plan_at_a_glance(plan: Plan, content: Content) -> Block:
    """Page 1's summary: every chosen exercise with its dose in words and every device with its side
    or options, one line each, in the order of the plan."""
    w = words(content.language)
    lines: list[tuple[str, str]] = []
    for sel in plan.exercises:
        section = content.section(sel.id)
        said = dose_words(section, sel.dose, w)
        if sel.options.get("mode") == "passive":
            said += w("helper_moves")
        lines.append((section.title, said))
    for sel in plan.devices:
        lines.append((content.section(sel.id).title, _device_words(plan, sel, w)))
    if not lines:
        lines.append((w("your_plan"), w("ask_which")))
    return Block("plan", w("plan_at_glance"), 1, facts=tuple(lines))


def _device_words(plan: Plan, sel: Selection, w: Words) -> str:
    """A device's side or options in a few words: "in your left hand", "with wheels" ("en la mano izquierda")."""
    if sel.id in ("cane", "quad_cane") and plan.patient.stronger_side:
        return w("in_your_hand", side=w.side(plan.patient.stronger_side))
    side = sel.options.get("side")
    if side:
        return w("on_both_legs") if side == "both" else w("on_your_leg", side=w.side(side))
    options = (("wheels", "wheels"), ("platform", "platforms"))
    added = [w(said) for key, said in options if sel.options.get(key) == "true"]
    if added:
        return w("with_things", things=w("and").join(added))
    return w("as_shown")


def _when_to_get_help(plan: Plan, content: Content) -> list[Block]:
    """ "Call your care team", on every handout: the warning signs, what to do after a fall, and for each
    device the patient does not use yet, the sign that it may be time to ask about it."""
    w = words(content.language)
    facts = ((w("call"), plan.patient.phone),) if plan.patient.phone else ()
    blocks = [replace(_general(content.section("warning_signs"), 1), facts=facts, bullets=True)]
    blocks.append(_general(content.section("after_a_fall"), 2))
    chosen = {sel.id for sel in plan.devices}
    most = max((LADDER.index(d) for d in chosen if d in LADDER), default=0)
    chosen |= set(LADDER[:most])  # a quad cane user is not told to ask about a plain cane
    ask = tuple(
        (section.short_title or section.title, w("ask_when", when=section.ask_when))
        for section in content.of_kind("device")
        if section.id not in chosen and section.ask_when
    )
    if ask:
        blocks.append(Block("ask_about", w("ask_about"), 2, facts=ask))
    return blocks


def _closing(content: Content, blocks: list[Block], plan: Plan) -> Block:
    """The last lines: the disclaimer, every source in short (organisation, title, year; in full in the
    PDF's metadata: Handout.references), the moves' own sources, the content's version and review, and
    ruled lines for the therapist's handwritten notes and the next appointment."""
    w = words(content.language)
    closing = _general(content.section("closing"), 1)
    printed = {b.id for b in blocks} | {"closing"}
    cited = short_citations((source for _, source, _ in used_by(content, printed)), w)
    lines = list(closing.lead)
    if cited:
        said = "; ".join(cited)
        lines.append(w.count("sources_label", len(cited)) + said + ("" if said.endswith(("?", ".")) else "."))
    moves = sorted({s.source for sel in plan.exercises if (s := content.section(sel.id)).source})
    if moves:
        lines.append(w("moves_from", sources="; ".join(moves)))
    record = []
    if content.version:
        record.append(w("content_version", version=content.version))
    if content.reviewed:
        by = w("by_reviewer", reviewer=content.reviewer) if content.reviewer else ""
        record.append(w("last_reviewed", date=w.date(content.reviewed)) + by)
    if record:  # on the sources' paragraph: the content's whole record in one place
        said = ", ".join(record) + "."
        lines[-1:] = [f"{lines[-1]} {said}"] if cited or moves else [*lines[-1:], said]
    # The notes last: before the log, their lines go on to the foot of the page (pdf/story.py).
    writein = ((w("next_appointment"), 1), (w("notes_lines"), 3))
    return replace(closing, lead=tuple(lines), writein=writein, reference=len(lines) - len(closing.lead))


def _picture(
    plan: Plan, sel: Selection, section: Section, slots: dict[str, str], w: Words, aid: Variant | None = None
) -> Picture | None:
    """The pictogram for a chosen exercise or device, made personal the way its words are.

    Its caption is the clinic's own words from content.yaml, with the same slots as the section.
    """
    opts = sel.options
    kind = sel.id
    if section.image is not None and section.caption:  # the clinic's own picture, in every version
        caption = aid.caption.format_map(slots) if aid and aid.caption else _caption(section, slots)
        return Picture(kind, caption, image=str(section.image.path), image_alt=section.image.alt, language=w.language)
    figure = aid.figure if aid and aid.figure else section.figure_for(opts)
    if figure is not None and section.caption:
        # A side is named only where the steps work on one: the weaker arm the stronger hand helps.
        # A move done on both sides, or a plan that gives no side, has no side label.
        mode = opts.get("mode", "active")
        side = _weaker(plan) if mode == "assisted" else None
        caption = aid.caption.format_map(slots) if aid and aid.caption else _caption(section, slots)
        return Picture(kind, caption, side=side, figure=figure, mode=mode, language=w.language)
    if kind not in PICTURED or not section.caption:
        return None
    caption = _caption(section, slots)
    lang = w.language
    if kind in ("cane", "quad_cane"):
        return Picture(kind, caption, side=plan.patient.stronger_side, language=lang)
    if kind == "walker":
        wheels, platform = opts.get("wheels") == "true", opts.get("platform") == "true"
        return Picture(kind, caption, wheels=wheels, platform=platform, language=lang)
    if kind == "ankle_foot_brace":
        return Picture(kind, caption, side=opts.get("side", "both"), language=lang)
    if kind == "range_of_motion":
        return Picture(kind, caption, helper=opts.get("mode") == "passive", language=lang)
    return Picture(kind, caption, language=lang)


def _weaker(plan: Plan) -> str | None:
    strong = plan.patient.stronger_side
    return None if strong is None else "right" if strong == "left" else "left"


def _caption(section: Section, slots: dict[str, str]) -> str:
    """The section's caption, or the captions of its chosen variants one after the other."""
    chosen = [
        variant.caption
        for option, by_value in section.variants.items()
        if (variant := by_value.get(slots.get(option, ""))) is not None and variant.caption
    ]
    return " ".join(chosen or [str(section.caption)]).format_map(slots)


def _slots(plan: Plan, sel: Selection, w: Words) -> dict[str, str]:
    """The words a {slot} prints, in the handout's language; Spanish also has masculine forms ({weaker_side_m})."""
    slots = dict(sel.options)
    strong, weak = plan.patient.stronger_side, _weaker(plan)
    if strong and weak:
        slots |= {"stronger_side": w.side(strong), "weaker_side": w.side(weak)}
        slots |= {"stronger_side_m": w.side(strong, True), "weaker_side_m": w.side(weak, True)}
        slots["stronger_hand"] = w("hand", side=w.side(strong))
    side = sel.options.get("side")
    if side:
        slots["side_leg"] = w("both_legs") if side == "both" else w("leg", side=w.side(side))
    return slots


def _block(
    section: Section,
    level: int,
    slots: dict[str, str],
    facts: tuple[tuple[str, str], ...],
    w: Words,
    aid: Variant | None = None,
) -> Block:
    """An exercise or device: its chosen variants' words lead into the steps; why it helps comes after
    (a move's reason first), then its cautions as facts: the chosen version's own where it has them
    (a helper's are written to the helper), else the section's."""
    lead: list[str] = []
    paragraphs = [*([section.reason] if section.reason else []), *section.text]
    cautions = list(section.cautions)
    steps = list(section.steps)
    chosen = [v for option, by_value in section.variants.items() if (v := by_value.get(slots.get(option, "")))]
    for variant in [*chosen, *([aid] if aid else [])]:
        lead += variant.text
        steps = list(variant.steps) or steps
        cautions = list(variant.cautions) or cautions
    # One "Take care" for all of them, right after the steps: the label once, the cautions in turn.
    said = " ".join(c.text.format_map(slots) for c in cautions)
    return Block(
        id=section.id,
        title=section.title.format_map(slots),
        level=level,
        paragraphs=tuple(p.format_map(slots) for p in paragraphs),
        facts=facts,
        steps=tuple(s.format_map(slots) for s in steps),
        lead=tuple(p.format_map(slots) for p in lead),
        after_steps=((w("take_care"), said),) if said else (),
        video=_video(section, section.title.format_map(slots), w),
    )


def _video(section: Section, title: str, w: Words) -> Video | None:
    """The clinic's video address with the words around its code; nothing is looked up."""
    if section.video is None:
        return None
    alt = w("video_alt", title=title, address=section.video)
    return Video(section.video, w(f"video_lead_{section.kind}"), alt)


def _general(section: Section, level: int) -> Block:
    """A section every handout prints the same way: its words, then its steps."""
    return Block(section.id, section.title, level, lead=tuple(section.text), steps=tuple(section.steps))


def _note_fact(dose: Dose | None, w: Words) -> tuple[tuple[str, str], ...]:
    return ((w("therapist_says"), dose.note),) if dose and dose.note else ()


def _dose_facts(section: Section, dose: Dose | None, w: Words, per: str | None = None) -> tuple[tuple[str, str], ...]:
    """The therapist's dose in words; the content's own wording where the therapist gave none. A move
    done on each side says whose count it is: "Do it 10 times with each leg"."""
    dose = dose or Dose()
    if section.dose is not None:  # the move's usual dose, where the therapist set none of it
        given = {k: v for k, v in dose.model_dump().items() if v is not None}
        dose = Dose.model_validate(section.dose.model_dump(exclude_none=True) | given)
    often = how_often(dose, w)
    facts = [(w("how_often"), _sentence(", ".join(often)) if often else str(section.how_often))]
    if dose.minutes:
        facts.append((w("how_long"), w("each_time", amount=w.count("minutes", dose.minutes))))
    if dose.repetitions:
        amount = w.count("times", dose.repetitions)
        what = "do_it" if section.is_move else "do_each_move"
        said = _sentence(w("do_it_per", amount=amount, per=per)) if per else w(what, amount=amount)
        facts.append((w("how_many"), said))
    if dose.hold_seconds:
        facts.append((w("hold"), w("each_time", amount=w.count("seconds", dose.hold_seconds))))
    return (*facts, *_note_fact(dose, w))


def _sentence(said: str) -> str:
    """First letter capital, a full stop at the end: "2 veces al día, 3 días a la semana."."""
    return said[:1].upper() + said[1:] + "."
