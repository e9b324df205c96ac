import functools

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django_countries import countries

from cases.models.base import audited


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with their English names, as django-countries maintains them.

    A callable, so that a new release of the list needs no migration; the form offers them as a
    select, the API refuses any other code (before, "Germany" was cut to "Ge" and stored, and "XX" too).
    """
    return list(_country_choices(get_language()))


@functools.cache
def _country_choices(language: str | None) -> tuple[tuple[str, str], ...]:
    # Built once per language: django-countries translates and sorts 249 names on every pass, which was
    # an eighth of validating a case (every case and site's full_clean reads the choices).
    return tuple((code, str(name)) for code, name in countries)


UNKNOWN_COUNTRY = {
    "invalid_choice": "Unknown country code %(value)r: give the ISO 3166-1 two-letter code in capitals, "
    "e.g. DE for Germany."
}


@audited()
class Site(models.Model):
    """A contributing centre; ``literature`` holds cases abstracted from publications."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, choices=country_choices, error_messages=UNKNOWN_COUNTRY)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


@audited()
class Membership(models.Model):
    """A user's role at a site. Researchers and curators are groups, not memberships."""

    class Role(models.TextChoices):
        CLINICIAN = "clinician", "Clinician"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLINICIAN)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "site", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.role} at {self.site.code}"
