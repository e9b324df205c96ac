"""Who may see and change what: the one place the access rules live.

Clinicians see and edit the cases of the sites they are members of.
The group ``researcher`` reads every case, de-identified. The group
``curator`` (and superusers) read and edit everything and verify cases.
"""

RESEARCHER = "researcher"
CURATOR = "curator"


def _groups(user) -> set[str]:
    # Cached on the user object: one query per request, however often asked.
    if not hasattr(user, "_registry_groups"):
        user._registry_groups = set(user.groups.values_list("name", flat=True))
    return user._registry_groups


def roles_read_with(user_id) -> dict:
    """The user's groups and sites as annotations on the query that finds the user (``user_id``: an ``OuterRef``
    to their id), for ``remember_roles``: an API token and its user's roles in one query, not three."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.postgres.expressions import ArraySubquery

    # Through the user's relation rather than an import of cases.models, which imports this module.
    memberships = get_user_model()._meta.get_field("memberships").related_model
    return {
        "registry_groups": ArraySubquery(Group.objects.filter(user=user_id).values("name")),
        "registry_site_ids": ArraySubquery(memberships.objects.filter(user=user_id).values("site_id")),
    }


def remember_roles(user, found) -> None:
    """The roles ``roles_read_with`` read beside ``found`` (the row that named the user), kept on the user."""
    user._registry_groups = set(found.registry_groups)
    user._registry_site_ids = set(found.registry_site_ids)


def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_curator(user) -> bool:
    return is_authenticated(user) and (user.is_superuser or CURATOR in _groups(user))


def is_researcher(user) -> bool:
    """A reader of de-identified records (a curator is never treated as one)."""
    return is_authenticated(user) and not is_curator(user) and RESEARCHER in _groups(user)


def clinician_site_ids(user) -> set[int]:
    if not is_authenticated(user):
        return set()
    if not hasattr(user, "_registry_site_ids"):
        user._registry_site_ids = set(user.memberships.values_list("site_id", flat=True))
    return user._registry_site_ids


def reads_everything(user) -> bool:
    return is_curator(user) or is_researcher(user)


def sees_identifiers(user, case) -> bool:
    """Local references and full dates: the case's own site and curators."""
    return is_curator(user) or case.site_id in clinician_site_ids(user)


def sees_identifiers_in_bulk(user) -> bool:
    """``sees_identifiers`` for something that spans many cases at once (an export, a text search).

    True only when every case the user can read is one whose identifiers they see:
    curators, and clinicians (who read only their own sites). Anyone who reads
    beyond their own sites without being a curator gets the de-identified form
    throughout, own-site cases included.
    """
    return is_curator(user) or not reads_everything(user)


def can_edit_at_site(user, site_id: int) -> bool:
    return is_curator(user) or site_id in clinician_site_ids(user)


def can_enter_cases(user) -> bool:
    """Clinicians of at least one site and curators enter cases; researchers only read."""
    return is_curator(user) or bool(clinician_site_ids(user))


def role_label(user) -> str:
    if is_curator(user):
        return "curator"
    if is_researcher(user):
        return "researcher"
    if clinician_site_ids(user):
        return "clinician"
    return "none"
