from django.conf import settings
from rest_framework.throttling import UserRateThrottle

from registry.client_address import client_address


class PerUserRateThrottle(UserRateThrottle):
    """Each user's requests per period (``API_RATE_LIMIT``, e.g. "1200/min"); beyond it, 429 with Retry-After.

    Read from settings on every request (DRF's own throttle freezes its rates at
    import), so a deployment or a test can change it. The counters live in the
    default cache: per process with the local-memory cache, shared with a shared one.
    """

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_ident(self, request):
        # Anonymous callers (the token endpoint) are counted by address: the one the login lockout uses,
        # not DRF's own reading, which believes any X-Forwarded-For a client sends.
        return client_address(request)
