"""``Authorization: Token <key>``: looked up by digest, refused once expired."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api.models import ApiToken


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.matching(key).select_related("user").first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_current:
            raise exceptions.AuthenticationFailed(_("Token expired; ask for a new one at /api/v1/auth/token/."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
