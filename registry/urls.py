from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from cases.admin import registry_admin
from cases.views.cohort import cohort_download, cohort_page
from registry.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/cases/", permanent=False)),
    # The curators' admin: a site of its own that only curators enter (cases/admin/site.py).
    path("admin/", registry_admin.urls),
    # The browser pages (cases/urls.py) and the session login they need.
    path("cases/", include("cases.urls")),
    # The cohort page (issue 15): the selected cases' statistics as charts, each downloadable.
    path("cohort/", cohort_page, name="cohort"),
    path("cohort/<slug:chart>.csv", cohort_download, {"format": "csv"}, name="cohort-csv"),
    path("cohort/<slug:chart>.svg", cohort_download, {"format": "svg"}, name="cohort-svg"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico without reading the page's <link rel="icon">.
    # Lazy: in production the hashed name comes from the manifest, which may not exist at import time.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
    # The researchers' REST API (api.md).
    path("api/v1/", include("api.urls")),
]
