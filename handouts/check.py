"""`check`: the clinic's content, translations and layouts are sound, and proven to print.

Loading checks each file against its rules (content.py, translation.py, layout.py); that alone can't
prove a layout holds what a patient file may put in it. So `check` then prints a test handout for each
layout, language and paper, as printing would: the longest name, ID, phone, therapist and clinic the
patient file allows (120 wide letters, no spaces), a note on every exercise and device, every move of
the library (their modes taken in turn from one test handout to the next) and every device. Whatever
`check` passes has printed once already; anything that stops it is named with its file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.home import Home
from handouts.inputs.content import CATEGORY_IDS, DEFAULT_CONTENT, Content, cached_content
from handouts.inputs.layout import PAPERS, layout_file, layout_names, load_layout

LONGEST = "W" * 120
"""The widest letter at the longest a short field may be (patient.py), with nowhere to break a line."""
LONGEST_FIELDS = ("name", "patient_id", "therapist", "clinic", "phone")


def check_all(home: Home | None = None) -> str:
    """Validate the content and every layout, then print the test handouts; every problem at once."""
    home = home or Home()
    problems: list[Problem] = []
    report = home.describe()
    content: Content | None = None
    languages: list[str] = ["en"]
    try:
        content = cached_content(home.content)  # loaded once, as printing loads it
        report += _content_report(content)
        languages += _translations(content, problems, report)
    except HandoutError as exc:
        problems += exc.problems
    sound = []
    for name in layout_names(home.layouts):
        try:
            for paper in (None, *PAPERS):  # its own paper first, then each --paper it may be given
                load_layout(name, home.layouts, paper)
            sound.append(name)
        except HandoutError as exc:
            problems += exc.problems
    if content is not None and not problems:
        problems += _proof(home, content, languages, sound, report)
    if problems:
        raise HandoutError(problems)
    return "\n".join(report)


def _content_report(content: Content) -> list[str]:
    moves = content.moves()
    kinds = {c: sum(m.category == c for m in moves) for c in CATEGORY_IDS}
    listing = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in kinds.items())
    report = [
        f"content: {len(content.sections) - len(moves)} sections, sound",
        f"exercise library: {len(moves)} moves ({listing}), each with a figure, sound",
    ]
    warning = content.review_warning(dt.date.today())
    return report + ([f"warning: {warning}"] if warning else [])


def _translations(content: Content, problems: list[Problem], report: list[str]) -> list[str]:
    """Each translation beside the content, checked against it; a draft is said as a warning. Returns
    the languages that load."""
    from handouts.handout.words import LANGUAGE_NAMES, LANGUAGES, WORDS_FILE, parity_problems
    from handouts.inputs.translation import translated, translation_path

    problems += [Problem(str(WORDS_FILE), message) for message in parity_problems()]
    english = content._path or DEFAULT_CONTENT
    loaded = []
    for language in LANGUAGES[1:]:
        path = translation_path(english, language)
        if not path.is_file():
            report.append(f"warning: no {LANGUAGE_NAMES[language]} content ({path}): handouts in it can't be printed")
            continue
        try:
            translation = translated(content, language)
        except HandoutError as exc:
            problems += exc.problems
            continue
        loaded.append(language)
        report.append(f"{LANGUAGE_NAMES[language]} content ({path.name}): every section, variant and slot, sound")
        if translation.draft:
            report.append(
                f"warning: {path.name} is a draft awaiting a qualified clinician's review; every page of a "
                f"handout in it says so. Once reviewed, set status: reviewed, reviewer: and reviewed: in it"
            )
    return loaded


def test_record(content: Content, turn: int, language: str) -> dict[str, Any]:
    """A patient record as long as the patient file allows, with every move and device; `turn` picks
    each move's mode and each option's value in turn, so successive test handouts show them all."""
    record: dict[str, Any] = {field: LONGEST for field in LONGEST_FIELDS}
    # The "My week" log in two of a layout's four test handouts (English on letter, Spanish on A4): with
    # every exercise in it, its grid is most of a test handout's time.
    log = int(turn % 3 == 0)
    record |= {"stronger_side": "right", "language": language, "log_weeks": log, "notes": LONGEST * 3}
    for kind, key in (("exercise", "exercises"), ("device", "devices")):
        chosen = []
        for i, section in enumerate(content.of_kind(kind)):  # type: ignore[arg-type]
            options = {name: o.choices[(i + turn) % len(o.choices)] for name, o in section.options.items()}
            chosen.append({section.id: {**options, "note": LONGEST}})
        record[key] = chosen
    return record


def _proof(home: Home, content: Content, languages: list[str], layouts: list[str], report: list[str]) -> list[Problem]:
    """Print a test handout for each layout, language and paper; the problems of those that fail."""
    from handouts.build import print_record
    from handouts.inputs.yamlsource import Located

    problems: list[Problem] = []
    for name in layouts:
        turn = 0
        for language in languages:
            for paper in PAPERS:
                record = test_record(content, turn, language)
                turn += 1
                try:
                    print_record(Located(record, "test handout", {}), content, name, paper=paper, layouts=home.layouts)
                except HandoutError as exc:
                    problems += [_blamed(p, name, home.layouts, language, paper) for p in exc.problems]
        if not any(p.file == str(layout_file(name, home.layouts)) for p in problems):
            shown = " and ".join(PAPERS)
            report.append(f"layout {name}: sound on {shown}, test handouts printed ({layout_file(name, home.layouts)})")
    return problems


def _blamed(problem: Problem, layout: str, folder: Path, language: str, paper: str) -> Problem:
    """A test handout that does not fit is the layout's fault: name its file."""
    if problem.file != "test handout":
        return problem
    from handouts.handout.words import LANGUAGE_NAMES

    test = f"a test handout in {LANGUAGE_NAMES[language]} with the longest values a patient file allows"
    said = re.sub(r"^this handout", test, problem.message)
    return Problem(str(layout_file(layout, folder)), said, None, None)
