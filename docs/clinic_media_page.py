"""Print the example with a clinic's own picture and video for one move, for docs/clinic-media-page.png.

The picture is a stand-in drawn here with Pillow (a person in a chair raising an arm, in greys, the
way a photo prints); the content is the shipped one with `image:` and `video:` added to shoulder_raise.
Run from the repository root:
    PYTHONPATH=.:tests python docs/clinic_media_page.py /tmp/clinic-media
    pdftoppm -png -r 60 -f 2 -l 3 /tmp/clinic-media/lee.pdf /tmp/clinic-media/page
    python -c "from PIL import Image; a, b = (Image.open(f'/tmp/clinic-media/page-0{n}.png') for n in (2, 3)); \
s = Image.new('RGB', (a.width + b.width + 10, a.height), 'white'); s.paste(a); s.paste(b, (a.width + 10, 0)); \
s.save('docs/clinic-media-page.png')"
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clinic_media import VIDEO, clinic_content
from PIL import Image, ImageDraw


def stand_in(path: Path) -> None:
    """1200 x 900 pixels: a wall, a floor, a chair, and a person raising the left arm in front."""
    im = Image.new("RGB", (1200, 900), (214, 214, 210))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 700, 1200, 900), fill=(170, 160, 150))  # the floor
    draw.rectangle((380, 520, 760, 560), fill=(90, 70, 55))  # the seat
    draw.rectangle((720, 260, 760, 560), fill=(90, 70, 55))  # the back
    for x in (390, 720):
        draw.rectangle((x, 560, x + 30, 780), fill=(90, 70, 55))
    draw.ellipse((530, 110, 650, 240), fill=(120, 90, 75))  # head
    draw.rounded_rectangle((520, 240, 680, 530), radius=40, fill=(40, 80, 120))  # body in a blue shirt
    draw.rounded_rectangle((380, 500, 640, 570), radius=30, fill=(50, 50, 60))  # thigh
    draw.rounded_rectangle((380, 520, 440, 780), radius=25, fill=(50, 50, 60))  # shin
    draw.line((560, 280, 260, 280), fill=(40, 80, 120), width=60)  # the arm raised in front
    draw.ellipse((215, 250, 275, 310), fill=(120, 90, 75))  # hand
    draw.line((640, 290, 660, 480), fill=(40, 80, 120), width=55)  # the other arm down
    im.save(path)


def main(out: str) -> None:
    folder = Path(out)
    (folder / "pictures").mkdir(parents=True, exist_ok=True)
    stand_in(folder / "pictures" / "shoulder.png")
    alt = "A woman sits in a chair and raises her left arm in front of her to shoulder height"
    content = clinic_content(
        folder,
        images={"shoulder_raise": f"{{file: pictures/shoulder.png, alt: {alt}}}"},
        videos={"shoulder_raise": VIDEO},
    )
    root = Path(__file__).resolve().parent.parent
    patient = root / "examples" / "lee-chen-moves.yaml"
    subprocess.run(
        [
            sys.executable,
            "generate.py",
            "handout",
            str(patient),
            "--content",
            str(content),
            "-o",
            str(folder / "lee.pdf"),
        ],
        cwd=root,
        check=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
