from django.urls import include, path
from django.views.generic import RedirectView

from cases.admin import registry_admin
from registry.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/cases/", permanent=False)),
    # The curators' admin: a site of its own that only curators enter (cases/admin/site.py).
    path("admin/", registry_admin.urls),
    path("healthz", healthz, name="healthz"),
    # The researchers' REST API (api.md).
    path("api/v1/", include("api.urls")),
]
