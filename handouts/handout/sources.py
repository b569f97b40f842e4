"""Where a handout's words come from, said twice: one short paragraph on the page (organisation, title,
year: enough to find the publication), and the full references (publisher, title, year and the
sections that use each) for `generate.py list --sources` and the PDF's metadata, where a clinic or a
reviewer looks them up without the patient reading a page of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from handouts.handout.words import Words
from handouts.inputs.content import Content, Section, Source


def used_by(
    content: Content, section_ids: Iterable[str] | None = None, cautions: bool = False
) -> list[tuple[str, Source, list[str]]]:
    """Each source of the given sections (every section when None), in the content's order, with the
    titles of the sections that name it: (key, source, titles). With cautions, the sources of their
    cautions too (any version's), the section's title then marked "(a caution)"."""
    wanted = None if section_ids is None else set(section_ids)
    titles: dict[str, list[str]] = {}
    for section in content.sections:
        if wanted is not None and section.id not in wanted:
            continue
        for key in section.sources:
            titles.setdefault(key, []).append(section.title)
        if cautions:
            for key in _caution_sources(section):
                said = titles.setdefault(key, [])
                if section.title not in said:
                    said.append(f"{section.title} (a caution)")
    return [(key, source, titles[key]) for key, source in content.sources.items() if key in titles]


def _caution_sources(section: Section) -> list[str]:
    """The source keys of a section's cautions, its versions' included, each once in order."""
    versions = [v for by_value in section.variants.values() for v in by_value.values()]
    if section.with_walking_aid is not None:
        versions.append(section.with_walking_aid)
    found: list[str] = []
    for caution in [*section.cautions, *(c for v in versions for c in v.cautions)]:
        found += [key for key in caution.sources if key not in found]
    return found


def _in_full(source: Source) -> str:
    """ "Cleveland Clinic. Physical Therapy and ALS. 2017." (a title ending in "?" takes no full stop)."""
    title = source.title if source.title.endswith(("?", "!", ".")) else source.title + "."
    return f"{source.publisher}. {title}" + (f" {source.year}." if source.year else "")


def full_reference(source: Source, titles: list[str]) -> str:
    """One source in full: "Cleveland Clinic. Physical Therapy and ALS. 2017. Used in: Stretching, ..."."""
    return f"{_in_full(source)} Used in: {', '.join(titles)}."


def short_title(source: Source) -> str:
    """A title to its first comma: the publication's own name, without its chapter or edition."""
    return source.title.split(", ")[0]


def short_citations(sources: Iterable[Source], w: Words) -> list[str]:
    """The sources as the page prints them: each title to its first comma (the publication's own name,
    "Everyday Life with ALS", without its chapter or edition), and a publication cited in two versions
    once, with both years: "Muscular Dystrophy Association, Everyday Life with ALS, 2007 and 2010"."""
    by_work: dict[tuple[str, str], list[int]] = {}
    for source in sources:
        years = by_work.setdefault((source.publisher, short_title(source)), [])
        if source.year and source.year not in years:
            years.append(source.year)
    said = []
    for (publisher, title), years in by_work.items():
        when = [str(y) for y in sorted(years)]
        dated = ", " + (", ".join(when[:-1]) + w("and") + when[-1] if len(when) > 1 else when[0]) if when else ""
        said.append(f"{publisher}, {title}{dated}")
    return said


def describe_sources(content: Content) -> str:
    """What `list --sources` prints: each source in full, then the sections that use it, one a line
    (its cautions' too); then the moves' own sources, as each move names it in words."""
    lines = ["Sources (content.yaml `sources`; a handout prints them in short, in full in its metadata)"]
    used = used_by(content, cautions=True)
    for key, source, titles in used:
        lines.append(f"  {key}: {_in_full(source)}")
        lines += [f"      used in: {title}" for title in titles]
    unused = [key for key in content.sources if key not in {k for k, _, _ in used}]
    if unused:
        lines.append(f"  used by no section: {', '.join(unused)}")
    moves: dict[str, list[str]] = {}
    for section in content.sections:
        if section.source:
            moves.setdefault(section.source, []).append(section.title)
    if moves:
        lines += ["", "Sources of the library's moves, as each names it"]
        for said, titles in moves.items():
            lines.append(f"  {said}")
            lines += [f"      used in: {title}" for title in titles]
    return "\n".join(lines)
