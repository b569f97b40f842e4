"""Pictograms, read back from real PDFs: vector paths on their sections' pages, personal, captioned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdfcheck import page_texts, reader, runs
from pdfshapes import Figure, image_xobjects, shapes

from handouts.build import Printed, print_record
from handouts.errors import HandoutError
from handouts.handout.personalize import Picture
from handouts.inputs.content import cached_content
from handouts.inputs.layout import LAYOUTS_DIR, layout_names, load_layout
from handouts.inputs.yamlsource import parse_yaml
from handouts.pdf.pictures import PICTOGRAM, drawing_for
from handouts.pdf.render import render

EVERYTHING = """
name: Test Person
patient_id: T-1
date: 2026-11-23
stronger_side: {side}
exercises:
  - aerobic: {{minutes: 10}}
  - stretching
  - range_of_motion: {{mode: {mode}}}
devices:
  - cane
  - quad_cane
  - walker: {{wheels: true, platform: true}}
  - ankle_foot_brace: {{side: {side}}}
  - neck_brace
  - wheelchair
"""


def _print(text: str, layout: str | None = None) -> Printed:
    return print_record(parse_yaml(text, "test.yaml"), cached_content(), layout)


@pytest.fixture(scope="module")
def plans() -> dict[str, Printed]:
    return {
        side: _print(EVERYTHING.format(side=side, mode="passive" if side == "left" else "active"))
        for side in ("left", "right")
    }


def _figures(printed: Printed) -> dict[str, tuple[int, Figure]]:
    """Each figure by its caption (found through its alternate text), with the index of its page."""
    caption_of = {p.alt: p.caption for _, p in _pictured(printed)}
    pdf = reader(printed.pdf)
    found = {}
    for number, page in enumerate(pdf.pages):
        for fig in shapes(page, pdf).figures:
            found[caption_of.get(fig.alt, fig.alt)] = (number, fig)
    return found


def _pictured(printed: Printed) -> list[tuple[str, Picture]]:
    return [(b.title, b.picture) for b in printed.handout.blocks if b.picture is not None]


@pytest.mark.parametrize("side", ["left", "right"])
def test_every_exercise_and_device_has_a_vector_drawing_on_its_sections_page(plans, side: str) -> None:
    printed = plans[side]
    pictured = _pictured(printed)
    assert len(pictured) == 9  # 3 exercises and 6 devices
    figures = _figures(printed)
    texts = page_texts(printed.pdf)
    for title, picture in pictured:
        number, fig = figures[picture.caption]
        assert title in texts[number], f"{picture.kind}: drawing not on the page of '{title}'"
        assert fig.path_ops > 10 and fig.images == 0, picture.kind
        ys = [y for _, y in fig.points]
        assert max(ys) - min(ys) >= 1.5 * 72, f"{picture.kind} is under 1.5 in tall"
    assert all(image_xobjects(page) == 0 for page in reader(printed.pdf).pages)


@pytest.mark.parametrize("side", ["left", "right"])
def test_drawings_are_bold_black_lines_on_white(plans, side: str) -> None:
    for caption, (_, fig) in _figures(plans[side]).items():
        black_and_white = {(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)}
        assert (0.0, 0.0, 0.0) in fig.stroke_colors, caption
        assert fig.stroke_colors | fig.fill_colors <= black_and_white, caption
        widths = sorted(fig.line_widths)
        assert widths[len(widths) // 2] >= 4.5, f"{caption}: most lines are thin"


@pytest.mark.parametrize("side", ["left", "right"])
def test_captions_are_printed_in_large_bold_words(plans, side: str) -> None:
    printed = plans[side]
    pdf = reader(printed.pdf)
    texts = page_texts(printed.pdf)
    captions = [picture.caption for _, picture in _pictured(printed)]
    assert f"Cane in your {side} hand" in captions
    assert f"Four-foot cane in your {side} hand" in captions
    assert f"Brace on your {side} leg" in captions
    assert "Your walker has wheels. Your walker has platforms." in captions
    for caption in captions:
        number, _ = _figures(printed)[caption]
        assert caption in texts[number]
        pieces = [r for r in runs(pdf.pages[number]) if r.text.strip() and r.text.strip() in caption]
        assert pieces and min(r.size for r in pieces) >= 18, caption


def _mirrored(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return sorted({(round(PICTOGRAM[0] - x, 1), round(y, 1)) for x, y in points})


def _rounded(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return sorted({(round(x, 1), round(y, 1)) for x, y in points})


def _far_side(fig: Figure) -> str:
    """Which side of the figure's head reaches further out: where the cane is held."""
    head = [x for x, y in fig.points if y > 101]
    axis = sum(head) / len(head)
    body = [x for x, y in fig.points if y > 12]
    return "right" if max(body) - axis > axis - min(body) else "left"


