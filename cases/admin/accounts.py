"""Accounts, groups and site memberships: who sees which patients, so superusers only."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from cases.admin.site import SuperuserPermissions, registry_admin
from cases.models import Membership


class MembershipInline(SuperuserPermissions, admin.TabularInline):
    model = Membership
    fields = ["site", "role"]
    extra = 0
    autocomplete_fields = ["site"]


@admin.register(get_user_model(), site=registry_admin)
class RegistryUserAdmin(SuperuserPermissions, UserAdmin):
    inlines = [MembershipInline]
    list_filter = ["is_superuser", "is_active", "groups"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            # A deactivated account's scripts stop now, and stay stopped if it is ever reactivated.
            # (A new password needs nothing here: the tokens are bound to the password they were issued under.)
            obj.api_tokens.all().delete()


@admin.register(Group, site=registry_admin)
class RegistryGroupAdmin(SuperuserPermissions, GroupAdmin):
    pass
