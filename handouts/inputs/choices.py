"""What `list` and `check` report: the choices a patient file has, and whether the data is sound."""

from __future__ import annotations

import datetime as dt

from handouts.errors import HandoutError, Problem
from handouts.home import Home
from handouts.inputs.content import CATEGORY_IDS, DEFAULT_CONTENT, Content, load_content
from handouts.inputs.dosefields import takes
from handouts.inputs.layout import DEFAULT_LAYOUT, PAPERS, describe_layouts, layout_file, layout_names, load_layout

_KINDS = (("exercise", "Exercises (under exercises:)"), ("device", "Devices (under devices:)"))


def describe(home: Home | None = None) -> str:
    home = home or Home()
    content = load_content(home.content)
    lines: list[str] = [*home.describe(), ""]
    for kind, heading in _KINDS:
        lines.append(heading)
        for section in content.of_kind(kind):  # type: ignore[arg-type]
            if section.is_move:
                continue  # listed below, by joint
            lines.append(f"  {section.id:<18} {section.title}")
            for name, option in section.options.items():
                default = f" (default {option.default})" if option.default else " (required)"
                lines.append(f"      {name}: {' | '.join(option.choices)}{default}  {option.help}")
            if kind == "exercise":
                lines.append(f"      dose, all optional: {', '.join(takes(section, content))}")
            if section.needs_stronger_side:
                lines.append("      needs stronger_side: left | right")
        lines.append("")
    lines += _library(content)
    lines.append("Always shown under 'What to avoid' (never prescribed):")
    for section in content.of_kind("avoid"):
        lines.append(f"  {section.id:<18} {section.title}")
    lines.append("")
    lines.append("Layouts (layout: in the patient file, or --layout; --paper letter|a4 prints any on A4):")
    for name, description in describe_layouts(home.layouts):
        default = " (default)" if name == DEFAULT_LAYOUT else ""
        lines.append(f"  {name:<18} {description}{default}")
        lines.append(f"  {'':<18} {layout_file(name, home.layouts)}")
    return "\n".join(lines)


def _library(content: Content) -> list[str]:
    """The moves, by category then joint, each with its modes and usual dose."""
    moves = content.moves()
    if not moves:
        return []
    lines = ["Moves (under exercises:, like the kinds above; dose options as above), by joint:"]
    category = joint = None
    for move in moves:
        if move.category != category:
            category, joint = move.category, None
            lines.append(f"  {content.section(str(category)).title} ({category})")
        if move.joint != joint:
            joint = move.joint
            lines.append(f"    {joint}")
        modes = f"mode: {' | '.join(move.modes)}" if move.modes else "on your own"
        lines.append(f"      {move.id:<20} {move.title}")
        usual = ", ".join(f"{k} {v}" for k, v in (move.dose.model_dump(exclude_none=True) if move.dose else {}).items())
        own = takes(move, content)  # a move that takes other dose fields than its category says which
        fields = f"; dose: {', '.join(own)}" if own != takes(content.section(str(category)), content) else ""
        lines.append(f"          {modes}; usual dose: {usual or 'none'}{fields}")
        if any(move.needs_side({"mode": m}) for m in move.modes):
            lines.append("          mode: assisted needs stronger_side: left | right")
    lines.append("")
    return lines


def _translations(content: Content, problems: list[Problem]) -> list[str]:
    """Each translation beside the content, checked against it; a draft is said as a warning."""
    from handouts.handout.words import LANGUAGE_NAMES, LANGUAGES, WORDS_FILE, parity_problems
    from handouts.inputs.translation import load_translation, translation_path

    problems += [Problem(str(WORDS_FILE), message) for message in parity_problems()]
    report = []
    english = content._path or DEFAULT_CONTENT
    for language in LANGUAGES[1:]:
        path = translation_path(english, language)
        if not path.is_file():
            report.append(f"warning: no {LANGUAGE_NAMES[language]} content ({path}): handouts in it can't be printed")
            continue
        try:
            translation = load_translation(english, language)
        except HandoutError as exc:
            problems += exc.problems
            continue
        report.append(f"{LANGUAGE_NAMES[language]} content ({path.name}): every section, variant and slot, sound")
        if translation.draft:
            report.append(
                f"warning: {path.name} is a draft awaiting a qualified clinician's review; every page of a "
                f"handout in it says so. Once reviewed, set status: reviewed, reviewer: and reviewed: in it"
            )
    return report


def check_all(home: Home | None = None) -> str:
    """Validate the content and every layout, collecting every problem before failing."""
    home = home or Home()
    problems: list[Problem] = []
    report = home.describe()
    try:
        content = load_content(home.content)
        moves = content.moves()
        kinds = {c: sum(m.category == c for m in moves) for c in CATEGORY_IDS}
        listing = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in kinds.items())
        report.append(f"content: {len(content.sections) - len(moves)} sections, sound")
        report.append(f"exercise library: {len(moves)} moves ({listing}), each with a figure, sound")
        warning = content.review_warning(dt.date.today())
        if warning:
            report.append(f"warning: {warning}")
        report += _translations(content, problems)
    except HandoutError as exc:
        problems += exc.problems
    for name in layout_names(home.layouts):
        try:
            for paper in (None, *PAPERS):  # its own paper first, then each --paper it may be given
                load_layout(name, home.layouts, paper)
            report.append(f"layout {name}: sound on {' and '.join(PAPERS)} ({layout_file(name, home.layouts)})")
        except HandoutError as exc:
            problems += exc.problems
    if problems:
        raise HandoutError(problems)
    return "\n".join(report)