@pytest.mark.parametrize("kind", ["Cane", "Four-foot cane"])
def test_cane_drawing_is_mirrored_for_the_stronger_side(plans, kind: str) -> None:
    left = _figures(plans["left"])[f"{kind} in your left hand"][1]
    right = _figures(plans["right"])[f"{kind} in your right hand"][1]
    assert _rounded(left.points) != _rounded(right.points)
    assert _mirrored(left.points) == _rounded(right.points)
    # Figures are seen from behind, so the left hand is on the left of the page.
    assert _far_side(left) == "left" and _far_side(right) == "right"
    # ...and the side is named in the drawing as well, for a reader who takes the figure as facing them.
    for side, fig in (("left", left), ("right", right)):
        number = _figures(plans[side])[f"{kind} in your {side} hand"][0]
        assert fig.text_ops == 1 and side.capitalize() in page_texts(plans[side].pdf)[number]


@pytest.mark.parametrize("side", ["left", "right"])
def test_brace_is_drawn_on_the_chosen_leg(plans, side: str) -> None:
    fig = _figures(plans[side])[f"Brace on your {side} leg"][1]
    head = [x for x, y in fig.points if y > 101]
    axis = sum(head) / len(head)
    brace = [x for width, pts in fig.strokes if width >= 12 for x, _ in pts]
    assert brace, "no brace drawn"
    assert all((x > axis) == (side == "right") for x in brace)


def test_braces_on_both_legs() -> None:
    both = drawing_for(Picture("ankle_foot_brace", "A brace on each leg", side="both"))
    one = drawing_for(Picture("ankle_foot_brace", "Brace on your left leg", side="left"))
    thick = [s for s in both.contents if getattr(s, "strokeWidth", 0) >= 12]
    assert len(thick) == 2 * len([s for s in one.contents if getattr(s, "strokeWidth", 0) >= 12]) == 2


def test_walker_shows_wheels_and_platforms_only_when_chosen() -> None:
    def count(picture: Picture, kind: str) -> int:
        return sum(type(s).__name__ == kind for s in drawing_for(picture).contents)

    plain = Picture("walker", "Walker")
    assert count(Picture("walker", "", wheels=True), "Circle") == count(plain, "Circle") + 1
    assert count(Picture("walker", "", platform=True), "Rect") == count(plain, "Rect") + 1


def test_passive_range_of_motion_shows_a_helper(plans) -> None:
    passive = _figures(plans["left"])["A helper moves your arm or leg for you"][1]
    active = _figures(plans["right"])["Move each joint on your own"][1]

    def heads(fig: Figure) -> int:  # filled circles are heads: 4 curve segments each, a thin edge
        return sum(1 for width, pts in fig.strokes if width < 3 and len(pts) == 13)

    assert heads(passive) == 2 and heads(active) == 1


def test_a_layout_can_turn_pictures_off(tmp_path: Path, plans) -> None:
    shutil.copy(LAYOUTS_DIR / "large-print.yaml", tmp_path / "large-print.yaml")
    (tmp_path / "plain.yaml").write_text("extends: large-print\ndescription: no pictures\npictures: false\n")
    layout = load_layout("plain", tmp_path)
    assert layout.pictures is False
    pdf = render(plans["right"].handout, layout)
    assert not any(shapes(p, reader(pdf)).figures for p in reader(pdf).pages)
    assert "Cane in your right hand" not in " ".join(page_texts(pdf))
    assert load_layout("large-print").pictures is True


