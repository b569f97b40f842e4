"""A clinic's own picture and video in content.yaml (handouts/inputs/media.py), checked on load: each
bad file or address is refused with the content file, the line and the field, on real files."""

from __future__ import annotations

import math
import os
import re
import time
from pathlib import Path

import pytest
from clinic_media import VIDEO, clinic_content, line_of, picture

from handouts.errors import HandoutError
from handouts.inputs.content import load_content
from handouts.inputs.media import MAX_BYTES, MIN_PPI, print_box
from handouts.inputs.translation import load_translation

ALT = "A woman raises her left arm in front of her to shoulder height"


def _sharp() -> tuple[int, int]:
    """Pixels for a 4:3 picture at 200 per inch at the largest printed size: enough, with room."""
    box_w, box_h = print_box()
    return math.ceil(box_w / 72 * 200), math.ceil(box_w / 72 * 200 * 3 / 4)


def _refused(content: Path) -> list[str]:
    with pytest.raises(HandoutError) as caught:
        load_content(content)
    return [str(p) for p in caught.value.problems]


def _one(tmp_path: Path, file: str, alt: str = ALT) -> tuple[Path, list[str]]:
    content = clinic_content(tmp_path, images={"shoulder_raise": f"{{file: {file}, alt: {alt}}}"})
    return content, _refused(content)


def _at(content: Path, field: str) -> str:
    """The start every problem with the image's file has: the content file, the line, the field."""
    line = line_of(content.read_text(encoding="utf-8"), "image: {file:")
    return f"{content}:{line}: {field}: "


def test_a_png_and_a_jpeg_load_and_are_found_beside_the_content(tmp_path: Path) -> None:
    picture(tmp_path / "pictures" / "shoulder.png", _sharp())
    picture(tmp_path / "pictures" / "elbow.jpeg", _sharp())
    content = clinic_content(
        tmp_path,
        images={
            "shoulder_raise": f"{{file: pictures/shoulder.png, alt: {ALT}}}",
            "elbow_bend": "{file: pictures/elbow.jpeg, alt: An arm bends at the elbow}",
        },
        videos={"shoulder_raise": VIDEO},
    )
    loaded = load_content(content)
    shoulder = loaded.section("shoulder_raise")
    assert shoulder.image is not None and shoulder.image.path == tmp_path / "pictures" / "shoulder.png"
    assert shoulder.image.alt == ALT and shoulder.video == VIDEO
    assert loaded.section("elbow_bend").image is not None


def test_a_clinic_move_with_a_picture_needs_no_figure(tmp_path: Path) -> None:
    """A move a clinic adds prints its own picture: `figure` is then not required."""
    picture(tmp_path / "towel.png", _sharp())
    content = clinic_content(tmp_path)
    with content.open("a", encoding="utf-8") as f:
        f.write(TOWEL_SLIDE)
    move = load_content(content).section("towel_slide")
    assert move.figure is None and move.image is not None and move.image.path == tmp_path / "towel.png"


TOWEL_SLIDE = """
  - id: towel_slide
    kind: exercise
    category: range_of_motion
    joint: shoulder
    title: "Shoulder: slide a towel on the table"
    reason: Sliding your arm on a towel keeps the shoulder moving with little effort.
    steps:
      - Sit at a table with a small towel under your hand.
      - Slide your hand forward on the towel, as far as is easy.
      - Slide it back.
    how_often: Every day.
    source: Riverside Rehabilitation
    caption: Slide the towel forward, then back
    image: {file: towel.png, alt: A hand on a towel slides forward on a table}
    video: https://videos.example.org/riverside/towel-slide
"""


def test_corrupt_bytes_are_refused(tmp_path: Path) -> None:
    path = picture(tmp_path / "shoulder.png", _sharp())
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # a damaged block in the pixels: the PNG's checksum no longer matches
    path.write_bytes(bytes(data))
    content, problems = _one(tmp_path, "shoulder.png")
    assert len(problems) == 1 and problems[0].startswith(_at(content, _field(content)))
    assert "shoulder.png is damaged" in problems[0]


def test_a_cut_off_jpeg_is_refused(tmp_path: Path) -> None:
    path = picture(tmp_path / "shoulder.jpg", _sharp())
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    content, problems = _one(tmp_path, "shoulder.jpg")
    assert len(problems) == 1 and problems[0].startswith(_at(content, _field(content)))
    assert "damaged" in problems[0]


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    with path.open("wb") as f:  # a PNG's first bytes, then 50 MB of nothing (sparse: written at once)
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(50_000_000)
    content = clinic_content(tmp_path, images={"shoulder_raise": f"{{file: huge.png, alt: {ALT}}}"})
    started = time.perf_counter()
    problems = _refused(content)
    assert time.perf_counter() - started < 5
    assert len(problems) == 1 and problems[0].startswith(_at(content, _field(content)))
    assert f"huge.png is 50.0 MB; a picture may be at most {MAX_BYTES // 1_000_000} MB" in problems[0]


