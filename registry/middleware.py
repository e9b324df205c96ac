"""Per request: read from a replica, or from the primary (``registry.db``, ``registry.router``).

A request reads from a replica when it only reads (GET, HEAD, OPTIONS), is not
for the curators' admin, and its client has not written in the last
``READ_YOUR_WRITES_SECONDS``: a replica replays the primary's changes a moment
late, and a clinician who has just saved a case must see it on the next page.
Every other request, and everything in it, goes to the primary.

"Has written" is remembered where every gunicorn worker and host finds it:
in a signed cookie (a browser, or any client that keeps cookies), and under the
digest of the request's ``Authorization`` header in the cache (a script with a
token that keeps no cookies; shared between workers once ``REDIS_URL`` is set).
"""

import hashlib
import random

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from registry.db import read_from

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
WROTE_COOKIE = "registry_wrote"
_SALT = "registry.middleware.wrote"


def _wrote_key(authorization: str) -> str:
    # A digest: the cache must not hold the tokens themselves.
    return "registry:wrote:" + hashlib.sha256(authorization.encode()).hexdigest()


class ReadReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        replicas = settings.REPLICA_DATABASES
        if not replicas:
            return self.get_response(request)
        reads_only = request.method in SAFE_METHODS and not self._for_the_admin(request)
        # One replica for the whole request: two replicas may stand at different points of the primary's past.
        read_from(random.choice(replicas) if reads_only and not self._wrote_recently(request) else None)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            self._remember_the_write(request, response)
        return response

    def _for_the_admin(self, request) -> bool:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return request.path_info.startswith(self._admin_prefix)

    def _wrote_recently(self, request) -> bool:
        window = settings.READ_YOUR_WRITES_SECONDS
        if request.get_signed_cookie(WROTE_COOKIE, default=None, salt=_SALT, max_age=window) is not None:
            return True
        authorization = request.headers.get("Authorization")
        return bool(authorization) and cache.get(_wrote_key(authorization)) is not None

    def _remember_the_write(self, request, response) -> None:
        window = settings.READ_YOUR_WRITES_SECONDS
        response.set_signed_cookie(
            WROTE_COOKIE,
            "1",
            salt=_SALT,
            max_age=window,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        authorization = request.headers.get("Authorization")
        if authorization:
            cache.set(_wrote_key(authorization), 1, timeout=window)
