"""The curators' admin: only curators and superusers enter it (cases.access decides who they are)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from cases import access


class CuratorLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Please enter the username and password of a curator account.",
    }

    def confirm_login_allowed(self, user):
        # Being a curator, not the is_staff flag, opens the admin: one rule, in cases.access.
        AuthenticationForm.confirm_login_allowed(self, user)
        if not access.is_curator(user):
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class RegistryAdminSite(admin.AdminSite):
    site_header = "Calcinosis registry curation"
    site_title = "Registry curation"
    index_title = "Curation"
    login_form = CuratorLoginForm

    def has_permission(self, request):
        # Everyone else (clinicians, researchers, anonymous visitors) is sent to the login page.
        return access.is_curator(request.user)


registry_admin = RegistryAdminSite(name="admin")


class CuratorPermissions:
    """Curators may do everything here; the model permissions of django.contrib.auth are not used."""

    def has_module_permission(self, request):
        return access.is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_curator(request.user)

    def has_add_permission(self, request, *args):
        return access.is_curator(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_curator(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_curator(request.user)


class SuperuserPermissions:
    """Accounts and roles: who sees which patients is for superusers only, not for every curator."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
