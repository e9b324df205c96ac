"""The simulated users of ``make load``: their accounts in the load database, and what each of them does.

Fifty simulated users are fifty accounts, so that each has its own token (and
its own share of the API's per-user rate limit), as fifty people would. Their
password is new and random on every run and is never printed or stored in
clear: a run can log in only the accounts it made.

Clinicians of the synthetic sites list, filter and open their site's cases
and enter new ones through the API; some of them use the browser pages
instead. Researchers read and export the whole registry, de-identified.
"""

import random
import secrets
import time
from dataclasses import dataclass, field

import requests

from bench.operations import case_with_40_rows

USERNAME_PREFIX = "load-"
FALLBACK_SITE = "demo-clinic"  # when the load database holds no synthetic sites

# What the list panel is used for: the filters of api.md alone and together, one with an ordering.
FILTERS = [
    {"condition": "ssc"},
    {"condition": "dm", "region": "hand"},
    {"condition": "ssc", "positive": "anti_scl70", "region": "hand"},
    {"primary_condition": "ssc_limited", "positive": "anti_centromere", "negative": "anti_scl70"},
    {"sex": "male", "age_min": "50"},
    {"agent": "diltiazem", "response": "partial"},
    {"feature": "raynaud", "region": "finger"},
    {"extent": "universalis"},
    {"q": "elbow"},
    {"condition": "sle", "ordering": "-age_at_presentation"},
]
# Exports of a few hundred cases at most: a researcher's export names a site too. A whole-registry
# export is a minutes-long download that `make bench` measures on its own; here it would be most of the run.
EXPORT_FILTERS = [
    {"condition": "ssc", "region": "hand"},
    {"condition": "dm"},
    {"positive": "anti_centromere"},
    {"agent": "diltiazem"},
]
# Relative weights of the requests each kind of user sends.
MIXES = {
    "clinician": {"list": 25, "filter": 25, "detail": 25, "export": 5, "create": 20},
    "clinician-browser": {"list": 35, "filter": 35, "detail": 30},
    "researcher": {"list": 25, "filter": 35, "detail": 25, "export": 15},
}
INVALID_SHARE = 0.05  # creates with an impossible age, refused with 400 and never stored
FOREIGN_SHARE = 0.05  # a clinician opening another site's case: a 404, never the document


@dataclass(frozen=True)
class Account:
    username: str
    role: str  # "clinician" or "researcher"
    site: str | None  # the clinician's one site
    browser: bool  # the browser pages with a session instead of the API with a token

    @property
    def mix(self) -> str:
        return f"{self.role}-browser" if self.browser else self.role


def plan(users: int, researchers: int, browser_clinicians: int) -> list[Account]:
    """Researchers read the whole registry; clinicians are spread over the synthetic sites in turn."""
    from cases.models import Site

    sites = list(Site.objects.filter(code__startswith="syn-").order_by("code").values_list("code", flat=True))
    sites = sites or [FALLBACK_SITE]
    accounts = [
        Account(f"{USERNAME_PREFIX}researcher-{n:02d}", "researcher", None, False) for n in range(1, researchers + 1)
    ]
    for n in range(1, users - researchers + 1):
        accounts.append(
            Account(
                f"{USERNAME_PREFIX}clinician-{n:02d}",
                "clinician",
                sites[(n - 1) % len(sites)],
                browser=n <= browser_clinicians,
            )
        )
    return accounts


