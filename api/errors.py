"""Turns the services' refusals into the status codes of api.md.

400 the document or a parameter is wrong (nested like the document), 403 not
allowed, 404 unknown or not visible, 409 stale version or already verified,
412 bad If-Match.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.document.errors import AlreadyVerified, CaseValidationError, StaleVersion, messages_of


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The If-Match header does not name a version of this case."
    default_code = "precondition_failed"


def stale_version_body(exc: StaleVersion) -> dict:
    return {"version": [str(exc)], "current_version": exc.current}


def exception_handler(exc, context):
    if isinstance(exc, StaleVersion):
        return Response(stale_version_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, AlreadyVerified):
        return Response({"status": [str(exc)]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, CaseValidationError):
        return Response(exc.nested, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(messages_of(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
