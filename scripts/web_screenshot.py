"""Take docs/web-form.png: the discharge form as a therapist fills it in, in Debian's chromium.

    PYTHONPATH=. python scripts/web_screenshot.py [OUT.png]

The form is served on 127.0.0.1 from this checkout; nothing is downloaded.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from handouts.inputs.settings import FormDefaults
from handouts.web.app import create_app

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main(out: Path) -> None:
    clinic = FormDefaults(clinic="Riverside Rehabilitation", therapist="Alex Kim, PT", phone="555-0100")
    server = make_server("127.0.0.1", 0, create_app(clinic), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            page.get_by_label("Patient's full name").fill("Maria Lopez")
            page.get_by_label("Patient ID").fill("004211")
            page.locator("#stronger-side").get_by_label("Left").check()
            page.get_by_label("Moving your joints").check()
            page.locator("#opts-range_of_motion").get_by_label("Passive").check()
            page.locator("#opts-range_of_motion").get_by_label("Times a day").fill("2")
            page.get_by_label("Stretching").check()
            page.locator("#f-quad_cane").check()
            page.get_by_label("Ankle and foot brace").check()
            page.locator("#opts-ankle_foot_brace").get_by_label("Right").check()
            page.get_by_label("Notes for the patient").fill("Use the quad cane indoors.")
            page.get_by_label("Patient's full name").focus()
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/web-form.png"))
