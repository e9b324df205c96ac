"""Every URL pattern of the project, tried by each of the five personas.

The patterns are read from the URL resolver, so a page or endpoint added
tomorrow is tried the day it is added; one this test cannot fill in fails
``test_every_pattern_is_tried`` until it is taught how. The rules checked here
are the ones that hold everywhere (the per-area tests check each page's own):
anonymous visitors reach nothing but the login pages; a case of another site is
a 404; only curators get into the admin; nobody meets a server error; and a
site's own reference of a case reaches only that site and curators.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver

from api.models import ApiToken
from cases.models import Case

pytestmark = pytest.mark.django_db

SECRET_REFERENCE = "A-SITE-ONLY-REF-4711"
PERSONAS = ["anonymous", "clinician_a", "clinician_b", "researcher", "curator"]
# Reachable without a session; everything else needs one.
PUBLIC = {"accounts/login/", "admin/login/", "healthz", "favicon.ico"}
# POST-only endpoints open to anonymous callers: a GET is refused, but not for want of a login.
PUBLIC_POST_ONLY = {"api/v1/auth/token/", "accounts/logout/", "admin/logout/"}
# Tried with GET only: a POST would end the session the rest of the test runs in.
NO_POST = {"accounts/logout/", "admin/logout/", "api/v1/auth/logout/"}


def patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from patterns(pattern, route)
        else:
            yield route, pattern.name


class Filler:
    """Turns a route into a URL about site A's case (or the object an admin page is about)."""

    def __init__(self, case, users):
        self.case, self.users = case, users

    def admin_object(self, name):
        match = re.match(r"(auth|cases|api)_([a-z]+)_", name or "")
        if not match:
            return self.case.pk
        app, model = match.groups()
        if (app, model) == ("cases", "case"):
            return self.case.pk
        if (app, model) == ("auth", "user"):
            return self.users["clinician_a"].pk
        if (app, model) == ("auth", "group"):
            return Group.objects.get(name="curator").pk
        from django.apps import apps

        return apps.get_model(app, model).objects.order_by("pk").values_list("pk", flat=True).first()

    def url(self, route, name):
        fills = [
            (
                r"<path:content_type_id>/<path:object_id>",
                f"{ContentType.objects.get_for_model(Case).pk}/{self.case.pk}",
            ),
            (r"<path:object_id>", str(self.admin_object(name))),
            (r"<id>", str(self.users["clinician_a"].pk)),
            (r"\(\?P<app_label>[^)]*\)", "cases"),
            (r"\(\?P<url>\.\*\)", "no-such-page/"),
            (r"<str:registry_id>|\(\?P<registry_id>\[\^/\]\+\)", self.case.registry_id),
            (r"<str:name>", "region"),
            (r"<slug:chart>", "serology"),
            (r"\.\*", "no-such-endpoint/"),
        ]
        for pattern, value in fills:
            route = re.sub(pattern, value, route)
        route = route.replace("^", "").replace("$", "")  # the anchors of regex routes
        if re.search(r"[<(\\]", route):
            raise LookupError(f"Do not know how to fill in the pattern {route!r} ({name}).")
        return "/" + route


@pytest.fixture
def world(request, make_case, clinician_a, clinician_b, researcher, curator):
    case = make_case(user=clinician_a, local_reference=SECRET_REFERENCE)
    ApiToken.issue(clinician_a)  # so that the admin's token pages show one
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    return Filler(case, users)


def client_for(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def all_urls(world):
    return [(route, world.url(route, name)) for route, name in patterns()]


def test_every_pattern_is_tried(world):
    urls = all_urls(world)
    assert len(urls) == len(list(patterns())) > 100


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_rules_that_hold_on_every_url(world, persona):
    client = client_for(world, persona)
    problems = []
    for _route, url in all_urls(world):
        path = url.lstrip("/")
        response = client.get(url)
        if response.status_code == 405 and path not in NO_POST:
            response = client.post(url)  # a POST-only endpoint: try it the way it is used
        status = response.status_code
        body = body_of(response)
        if status >= 500:
            problems.append(f"{url}: {status}")
        if persona == "anonymous" and path not in PUBLIC:
            if path.startswith("api/"):
                ok = status == 401 or (path in PUBLIC_POST_ONLY and 400 <= status < 500)
            elif path in PUBLIC_POST_ONLY and 400 <= status < 500:
                ok = True
            else:  # sent, perhaps by way of another page, to a login page
                landed = client.get(url, follow=True)
                ok = bool(landed.redirect_chain) and "login" in landed.request["PATH_INFO"]
            if not ok:
                problems.append(f"{url}: anonymous got {status}")
        if path.startswith("admin/") and persona not in ("curator",) and path != "admin/login/":
            if 200 <= status < 300:
                problems.append(f"{url}: {persona} got into the admin ({status})")
        names_case = world.case.registry_id in url or f"/case/{world.case.pk}/" in url
        if persona == "clinician_b" and names_case and not path.startswith("admin/") and status != 404:
            problems.append(f"{url}: clinician of another site got {status}, not 404")
        if persona in ("researcher", "clinician_b", "anonymous") and SECRET_REFERENCE.encode() in body:
            problems.append(f"{url}: {persona} received the site's own reference")
    assert not problems, "\n".join(problems)


def test_the_site_and_curators_do_see_the_reference(world):
    url = f"/api/v1/cases/{world.case.registry_id}/"
    for persona in ("clinician_a", "curator"):
        assert SECRET_REFERENCE in client_for(world, persona).get(url).content.decode()
