from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from registry.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/cases/", permanent=False)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # The researchers' REST API (api.md).
    path("api/v1/", include("api.urls")),
]
