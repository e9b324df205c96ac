from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from cases.models.base import audited

country_validator = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter ISO 3166-1 code, e.g. TR.")


@audited()
class Site(models.Model):
    """A contributing centre; ``literature`` holds cases abstracted from publications."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, validators=[country_validator])

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
