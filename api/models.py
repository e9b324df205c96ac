"""API tokens: what a researcher's script sends instead of a password.

Only a SHA-256 digest of each token is stored, so a copy of the database
(a backup, a dump for debugging) does not hand out working credentials.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def current(self) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def matching(self, key: str) -> "ApiTokenQuerySet":
        return self.filter(key_digest=digest(key))


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so a person can tell their tokens apart in the admin.
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]
        indexes = [
            # Clearing a user's expired tokens when they log in again.
            models.Index(fields=["user", "expires_at"], name="apitoken_user_expires_idx"),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def is_current(self) -> bool:
        return self.expires_at > timezone.now()

    @classmethod
    def issue(cls, user) -> tuple["ApiToken", str]:
        """A new token for ``user``; the plain key is returned once and never stored."""
        cls.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_digest=digest(key),
            prefix=key[:8],
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        return token, key