def test_a_20_dpi_picture_is_refused_with_the_pixels_it_needs(tmp_path: Path) -> None:
    box_w, box_h = print_box()
    size = (round(box_w / 72 * 20), round(box_h / 72 * 20))
    picture(tmp_path / "small.png", size)
    content, problems = _one(tmp_path, "small.png")
    assert len(problems) == 1 and problems[0].startswith(_at(content, _field(content)))
    assert f"small.png is {size[0]} x {size[1]} pixels, 20 per inch" in problems[0]
    assert f"needs {MIN_PPI} per inch" in problems[0]
    # What it asks for is the largest printed size at 150 per inch (to a pixel: the file's rounding).
    need = re.search(r"at least (\d+) x (\d+) pixels$", problems[0])
    assert need is not None
    assert abs(int(need[1]) - box_w / 72 * MIN_PPI) <= 8 and abs(int(need[2]) - box_h / 72 * MIN_PPI) <= 8


def test_enough_pixels_pass_and_one_too_few_fails(tmp_path: Path) -> None:
    """The line is at 150 per inch of the largest printed size, whatever the picture's shape."""
    box_w, box_h = print_box()
    tall = (math.ceil(box_h / 72 * MIN_PPI * 0.5), math.ceil(box_h / 72 * MIN_PPI))  # fits by its height
    picture(tmp_path / "tall.png", tall)
    load_content(clinic_content(tmp_path, images={"shoulder_raise": f"{{file: tall.png, alt: {ALT}}}"}))
    picture(tmp_path / "short.png", (tall[0], tall[1] - 2))
    _, problems = _one(tmp_path, "short.png")
    assert "per inch" in problems[0]


def test_a_png_named_jpg_is_refused_with_the_right_name(tmp_path: Path) -> None:
    picture(tmp_path / "pictures" / "shoulder.jpg", _sharp(), fmt="PNG")
    content, problems = _one(tmp_path, "pictures/shoulder.jpg")
    assert problems == [f"{_at(content, _field(content))}shoulder.jpg is a PNG file named .jpg; rename it to .png"]


def test_a_gif_is_refused(tmp_path: Path) -> None:
    picture(tmp_path / "shoulder.png", _sharp(), fmt="GIF")
    content, problems = _one(tmp_path, "shoulder.png")
    assert problems == [f"{_at(content, _field(content))}shoulder.png is a GIF file; save it as PNG or JPEG"]


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    content, problems = _one(tmp_path, "pictures/nowhere.png")
    assert len(problems) == 1 and problems[0].startswith(_at(content, _field(content)))
    assert "pictures/nowhere.png does not exist" in problems[0]


def test_a_file_outside_the_content_folder_is_refused_an_absolute_one_is_not(tmp_path: Path) -> None:
    outside = picture(tmp_path / "elsewhere" / "shoulder.png", _sharp())
    content, problems = _one(tmp_path / "clinic", "../elsewhere/shoulder.png")
    assert len(problems) == 1 and problems[0].startswith(_at(content, _field(content)))
    assert "is outside" in problems[0]
    content = clinic_content(tmp_path / "clinic", images={"shoulder_raise": f"{{file: {outside}, alt: {ALT}}}"})
    assert load_content(content).section("shoulder_raise").image is not None


def test_a_missing_alt_is_refused(tmp_path: Path) -> None:
    picture(tmp_path / "shoulder.png", _sharp())
    content = clinic_content(tmp_path, images={"shoulder_raise": "{file: shoulder.png}"})
    problems = _refused(content)
    line = line_of(content.read_text(encoding="utf-8"), "image: {file:")
    assert problems == [f"{content}:{line}: {_field(content).replace('.file', '.alt')}: is required"]


def test_an_alt_of_only_spaces_is_refused(tmp_path: Path) -> None:
    picture(tmp_path / "shoulder.png", _sharp())
    content = clinic_content(tmp_path, images={"shoulder_raise": '{file: shoulder.png, alt: "   "}'})
    problems = _refused(content)
    line = line_of(content.read_text(encoding="utf-8"), "image: {file:")
    field = _field(content).replace(".file", ".alt")
    assert problems == [
        f"{content}:{line}: {field}: is blank; say in a sentence what the picture shows, for a reader who can't see it"
    ]


