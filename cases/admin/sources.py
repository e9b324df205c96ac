"""Contributing sites and the publications literature cases come from."""

from django.contrib import admin

from cases.admin.protection import RefuseDeletingWhatIsUsed
from cases.admin.site import CuratorPermissions, registry_admin
from cases.models import Publication, Site


@admin.register(Site, site=registry_admin)
class SiteAdmin(RefuseDeletingWhatIsUsed, CuratorPermissions, admin.ModelAdmin):
    list_display = ["code", "name", "country"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "country"]

    def get_readonly_fields(self, request, obj=None):
        # Site codes appear in the API and in exports; they do not change once cases use them.
        return ["code"] if obj is not None else []


@admin.register(Publication, site=registry_admin)
class PublicationAdmin(RefuseDeletingWhatIsUsed, CuratorPermissions, admin.ModelAdmin):
    list_display = ["__str__", "doi", "pmid", "year", "journal"]
    search_fields = ["doi", "=pmid", "title", "citation", "authors"]
    fields = ["doi", "pmid", "title", "journal", "year", "authors", "citation"]
    show_full_result_count = False
