"""What a locked-out login sees: a page in the browser, JSON on the API, both a 429 that says how long."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    message = (
        f"Too many failed logins for this account from this address. "
        f"Try again in {minutes} minutes, or ask a curator to unlock it."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
