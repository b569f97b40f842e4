"""What the discharge form offers, built from the content and the layouts, and the words on it.

Nothing about exercises, devices or options is written here: the form is built from content.yaml and
the layouts, so a clinic that adds an option to the content gets it in the form too. The labels are the
form's words for the patient file's own fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handouts.errors import HandoutError
from handouts.inputs.content import Content, Section
from handouts.inputs.dosefields import takes
from handouts.inputs.layout import PAPERS, Layout
from handouts.inputs.patient import DEVICE_FIELDS, DOSE_FIELDS, Dose, PatientFile
from handouts.inputs.plan import check_plan
from handouts.inputs.yamlsource import Located

FORM_FILE = "the form"
"""What `Problem.file` says for a record typed into the form; it has no lines."""

TOP_LABELS = {
    "name": "Patient's full name",
    "patient_id": "Patient ID",
    "birth_date": "Date of birth",
    "date": "Date of the handout",
    "therapist": "Therapist",
    "clinic": "Clinic",
    "phone": "Phone number for questions",
    "stronger_side": "Stronger side",
    "notes": "Notes for the patient",
    "layout": "Layout",
    "log_weeks": "Weeks of the tick-box log",
    "language": "The handout will be in",
}
"""Words on the page for the patient file's own fields (the field names are the patient file's)."""

BACKGROUND = "background"
"""The patient file's switch for the background sections; the form offers it once the model has it."""
if BACKGROUND in PatientFile.model_fields:
    TOP_LABELS[BACKGROUND] = "Leave out the background sections"

DATES = ("birth_date", "date")
"""Fields typed as dates: plain text in the clinic's own format (see web/dates.py)."""

LISTS = {"exercises": "exercise", "devices": "device"}
"""Patient-file list -> the name of the form's checkboxes for it."""

LIST_LABELS = {"exercises": "Exercises", "devices": "Equipment"}
"""The form's heading for each list, to say where a problem with a list entry is."""

PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}
assert set(PAPER_NAMES) == set(PAPERS), "a paper has no name on the form"

FORM_LABELS = {"paper": "Paper", "patient_file": "Patient file", "previous": "Previous handout"}
"""Form fields that are not in a patient file: the paper (a printing choice) and the file to load."""

ORDER = "order"
"""Hidden field: the ids of a loaded file's exercises and devices in the file's order, which the
handout keeps; items ticked afterwards go after them, in the content's order."""

DOSE_LABELS = {
    "minutes": "Minutes",
    "times_per_day": "Times a day",
    "days_per_week": "Days a week",
    "repetitions": "Repetitions",
    "hold_seconds": "Hold (sec)",
    "note": "Note on this exercise",
}

DEVICE_LABELS = {"note": "Note on this equipment"}
"""A device takes no dose, only a note (patient.DEVICE_FIELDS)."""

OPTION_LABELS = {"platform": "Platform attachments"}
"""An option's name on the form where the patient file's word is not the trade's."""

KIND_TAGS = {"range_of_motion": "range of motion", "stretching": "stretch", "aerobic": "aerobic"}
"""A library move's kind, shown after its name: the joint groups mix kinds."""

KIND_WORDS = {
    "range_of_motion": "range of motion rom",
    "stretching": "stretch stretching",
    "aerobic": "aerobic activity activities",
}
"""Words a clinician may type in the library's filter to find a move by its kind ("ROM", "stretch")."""

JOINT_ORDER = ("neck", "shoulder", "elbow", "forearm", "wrist", "fingers and thumb", "trunk", "hip", "knee", "ankle")
"""The library's joint groups head to toe; a joint not named here follows, in the content's order,
and the activities (walking, cycling: `joint: activity`) come last."""

ACTIVITY = "activity"
JOINT_LABELS = {ACTIVITY: "Activities"}

assert set(TOP_LABELS) | set(LISTS) == set(PatientFile.model_fields), "a patient field has no form field"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class OptionField:
    key: str
    label: str
    help: str
    choices: tuple[Choice, ...]
    default: str | None


@dataclass(frozen=True)
class DoseField:
    key: str
    label: str
    hint: str
    numeric: bool
    taken: bool = True
    """Whether the exercise takes this field (content's dose_fields); the form shows one it does not
    take only to show what a loaded file gave it, with the error that says which fields it takes."""
    usual: str = ""
    """The placeholder: the move's usual dose ("usual: 10"), which prints when the box is left empty."""


@dataclass(frozen=True)
class Item:
    """One exercise or device the therapist can tick, with what can be set for it."""

    id: str
    kind: str
    title: str
    """The patient's words, printed on the handout."""
    label: str
    """The clinician's words (content's `label:`, else the title), shown first on the form."""
    options: tuple[OptionField, ...]
    doses: tuple[DoseField, ...]
    side_message: str | None
    """The server's own message when this is ticked without a stronger side; the page's script shows it."""
    category: str | None = None
    joint: str | None = None
    """A library move's category and joint (content `category:`, `joint:`): the form groups by them."""
    writein: str | None = None
    """For a kind of exercise with write-in lines: what the handout prints when it is ticked without
    any of its moves (handouts/handout/writein.py), shown with its settings."""


@dataclass(frozen=True)
class LayoutChoice:
    name: str
    label: str


