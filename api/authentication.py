"""``Authorization: Token <key>``: looked up by digest, refused once expired, revoked by a new password."""

from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api.models import ApiToken
from cases import access


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        # The user's roles in the same query: every API request asks them, and they were two queries more.
        found = ApiToken.objects.matching(key).select_related("user")
        token = found.annotate(**access.roles_read_with(OuterRef("user_id"))).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_current:
            raise exceptions.AuthenticationFailed(_("Token expired; ask for a new one at /api/v1/auth/token/."))
        user = token.user
        if not user.is_active:
            # Deleted, not just refused: reactivating the account must not bring the tokens back.
            user.api_tokens.all().delete()
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if not token.is_of_the_current_password:
            ApiToken.objects.no_longer_valid_for(user).delete()
            raise exceptions.AuthenticationFailed(
                _("Token revoked: the password changed since it was issued; ask for a new one at /api/v1/auth/token/.")
            )
        access.remember_roles(user, token)
        token.record_use()
        return user, token
