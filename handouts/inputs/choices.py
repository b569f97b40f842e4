"""What `list` and `check` report: the choices a patient file has, and whether the data is sound."""

from __future__ import annotations

from handouts.home import Home
from handouts.inputs.content import Content, load_content
from handouts.inputs.dosefields import takes
from handouts.inputs.layout import DEFAULT_LAYOUT, describe_layouts, layout_file

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
