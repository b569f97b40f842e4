"""A clinic's own pictures and video code, read back from real PDFs: each picture where the figure
would be, at the figure's size with its shape kept, tagged as a Figure with the clinic's alt; the QR
code read by zbar from the page image opens the move's address, which the page also prints in words."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from clinic_media import VIDEO, clinic_content, picture
from pdfcheck import page_texts

from handouts.build import Printed, print_record
from handouts.inputs.content import load_content
from handouts.inputs.media import print_box
from handouts.inputs.yamlsource import parse_yaml
from handouts.pdf import clinic_image
from handouts.pdf.pictures import LABEL_PT, H, W
from handouts.pdf.qr import MIN_SIDE, MODULE, QrCode

ROOT = Path(__file__).resolve().parent.parent.parent
SHOULDER_ALT = "A woman raises her left arm in front of her to shoulder height"
ELBOW_ALT = "A man bends his right elbow and his hand comes up to his shoulder"

PATIENT = """
name: Test Person
patient_id: T-1
date: 2026-11-23
stronger_side: right
language: {language}
exercises:
  - shoulder_raise: {{mode: assisted}}
  - elbow_bend
  - ankle_pump
"""

PNG_SIZE, JPEG_SIZE = (1200, 900), (900, 1200)
"""A landscape PNG (fills the box's width) and a portrait JPEG (fills its height)."""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clinic")
    picture(folder / "pictures" / "shoulder.png", PNG_SIZE)
    picture(folder / "pictures" / "elbow.jpg", JPEG_SIZE)
    return clinic_content(
        folder,
        images={
            "shoulder_raise": f"{{file: pictures/shoulder.png, alt: {SHOULDER_ALT}}}",
            "elbow_bend": f"{{file: pictures/elbow.jpg, alt: {ELBOW_ALT}}}",
            "ankle_pump": "{file: pictures/shoulder.png, alt: The same picture again}",
        },
        videos={"shoulder_raise": VIDEO},
        spanish={
            "shoulder_raise": "{alt: Una mujer levanta el brazo izquierdo al frente}",
            "elbow_bend": "{alt: Un hombre dobla el codo derecho}",
            "ankle_pump": "{alt: La misma imagen otra vez}",
        },
    )


def _print(content: Path, layout: str | None = None, language: str = "en") -> Printed:
    located = parse_yaml(PATIENT.format(language=language), "test.yaml")
    return print_record(located, load_content(content), layout)


@pytest.fixture(scope="module")
def printed(content: Path) -> dict[str, Printed]:
    return {layout: _print(content, layout) for layout in ("large-print", "extra-large")}


def _placements(pdf: bytes) -> list[tuple[int, str, tuple[float, ...]]]:
    """Every raster image drawn: its page, its XObject's name and the matrix in force at its Do."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            images = {
                str(name): obj
                for name, obj in (page.Resources.get("/XObject") or {}).items()
                if obj.get("/Subtype") == "/Image"
            }
            ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
            stack = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q":
                    ctm = stack.pop()
                elif op == "cm":
                    ctm = _times(tuple(float(v) for v in operands), ctm)
                elif op == "Do" and str(operands[0]) in images:
                    found.append((number, str(operands[0]), ctm))
    return found


def _times(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _figures(pdf: bytes) -> list[str]:
    """The alt text of every Figure in the structure tree, in reading order."""
    alts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        walk(doc.Root.StructTreeRoot.K)
    return alts


@pytest.mark.parametrize("layout", ["large-print", "extra-large"])
def test_a_png_and_a_jpeg_print_at_the_figures_size_with_their_shape(printed: dict[str, Printed], layout: str):
    result = printed[layout]
    scale = max(1.0, result.layout.body.size / LABEL_PT)
    box_w, box_h = W * scale, H * scale
    placed = _placements(result.pdf)
    assert len(placed) == 3  # shoulder, elbow, and the shoulder's picture again for the ankle
    for (_, _, (a, b, c, d, _, _)), (px_w, px_h) in zip(placed, (PNG_SIZE, JPEG_SIZE, PNG_SIZE), strict=True):
        assert b == 0 and c == 0 and a > 0 and d > 0  # upright, not mirrored or turned
        assert a <= box_w + 0.01 and d <= box_h + 0.01
        assert abs(a - box_w) < 0.01 or abs(d - box_h) < 0.01  # as large as the box allows
        assert abs(a / d - px_w / px_h) < 0.005  # its shape kept
    # Never larger than the largest box the load check asked pixels for.
    assert max(p[2][0] for p in placed) <= print_box()[0] + 0.01


def test_each_picture_is_embedded_once_per_document(printed: dict[str, Printed], content: Path) -> None:
    pdf = printed["large-print"].pdf
    placed = _placements(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        streams = [o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert len(streams) == 2  # three placements, two files
        jpeg = [s for s in streams if "/DCTDecode" in str(s.get("/Filter"))]
        # The JPEG's own bytes, untouched.
        assert len(jpeg) == 1 and jpeg[0].read_raw_bytes() == (content.parent / "pictures" / "elbow.jpg").read_bytes()
    assert len({name for _, name, _ in placed}) == 2


def test_the_pictures_are_figures_with_the_clinics_alt(printed: dict[str, Printed], content: Path) -> None:
    alts = _figures(printed["large-print"].pdf)
    assert SHOULDER_ALT in alts and ELBOW_ALT in alts and "The same picture again" in alts
    spanish = _print(content, language="es")
    alts = _figures(spanish.pdf)
    assert "Una mujer levanta el brazo izquierdo al frente" in alts and SHOULDER_ALT not in alts


def test_the_qr_code_opens_the_moves_address_and_the_page_prints_it(
    printed: dict[str, Printed], tmp_path: Path
) -> None:
    pdf = printed["large-print"].pdf
    texts = page_texts(pdf)
    pages = [i for i, text in enumerate(texts) if "Scan with a phone camera to watch the video of this move" in text]
    assert len(pages) == 1
    (tmp_path / "h.pdf").write_bytes(pdf)
    number = pages[0] + 1
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", str(number), "-l", str(number), "-png", "h.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    image = next(tmp_path.glob("page*.png"))
    read = subprocess.run(["/usr/bin/zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert read.stdout.strip().splitlines() == [VIDEO]
    words = subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "h.pdf", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert VIDEO in words.replace("\n", "")  # in words, maybe broken over lines
    assert f"QR code: opens the clinic's video of Shoulder: raise your arm in front at {VIDEO}" in _figures(pdf)


def test_no_address_no_code(printed: dict[str, Printed]) -> None:
    """Only the move with a video has a code: one lead in the whole handout, one QR figure."""
    pdf = printed["large-print"].pdf
    assert sum(text.count("Scan with a phone camera") for text in page_texts(pdf)) == 1
    assert sum(alt.startswith("QR code") for alt in _figures(pdf)) == 1


@pytest.mark.parametrize("address", [VIDEO, "https://ex.org/a", "https://videos.example.org/" + "v" * 90])
def test_the_code_is_at_least_1_2_inches_with_1_mm_modules(address: str) -> None:
    code = QrCode(address)
    assert code.module >= MODULE and code.count * code.module >= MIN_SIDE - 1e-9
    assert MODULE / 72 >= 0.03


def test_printing_is_deterministic_and_reads_nothing_again(content: Path) -> None:
    first = _print(content)
    prepared = dict(clinic_image._prepared)
    second = _print(content)
    assert first.pdf == second.pdf
    assert clinic_image._prepared == prepared  # the pictures' PDF forms were made once per process


def test_through_the_cli_twice_same_bytes_and_a_bad_picture_refused(content: Path, tmp_path: Path) -> None:
    patient = tmp_path / "patient.yaml"
    patient.write_text(PATIENT.format(language="en"), encoding="utf-8")
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}.pdf"
        done = subprocess.run(
            [sys.executable, "generate.py", "handout", str(patient), "--content", str(content), "-o", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(_placements(outs[0])) == 3
    bad = clinic_content(tmp_path / "bad", images={"shoulder_raise": "{file: nowhere.png, alt: Nothing}"})
    done = subprocess.run(
        [sys.executable, "generate.py", "handout", str(patient), "--content", str(bad), "-o", str(tmp_path / "x.pdf")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and not (tmp_path / "x.pdf").exists()
    assert f"{bad}:" in done.stderr and ".image.file: nowhere.png does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_sideways_phone_photo_prints_upright_and_a_transparent_png_on_white(tmp_path: Path) -> None:
    """A phone stores a portrait photo as landscape pixels with an EXIF orientation tag: it prints
    portrait (decoded and turned once per process); a PNG with transparency prints, on white."""
    from PIL import Image

    photo = picture(tmp_path / "pictures" / "sideways.jpg", (1200, 900))
    with Image.open(photo) as im:
        exif = im.getexif()
        exif[0x0112] = 6  # "rotate 90 clockwise to view"
        im.save(photo, quality=90, exif=exif)
    clear = Image.new("RGBA", (1200, 900), (0, 0, 0, 0))
    clear.paste(Image.open(picture(tmp_path / "solid.png", (600, 450))).convert("RGBA"), (300, 225))
    clear.save(tmp_path / "pictures" / "clear.png")
    content = clinic_content(
        tmp_path,
        images={
            "shoulder_raise": "{file: pictures/sideways.jpg, alt: A photo taken on a phone held upright}",
            "elbow_bend": "{file: pictures/clear.png, alt: A drawing on a clear background}",
        },
    )
    pdf = _print(content).pdf
    (_, _, (a, _, _, d, _, _)), (_, _, (a2, _, _, d2, _, _)) = _placements(pdf)
    assert abs(a / d - 900 / 1200) < 0.005 and abs(d - H) < 0.01  # portrait, as large as the box's height
    assert abs(a2 / d2 - 1200 / 900) < 0.005
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert not any("/SMask" in o for o in images)  # flattened on white: nothing to blend
        assert sorted((int(o.Width), int(o.Height)) for o in images)[0] == (900, 1200)
