"""Takes the screenshots of the README with Playwright and Debian's Chromium.

Against a registry with the demo loaded (``make run``), from another shell:

    .venv/bin/python docs/screenshots/take_screenshots.py --base-url http://127.0.0.1:8000

It logs in as the demo clinician and only reads: the case list, the entry form and the case page of the Sjögren
founding case. The PNGs are written next to this file.
"""

import argparse
import os
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="clinician")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD") or "registry-demo")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=args.base_url, viewport={"width": 1360, "height": 900})
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(args.username)
        page.get_by_label("Password").fill(args.password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/cases/$"))

        page.goto("/cases/?ordering=registry_id")
        page.screenshot(path=HERE / "case-list.png")

        page.goto("/cases/?positive=anti_ro_ssa&region=finger&ordering=registry_id")
        registry_id = page.locator("tr[data-registry-id]").first.get_attribute("data-registry-id")

        page.goto(f"/cases/{registry_id}/")
        page.set_viewport_size({"width": 1360, "height": 1280})
        page.screenshot(path=HERE / "case-page.png")
        page.set_viewport_size({"width": 1360, "height": 900})

        page.goto(f"/cases/{registry_id}/edit/")
        page.screenshot(path=HERE / "case-entry.png")
        page.locator("#section-features").evaluate("e => e.scrollIntoView()")
        page.screenshot(path=HERE / "case-entry-features.png")
        page.locator("#section-treatments").evaluate("e => e.scrollIntoView()")
        page.screenshot(path=HERE / "case-entry-treatments.png")
        browser.close()
    print(f"Screenshots of {registry_id} and the list written to {HERE}")


if __name__ == "__main__":
    main()
