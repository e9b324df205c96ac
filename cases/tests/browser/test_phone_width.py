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
    # With follow-up and a biopsy: their tables and charts must fit too.
    case = make_case(
        user=clinician_a,
        biopsies=[{"tissue": "skin", "findings": ["calcification"], "notes": "Consistent with calcinosis."}],
        assessments=[
            {
                "months_from_presentation": month,
                "scores": [{"instrument": "pain_nrs", "value": 6 - month // 3}],
                "site_findings": [{"site_id": 0, "size_mm": 10 - month // 2, "change": "smaller" if month else ""}],
            }
            for month in (0, 6, 12)
        ],
    )
    user = request.getfixturevalue(persona)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, user.username)
        for url in (
            "/cases/",
            f"/cases/{case.registry_id}/",
            "/cases/new/",
            f"/cases/{case.registry_id}/edit/",
            "/cohort/",
        ):
            page.goto(url)
            measured = sideways(page)
            assert measured["header"] <= 0, (url, measured)
            assert measured["right"] <= 0, (url, measured)
            assert measured["page"] <= 0, (url, measured)
    finally:
        context.close()