def test_a_layout_with_a_wrong_pictures_value_is_refused(tmp_path: Path) -> None:
    shutil.copy(LAYOUTS_DIR / "large-print.yaml", tmp_path / "large-print.yaml")
    (tmp_path / "odd.yaml").write_text("extends: large-print\ndescription: odd\npictures: sometimes\n")
    with pytest.raises(HandoutError) as caught:
        load_layout("odd", tmp_path)
    assert any(p.field == "pictures" for p in caught.value.problems)


def test_pictures_stay_beside_their_captions_on_a_narrow_line(plans) -> None:
    """A 3 in line can't hold the drawing and its caption side by side; the caption goes below."""
    narrow = load_layout("large-print").model_copy(update={"max_line_inches": 3.0})
    pdf = render(plans["right"].handout, narrow)
    texts = " ".join(page_texts(pdf))
    assert "Cane in your right hand" in texts
    assert any(shapes(p, reader(pdf)).figures for p in reader(pdf).pages)


@pytest.mark.parametrize("layout", layout_names())
def test_no_word_in_a_picture_is_smaller_than_the_body_text(layout: str) -> None:
    """Side labels inside the drawings and the captions beside them, in every layout, at body size or more."""
    printed = _print(EVERYTHING.format(side="left", mode="passive"), layout)
    body = printed.layout.body.size
    pdf = reader(printed.pdf)
    texts = page_texts(printed.pdf)
    caption_of = {p.alt: p.caption for _, p in _pictured(printed)}
    checked = 0
    for number, page in enumerate(pdf.pages):
        figures = shapes(page, pdf).figures
        if not figures:
            continue
        words = {w for fig in figures for w in caption_of[fig.alt].split()} | {"Left"}
        for run in runs(page):
            text = run.text.strip()
            if text in words or any(text and text in caption_of[f.alt] for f in figures):
                assert run.size >= body, f"{layout}: '{run.text}' at {run.size:g} pt on page {number + 1}"
                checked += 1
        assert sum(fig.text_ops for fig in figures) <= 2
    assert checked >= 9 and "Left" in " ".join(texts)
    # Every word at body size, but the content's record (sources, version), which no layout sets under
    # the standard's 18 pt nor over it (issue 22: room for the cautions in extra-large).
    (closing,) = [b for b in printed.handout.blocks if b.id == "closing"]
    record = " ".join(" ".join(closing.lead[len(closing.lead) - closing.reference :]).split())
    assert closing.reference >= 1 and record.startswith("Sources:")
    sizes = [(r.size, " ".join(r.text.split())) for p in pdf.pages for r in runs(p) if r.text.strip()]
    assert min(size for size, text in sizes if text not in record) >= body
    assert min(size for size, _ in sizes) >= 18.0
    assert {size for size, text in sizes if text in record and len(text) > 20} == {min(body, 18.0)}


@pytest.mark.parametrize("body", [18.0, 24.0, 30.0])
@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("kind", ["cane", "quad_cane", "ankle_foot_brace"])
def test_side_labels_fit_inside_their_drawing(kind: str, side: str, body: float) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from handouts.pdf.pictures import LABEL_PT
    from handouts.pdf.text import fonts_for

    bold = fonts_for(load_layout("large-print")).bold
    drawing = drawing_for(Picture(kind, "", side=side), bold, body / LABEL_PT)
    (label,) = [s for s in drawing.contents if type(s).__name__ == "String"]
    assert label.fontSize == body and label.text == side.capitalize()
    width = stringWidth(label.text, bold, body)
    start = label.x - width if label.textAnchor == "end" else label.x
    assert 0 <= start and start + width <= drawing.width
    assert 0 <= label.y and label.y + body <= drawing.height


def test_extra_large_header_is_not_smaller_than_its_body() -> None:
    for name in layout_names():
        layout = load_layout(name)
        assert layout.header.size >= layout.body.size and layout.footer.size >= layout.body.size, name
