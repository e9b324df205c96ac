"""API tokens in the curators' admin: whose, since and until when, last used, still working; never the secret.

Curators revoke or delete tokens here; nobody adds or edits one (a token is
issued only to its owner, by ``POST /api/v1/auth/token/``).
"""

from django.contrib import admin
from django.utils import timezone

from api.models import ApiToken
from cases.admin.site import CuratorPermissions, registry_admin


@admin.register(ApiToken, site=registry_admin)
class ApiTokenAdmin(CuratorPermissions, admin.ModelAdmin):
    # Neither key_digest nor session_auth_hash: a digest is no key, but there is no reason to show it.
    list_display = ["user", "prefix", "created_at", "expires_at", "last_used_at", "works"]
    list_display_links = ["prefix"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "prefix"]
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="Current")
    def works(self, token):
        # Not expired, the account active and its password unchanged since the token was issued.
        return token.works

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        # Expired now rather than deleted: the row stays in the list, marked no longer current,
        # until its owner next asks for a token.
        revoked = list(queryset.current())
        queryset.filter(pk__in=[token.pk for token in revoked]).update(expires_at=timezone.now())
        for token in revoked:
            self.log_change(request, token, "Revoked.")
        self.message_user(request, f"{len(revoked)} token{'' if len(revoked) == 1 else 's'} revoked.")
