"""The address a request came from: what the login lockout and the API rate limit count by.

Behind a reverse proxy every request comes from the proxy's address, so the
client's is read from ``X-Forwarded-For`` — but only as many entries from the
right as there are proxies we run (``TRUSTED_PROXY_COUNT``): each proxy appends
the address it saw, and everything to the left of that is whatever the client
chose to send. With no trusted proxy the header is ignored altogether.
"""

from django.conf import settings


def client_address(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if len(forwarded) < proxies:
        # Not through all of our proxies (a health check from inside, a misrouted request).
        return remote_addr
    return forwarded[-proxies]
