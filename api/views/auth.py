"""Tokens for scripts: ``POST auth/token/`` with a username and password, ``POST auth/logout/`` to revoke it,
``POST auth/logout-all/`` to revoke every token of the account (a leaked script, a lost laptop)."""

from django.contrib.auth import authenticate, logout
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as shapes
from api.models import ApiToken
from api.views.cases import ERRORS


class TokenView(APIView):
    # Anyone may ask; the password is the credential. No session: no CSRF to trip over.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    serializer_class = shapes.TokenIn

    @extend_schema(
        summary="Get a token",
        description="Your username and password give a token for scripts, valid for API_TOKEN_TTL_HOURS (a week by "
        "default) and stored only as a hash. Wrong credentials are a 400; after repeated failures for one username "
        "from one address, a 429 until the lockout passes. A new password revokes every token.",
        request=shapes.TokenIn,
        responses={
            200: shapes.TokenOut,
            400: ERRORS[400],
            429: OpenApiResponse(description="Locked out after repeated failed logins."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        credentials = shapes.TokenIn(data=request.data)
        credentials.is_valid(raise_exception=True)
        # The Django request, so that django-axes can count failures and lock out guessing.
        user = authenticate(
            request._request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            raise Throttled(detail="Too many failed logins; try again later.")
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": ["Unable to log in with these credentials."]})
        token, key = ApiToken.issue(user)
        return Response({"token": key, "expires": token.expires_at.isoformat()})


class LogoutView(APIView):
    @extend_schema(
        summary="Revoke the token of this request (or end the browser session)",
        description="The token sent with this request stops working; your other tokens stay valid "
        "(POST /api/v1/auth/logout-all/ revokes them all). Without a token, the browser session is ended.",
        request=None,
        responses={204: OpenApiResponse(description="Logged out."), 401: ERRORS[401]},
        tags=["auth"],
    )
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            request.auth.delete()
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(
        summary="Revoke every token of your account",
        description=(
            "Every token issued to you stops working, this request's included. A browser session stays "
            "logged in (`POST /api/v1/auth/logout/` ends it). A new password revokes them all too."
        ),
        request=None,
        responses={204: OpenApiResponse(description="All your tokens are revoked."), 401: ERRORS[401]},
        tags=["auth"],
    )
    def post(self, request):
        request.user.api_tokens.all().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