def ensure_accounts(accounts: list[Account]) -> str:
    """Creates or resets the accounts with exactly the planned role; returns this run's password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from cases import access
    from cases.models import Membership, Site

    password = secrets.token_urlsafe(24)
    hashed = make_password(password)  # one hash for all: fifty would cost half a minute of PBKDF2
    with transaction.atomic():
        researchers = Group.objects.get_or_create(name=access.RESEARCHER)[0]
        curators = Group.objects.get_or_create(name=access.CURATOR)[0]
        sites = {site.code: site for site in Site.objects.filter(code__in={a.site for a in accounts if a.site})}
        User = get_user_model()
        for account in accounts:
            user, _ = User.objects.get_or_create(username=account.username)
            user.password, user.is_active, user.is_staff, user.is_superuser = hashed, True, False, False
            user.save(update_fields=["password", "is_active", "is_staff", "is_superuser"])
            user.groups.remove(curators)
            if account.role == "researcher":
                user.groups.add(researchers)
                Membership.objects.filter(user=user).delete()
            else:
                user.groups.remove(researchers)
                Membership.objects.filter(user=user).exclude(site=sites[account.site]).delete()
                Membership.objects.get_or_create(user=user, site=sites[account.site], role=Membership.Role.CLINICIAN)
    return password


@dataclass
class Outcome:
    kind: str  # e.g. "list", "filter (browser)", "export tables.zip", "create"
    status: int | None  # None: no answer (timeout, refused connection)
    seconds: float
    verdict: str  # "ok", "expected" (the 4xx the request was built to get) or "error"
    detail: str = ""


@dataclass
class Created:
    registry_id: str
    document: dict
    user: "SimulatedUser"


@dataclass
class SimulatedUser:
    """One account's session and its habits; ``run`` sends requests until the deadline or the budget runs out."""

    account: Account
    base: str
    session: requests.Session
    headers: dict
    rng: random.Random
    own_cases: list[str]  # registry ids this user may open
    foreign_cases: list[str]  # cases of other sites (clinicians: a 404 each)
    export_sites: list[str]  # researchers narrow their exports to one of these sites
    reference_prefix: str
    timeout: float
    think: float
    outcomes: list[Outcome] = field(default_factory=list)
    created: list[Created] = field(default_factory=list)
    refused_references: list[str] = field(default_factory=list)  # invalid documents sent
    next_page: str | None = None
    entered: int = 0

    def run(self, deadline: float, budget) -> None:
        actions = {
            "list": self.list_cases,
            "filter": self.filter_cases,
            "detail": self.open_case,
            "export": self.export_cases,
            "create": self.enter_case,
        }
        mix = MIXES[self.account.mix]
        kinds, weights = list(mix), list(mix.values())
        while time.monotonic() < deadline and budget():
            action = self.rng.choices(kinds, weights)[0]
            try:
                actions[action]()
            except Exception as exc:  # a bug of the harness is reported like an error of the server
                self.outcomes.append(Outcome(action, None, 0.0, "error", f"harness: {exc!r}"))
            pause = self.rng.uniform(0, self.think)
            if time.monotonic() + pause >= deadline:
                break
            time.sleep(pause)

    # --- what users do -------------------------------------------------------------------------

    def list_cases(self):
        if self.account.browser:
            page = self.rng.choice([1, 1, 1, 2, 3])
            self.send("list (browser)", "GET", "/cases/", params={"page": page} if page > 1 else None)
            return
        if self.next_page and self.rng.random() < 0.3:  # the next page of the last list, by its cursor
            response = self.send("list", "GET", self.next_page)
        else:
            params = {"page_size": 50}
            if self.rng.random() < 0.3:
                params["ordering"] = "-updated_at"
            response = self.send("list", "GET", "/api/v1/cases/", params=params)
        self.next_page = response.json().get("next") if response is not None and response.status_code == 200 else None

    def filter_cases(self):
        filters = self.rng.choice(FILTERS)
        if self.account.browser:
            self.send("filter (browser)", "GET", "/cases/", params=filters)
        else:
            self.send("filter", "GET", "/api/v1/cases/", params=filters)

    def open_case(self):
        if self.account.role == "clinician" and self.foreign_cases and self.rng.random() < FOREIGN_SHARE:
            registry_id, expected = self.rng.choice(self.foreign_cases), 404
        else:
            registry_id, expected = self.rng.choice(self.own_cases), 200
        if self.account.browser:
            self.send("detail (browser)", "GET", f"/cases/{registry_id}/", expected=expected)
        else:
            self.send("detail", "GET", f"/api/v1/cases/{registry_id}/", expected=expected)

    def export_cases(self):
        filters = dict(self.rng.choice(EXPORT_FILTERS))
        if self.account.role == "researcher":
            filters["site"] = self.rng.choice(self.export_sites)
        file = "tables.zip" if self.rng.random() < 0.25 else "cases.csv"
        self.send(f"export {file}", "GET", f"/api/v1/export/{file}", params=filters, stream=True)

    def enter_case(self):
        self.entered += 1
        invalid = self.rng.random() < INVALID_SHARE
        reference = f"{self.reference_prefix}{'bad-' if invalid else ''}{self.entered}"
        document = case_with_40_rows(self.account.site, reference, age=200 if invalid else self.rng.randint(18, 88))
        document["sex"] = self.rng.choice(["female", "female", "female", "male"])
        if invalid:
            self.refused_references.append(reference)
        response = self.send("create", "POST", "/api/v1/cases/", json=document, expected=400 if invalid else 201)
        if response is not None and response.status_code == 201:
            registry_id = response.json()["registry_id"]
            self.created.append(Created(registry_id, document, self))
            self.own_cases.append(registry_id)  # and may open it next, as a clinician would

    # --- one request, timed and judged --------------------------------------------------------

    def send(self, kind, method, path, *, params=None, json=None, expected=None, stream=False):
        expected = expected or (201 if method == "POST" else 200)
        url = path if path.startswith("http") else self.base + path
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=json,
                headers=self.headers,
                timeout=self.timeout,
                allow_redirects=False,
                stream=stream,
            )
            if stream:  # read it all, as a script saving the file would, without keeping it
                for _ in response.iter_content(chunk_size=256 * 1024):
                    pass
            else:
                response.content  # noqa: B018 -- the whole body is part of the time
        except requests.RequestException as exc:
            seconds = time.perf_counter() - started
            self.outcomes.append(Outcome(kind, None, seconds, "error", f"{method} {url}: {exc!r}"))
            return None
        seconds = time.perf_counter() - started
        if response.status_code == expected:
            verdict, detail = ("ok" if response.status_code < 400 else "expected"), ""
        else:
            body = "" if stream else response.text[:300]
            verdict, detail = "error", f"{method} {response.url} -> {response.status_code}, expected {expected}: {body}"
        self.outcomes.append(Outcome(kind, response.status_code, seconds, verdict, detail))
        return response