def test_a_picture_on_a_general_section_is_refused(tmp_path: Path) -> None:
    picture(tmp_path / "shoulder.png", _sharp())
    content = clinic_content(tmp_path, images={"safety": f"{{file: shoulder.png, alt: {ALT}}}"})
    problems = _refused(content)
    assert len(problems) == 1 and "only an exercise or a device prints a picture" in problems[0]
    assert problems[0].startswith(f"{content}:{line_of(content.read_text(encoding='utf-8'), 'image: {file:')}: ")


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("http://videos.example.org/shoulder", "is an http: address"),
        ("https://", "has no web site's name"),
        ("https//videos.example.org/shoulder", "is not an https:// address"),
        ("'https://videos.example.org/shoulder raise'", "has a space"),
        ("https://x", "has no web site's name"),
        ("https://videos.example.org/" + "a" * 120, "use the video site's short share link"),
    ],
    ids=["http", "no-host", "no-colon", "space", "one-word-host", "too-long"],
)
def test_a_bad_video_address_is_refused_on_load(tmp_path: Path, address: str, said: str) -> None:
    content = clinic_content(tmp_path, videos={"shoulder_raise": address})
    problems = _refused(content)
    line = line_of(content.read_text(encoding="utf-8"), "video: ")
    assert len(problems) == 1 and problems[0].startswith(f"{content}:{line}: sections[")
    assert ".video: " in problems[0] and said in problems[0]


def test_the_spanish_alt_is_required_like_any_other_words(tmp_path: Path) -> None:
    """A Spanish handout of a move with a picture needs the Spanish alt: the translation is refused on
    load without it, as it is without a caption the English has."""
    picture(tmp_path / "shoulder.png", _sharp())
    image = {"shoulder_raise": f"{{file: shoulder.png, alt: {ALT}}}"}
    content = clinic_content(tmp_path, images=image)
    with pytest.raises(HandoutError) as caught:
        load_translation(content, "es")
    spanish = tmp_path / "content.es.yaml"
    line = line_of(spanish.read_text(encoding="utf-8"), "- id: shoulder_raise")
    assert [str(p) for p in caught.value.problems] == [
        f"{spanish}:{line}: sections[{_spanish_index(spanish)}] (shoulder_raise).image: {content} has a picture: "
        "give its words here, image: {alt: ...}"
    ]
    alt = "Una mujer levanta el brazo al frente"
    content = clinic_content(tmp_path, images=image, spanish={"shoulder_raise": f"{{alt: {alt}}}"})
    translated = load_translation(content, "es").section("shoulder_raise")
    assert translated.image is not None and translated.image.alt == alt
    assert translated.image.path == tmp_path / "shoulder.png"


def test_a_picture_is_read_once_per_process(tmp_path: Path) -> None:
    """Loading the content again reads nothing new while the file is unchanged; a changed file is read."""
    from handouts.inputs import media

    path = picture(tmp_path / "shoulder.png", _sharp())
    content = clinic_content(tmp_path, images={"shoulder_raise": f"{{file: shoulder.png, alt: {ALT}}}"})
    first = load_content(content).section("shoulder_raise").image
    checked = media.checked_image(path)
    load_content(content)
    assert media.checked_image(path) is checked
    picture(path, (_sharp()[0] + 10, _sharp()[1]))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert media.checked_image(path) is not checked and first is not None


def _field(content: Path) -> str:
    """`sections[N].image.file` for shoulder_raise, N counted in the file as written."""
    text = content.read_text(encoding="utf-8").split("\nsections:", 1)[1]
    ids = [line.split("id:", 1)[1].strip() for line in text.splitlines() if line.startswith("  - id:")]
    return f"sections[{ids.index('shoulder_raise')}].image.file"


def _spanish_index(spanish: Path) -> int:
    text = spanish.read_text(encoding="utf-8").split("\nsections:", 1)[1]
    ids = [line.split("id:", 1)[1].strip() for line in text.splitlines() if line.startswith("  - id:")]
    return ids.index("shoulder_raise")


def test_a_spanish_picture_the_english_lacks_is_refused(tmp_path: Path) -> None:
    content = clinic_content(tmp_path, spanish={"shoulder_raise": "{alt: Una mujer levanta el brazo}"})
    with pytest.raises(HandoutError) as caught:
        load_translation(content, "es")
    spanish = tmp_path / "content.es.yaml"
    line = line_of(spanish.read_text(encoding="utf-8"), "- id: shoulder_raise")
    assert [str(p) for p in caught.value.problems] == [
        f"{spanish}:{line}: sections[{_spanish_index(spanish)}] (shoulder_raise).image: {content} has no picture "
        "for this section; take image: out"
    ]
