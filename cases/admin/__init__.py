"""The curators' admin (issue 5): a site of its own, mounted at /admin/ by registry/urls.py."""

from cases.admin import accounts, case_admin, sources, vocabularies  # noqa: F401  (they register their admins)
from cases.admin.site import registry_admin

__all__ = ["registry_admin"]
