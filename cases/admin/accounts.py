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


@admin.register(Group, site=registry_admin)
class RegistryGroupAdmin(SuperuserPermissions, GroupAdmin):
    pass
