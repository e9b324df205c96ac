"""Demo sites, accounts and the founding cases, for development only.

Idempotent: a second run finds everything in place and changes nothing.
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cases import access
from cases.founding_cases import FOUNDING_CASES
from cases.models import Case, Membership, Site
from cases.services import case_create

SITES = [
    ("literature", "Published case reports", ""),
    ("demo-clinic", "Demo rheumatology clinic", "CH"),
    ("other-clinic", "Another clinic", "DE"),
]
# username → (groups, member of sites, staff)
ACCOUNTS = {
    "clinician": ([], ["literature", "demo-clinic"], False),
    "clinician-b": ([], ["other-clinic"], False),
    "researcher": ([access.RESEARCHER], [], False),
    "curator": ([access.CURATOR], [], True),
}


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or "registry-demo"


@transaction.atomic
def load_demo(password: str | None = None) -> dict:
    password = password or demo_password()
    sites = {}
    for code, name, country in SITES:
        sites[code], _ = Site.objects.get_or_create(code=code, defaults={"name": name, "country": country})
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (access.RESEARCHER, access.CURATOR)}
    users = {}
    for username, (group_names, site_codes, staff) in ACCOUNTS.items():
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": staff})
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        for name in group_names:
            user.groups.add(groups[name])
        for code in site_codes:
            Membership.objects.get_or_create(user=user, site=sites[code], role=Membership.Role.CLINICIAN)
        users[username] = user
    created_cases = []
    for document in FOUNDING_CASES:
        exists = Case.objects.filter(site=sites["literature"], local_reference=document["local_reference"])
        if not exists.exists():
            created_cases.append(case_create(user=users["curator"], data=document).registry_id)
    return {"users": list(users), "created_cases": created_cases}
