"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM
calls from a thread with a running loop unless told it is safe, which it is
here: the test thread only reads what the live server stored.
"""

import os

import pytest

from conftest import SiteFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page()`` → a page in a fresh browser session (its own cookies), on the live server."""
    contexts = []

    def open_one():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def literature(clinician_a):
    site = SiteFactory(code="literature", name="Published case reports")
    clinician_a.memberships.create(site=site)
    return site
