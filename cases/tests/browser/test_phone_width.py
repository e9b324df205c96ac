"""On a phone (375 px wide) the header wraps instead of running off the page, and no page scrolls sideways."""

import pytest

from cases.tests.browser.entry import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def sideways(page) -> dict:
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            header: document.querySelector('header.topbar').scrollWidth - document.querySelector('header.topbar').clientWidth,
            right: Math.max(...Array.from(document.querySelectorAll('header.topbar *'))
                     .map(e => e.getBoundingClientRect().right)) - window.innerWidth,
        })"""
    )


@pytest.mark.parametrize("persona", ["curator", "clinician_a"])
def test_no_sideways_scroll_at_375_px(browser, live_server, request, make_case, clinician_a, persona):
    case = make_case(user=clinician_a)
    user = request.getfixturevalue(persona)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, user.username)
        for url in ("/cases/", f"/cases/{case.registry_id}/", "/cases/new/"):
            page.goto(url)
            measured = sideways(page)
            assert measured["header"] <= 0, (url, measured)
            assert measured["right"] <= 0, (url, measured)
            assert measured["page"] <= 0, (url, measured)
    finally:
        context.close()
