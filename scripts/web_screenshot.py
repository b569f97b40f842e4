"""Take docs/web-form.png: the discharge form as a therapist fills it in, in Debian's chromium, 1280 px wide.

    PYTHONPATH=. python scripts/web_screenshot.py [OUT.png]

The form is served by the real server (waitress) on 127.0.0.1 from this checkout; nothing is downloaded.
Prints the page's height, to compare with two 800 px screens.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from handouts.inputs.settings import DeskSettings
from handouts.web.server import make_server

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main(out: Path) -> None:
    clinic = DeskSettings(clinic="Riverside Rehabilitation", therapist="Alex Kim, PT", phone="555-0100")
    server = make_server("127.0.0.1", 0, clinic)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"http://127.0.0.1:{server.effective_port}/")
            page.get_by_label("Patient's full name").fill("Maria Lopez")
            page.get_by_label("Patient ID").fill("004211")
            page.get_by_label("Date of birth").fill("04/02/1961")
            page.locator("#stronger-side").get_by_label("Left").check()
            page.get_by_label("Range of motion (ROM)").check()
            page.locator("#opts-range_of_motion").get_by_label("Passive").check()
            page.locator("#opts-range_of_motion").get_by_label("Times a day").fill("2")
            page.get_by_label("Aerobic exercise").check()
            page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).fill("15")
            page.locator("#opts-aerobic").get_by_label("Days a week").fill("3")
            page.get_by_label("Stretching").check()
            page.get_by_label("Quad cane").check()
            page.get_by_label("Ankle-foot orthosis (AFO)").check()
            page.locator("#opts-ankle_foot_brace").get_by_label("Right").check()
            page.get_by_label("Notes for the patient").fill("Use the quad cane indoors.")
            page.get_by_label("Patient's full name").focus()
            print(f"page height at 1280 px: {page.evaluate('document.documentElement.scrollHeight')} px")
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    finally:
        server.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/web-form.png"))
