"""What `list` and `check` report: the choices a patient file has, and whether the data is sound."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handouts.errors import HandoutError
from handouts.inputs.content import load_content
from handouts.inputs.layout import DEFAULT_LAYOUT, PAPERS, describe_layouts, layout_names, load_layout
from handouts.inputs.patient import DOSE_FIELDS

_KINDS = (("exercise", "Exercises (under exercises:)"), ("device", "Devices (under devices:)"))


def describe(content_path: Path | None = None) -> str:
    content = load_content(content_path)
    lines: list[str] = []
    for kind, heading in _KINDS:
        lines.append(heading)
        for section in content.of_kind(kind):  # type: ignore[arg-type]
            lines.append(f"  {section.id:<18} {section.title}")
            for name, option in section.options.items():
                default = f" (default {option.default})" if option.default else " (required)"
                lines.append(f"      {name}: {' | '.join(option.choices)}{default}  {option.help}")
            if kind == "exercise":
                lines.append(f"      dose, all optional: {', '.join(DOSE_FIELDS)}")
            if section.needs_stronger_side:
                lines.append("      needs stronger_side: left | right")
        lines.append("")
    lines.append("Always shown under 'What to avoid' (never prescribed):")
    for section in content.of_kind("avoid"):
        lines.append(f"  {section.id:<18} {section.title}")
    lines.append("")
    lines.append("Layouts (layout: in the patient file, or --layout; --paper letter|a4 prints any on A4):")
    for name, description in describe_layouts():
        default = " (default)" if name == DEFAULT_LAYOUT else ""
        lines.append(f"  {name:<18} {description}{default}")
    return "\n".join(lines)


def check_all(content_path: Path | None = None) -> str:
    """Validate the content and every layout, collecting every problem before failing."""
    problems = []
    report = []
    try:
        content = load_content(content_path)
        report.append(f"content: {len(content.sections)} sections, sound")
        warning = content.review_warning(dt.date.today())
        if warning:
            report.append(f"warning: {warning}")
    except HandoutError as exc:
        problems += exc.problems
    for name in layout_names():
        try:
            for paper in (None, *PAPERS):  # its own paper first, then each --paper it may be given
                load_layout(name, paper=paper)
            report.append(f"layout {name}: sound on {' and '.join(PAPERS)}")
        except HandoutError as exc:
            problems += exc.problems
    if problems:
        raise HandoutError(problems)
    return "\n".join(report)
