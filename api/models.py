"""API tokens: what a researcher's script sends instead of a password.

Only a SHA-256 digest of each token is stored, so a copy of the database
(a backup, a dump for debugging) does not hand out working credentials.

A token is bound to the password it was issued under, the way Django binds a
browser session: it keeps the user's session auth hash (an HMAC of the
password hash), and once a new password is set — on the password page, in the
admin or in a shell — the two differ and the token is refused.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare

# How stale ``last_used_at`` may be: writing it on every request would turn every read into a write.
LAST_USE_PRECISION = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def current(self) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def matching(self, key: str) -> "ApiTokenQuerySet":
        return self.filter(key_digest=digest(key))

    def no_longer_valid_for(self, user) -> "ApiTokenQuerySet":
        """``user``'s tokens that expired or were issued under another password."""
        return self.filter(user=user).filter(
            Q(expires_at__lte=timezone.now()) | ~Q(session_auth_hash=user.get_session_auth_hash())
        )


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so a person can tell their tokens apart in the admin.
    prefix = models.CharField(max_length=8, editable=False)
    # The user's get_session_auth_hash() at issue: a new password changes it, and the token is refused.
    session_auth_hash = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    expires_at = models.DateTimeField("expires")
    # Written at most once per LAST_USE_PRECISION; empty until the token is first used.
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)

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

    @property
    def is_of_the_current_password(self) -> bool:
        return constant_time_compare(self.session_auth_hash, self.user.get_session_auth_hash())

    @property
    def works(self) -> bool:
        """Whether a request sending this token is let in."""
        return self.is_current and self.user.is_active and self.is_of_the_current_password

    def record_use(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USE_PRECISION:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    @classmethod
    def issue(cls, user) -> tuple["ApiToken", str]:
        """A new token for ``user``; the plain key is returned once and never stored."""
        cls.objects.no_longer_valid_for(user).delete()
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_digest=digest(key),
            prefix=key[:8],
            session_auth_hash=user.get_session_auth_hash(),
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        return token, key