@dataclass(frozen=True)
class FormSpec:
    exercises: tuple[Item, ...]
    devices: tuple[Item, ...]
    avoid: tuple[str, ...]
    layouts: tuple[LayoutChoice, ...]
    keys: frozenset[str] = field(default_factory=frozenset)
    """Every form field that can carry an error message."""

    def items(self) -> tuple[Item, ...]:
        return self.exercises + self.devices

    def kinds(self) -> tuple[Item, ...]:
        """The whole kinds of exercise (range of motion, stretching, aerobic): one general section each."""
        return tuple(i for i in self.exercises if not i.category)

    def library(self) -> list[tuple[str, str, list[Item]]]:
        """The library's moves by joint (key, heading, moves), whatever their kind: a shoulder's range
        of motion and its stretch sit together, so a joint is looked for once."""
        moves = [i for i in self.exercises if i.category]
        found = list(dict.fromkeys(i.joint or "" for i in moves))
        rank = {j: n for n, j in enumerate(JOINT_ORDER)}
        joints = sorted(found, key=lambda j: (j == ACTIVITY, rank.get(j, len(rank)), found.index(j)))
        heading = {j: JOINT_LABELS.get(j, _humane(j) if j else "Other") for j in joints}
        return [(j or "other", heading[j], [i for i in moves if (i.joint or "") == j]) for j in joints]


def search_words(item: Item) -> str:
    """What the library's filter matches a move against: its clinician's and handout's names, its joint
    and its kind, lower case ("calf", "walking", "rom", "shoulder" all find something)."""
    parts = [item.label, item.title, (item.joint or "").replace("_", " "), KIND_WORDS.get(item.category or "", "")]
    return " ".join(" ".join(parts).lower().split())


def kind_tag(item: Item) -> str:
    return KIND_TAGS.get(item.category or "", _humane(item.category or ""))


def _humane(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _choice_label(value: str) -> str:
    return {"true": "Yes", "false": "No"}.get(value, value.capitalize())


def _dose_hint(name: str) -> tuple[str, bool]:
    info = Dose.model_fields[name]
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if low is not None and high is not None:
        return f"{low} to {high}", True
    return "One line, in plain words.", False


def _side_message(section: Section, content: Content) -> str | None:
    """Ask check_plan itself what it says about this device without a side, so the words can't drift."""
    if not section.needs_stronger_side:
        return None
    probe = {"name": "x", "patient_id": "x", "devices": [section.id]}
    try:
        check_plan(Located(probe, FORM_FILE, {}), content)
    except HandoutError as exc:
        return next((p.message for p in exc.problems if p.field == "stronger_side"), None)
    return None


def _doses(section: Section, content: Content) -> tuple[DoseField, ...]:
    """An exercise's dose boxes: those it takes first, in the content's order, each with its usual
    dose as the placeholder; then the rest, which the page shows only to refuse (see DoseField.taken)."""
    taken = takes(section, content)
    usual = section.dose.model_dump(exclude_none=True) if section.dose else {}
    return tuple(
        DoseField(
            f"{section.id}.{name}",
            DOSE_LABELS.get(name, _humane(name)),
            *_dose_hint(name),
            taken=name in taken,
            usual=f"usual: {usual[name]}" if name in usual else "",
        )
        for name in (*taken, *(n for n in DOSE_FIELDS if n not in taken))
    )


def _item(section: Section, content: Content) -> Item:
    options = tuple(
        OptionField(
            key=f"{section.id}.{name}",
            label=OPTION_LABELS.get(name, _humane(name)),
            help=option.help,
            choices=tuple(Choice(c, _choice_label(c)) for c in option.choices),
            default=option.default,
        )
        for name, option in section.options.items()
    )
    doses: tuple[DoseField, ...] = ()
    if section.kind == "exercise":
        doses = _doses(section, content)
    elif section.kind == "device":  # a device's note ("use it indoors only"), printed with the device
        doses = tuple(
            DoseField(f"{section.id}.{name}", DEVICE_LABELS[name], *_dose_hint(name)) for name in DEVICE_FIELDS
        )
    return Item(
        section.id,
        section.kind,
        section.title,
        section.label or section.title,
        options,
        doses,
        _side_message(section, content),
        getattr(section, "category", None),
        getattr(section, "joint", None),
        _writein(section, content),
    )


def _writein(section: Section, content: Content) -> str | None:
    """The form's warning for a kind ticked without moves: the handout then names none."""
    if not section.write_in_lines:
        return None
    return f"None of its moves ticked below: the handout has {section.write_in_lines} lines to write them in."


def build_spec(content: Content, layouts: list[Layout]) -> FormSpec:
    exercises = tuple(_item(s, content) for s in content.of_kind("exercise"))
    devices = tuple(_item(s, content) for s in content.of_kind("device"))
    choices = tuple(
        LayoutChoice(lay.name, f"{lay.name} ({PAPER_NAMES.get(lay.paper, lay.paper)}): {lay.description}")
        for lay in layouts
    )
    keys = {*TOP_LABELS, *FORM_LABELS, "form", "doses"}
    for item in exercises + devices:
        keys |= {item.id, *(o.key for o in item.options), *(d.key for d in item.doses)}
    return FormSpec(exercises, devices, tuple(s.title for s in content.of_kind("avoid")), choices, frozenset(keys))
