"""A personalized handout as plain data: its blocks, pictures and the patient's own words.

What `personalize` decides and the PDF prints; nothing here knows about reportlab, pages or fonts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handouts.errors import Problem
from handouts.handout.alt import alt_text
from handouts.handout.weeklog import DailyLog
from handouts.inputs.figure import Figure


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
    language: str = "en"
    """The language of the words in and about the picture: its side label and its alternate text."""
    image: str | None = None
    """The clinic's own picture (a checked PNG or JPEG file's path), printed instead of a drawing."""
    image_alt: str | None = None
    """The clinic's words for its picture, in the handout's language."""

    @property
    def alt(self) -> str:
        """What the picture shows for this patient, said in its place by a screen reader."""
        return self.image_alt if self.image_alt else alt_text(self)


@dataclass(frozen=True)
class Video:
    """The clinic's video of a section, printed as a QR code with its address in words."""

    address: str
    lead: str
    """The words above the address: "Scan with a phone camera to watch the video of this move"."""
    alt: str
    """What the code opens, said by a screen reader in its place."""


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
    numbered: tuple[tuple[str, int], ...] = ()
    """Numbered lines to write on by hand, under their label: the moves a therapist showed, for a kind
    of exercise chosen without any (handouts/handout/writein.py)."""
    introduces: bool = False
    """A few words introducing the blocks after it (a category of moves): printed whole, never split."""
    reference: int = 0
    """How many of the lead's last paragraphs are the content's record (its sources, version and review):
    lines for the clinic to check, not steps to follow, so they print at the standard's 18 pt minimum
    even in a layout whose body is larger (pdf/story.py)."""
    after_steps: tuple[tuple[str, str], ...] = ()
    """Label and value pairs printed right after the steps ("Take care", a move's cautions): read where
    the moving is done, and not part of the head that must stay on one page with the picture."""
    video: Video | None = None
    """The clinic's video of the move, printed as a QR code at the end of its section."""
    marks: tuple[str, ...] = ()
    """A word before each fact, or "": "New" or "Changed" on the plan at a glance (handout/changes.py)."""


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
    warnings: tuple[Problem, ...] = ()
    """What the desk should know before handing it out, though nothing is wrong: a kind of exercise
    that names no moves (handouts/handout/writein.py). Every front end shows them; none is printed."""
    draft: str | None = None
    """Printed on every page when the content is an unreviewed draft: "Traducción pendiente de revisión clínica"."""
    plan_file: bytes = b""
    """The patient file it was printed from (handouts/handout/planfile.py), embedded in the PDF; empty: none."""
    references: tuple[str, ...] = ()
    """Every source of the handout's sections in full, with the sections that use each: written into
    the PDF's metadata (XMP dc:source), the page printing them in short (handouts/handout/sources.py)."""
