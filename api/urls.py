"""``/api/v1/``: every path of api.md."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.views import auth, exports, fhir, imports, stats, tables, vocabularies
from api.views.cases import CaseViewSet
from api.views.common import JsonNotFound
from api.views.root import ApiRoot

app_name = "api"

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    path("", ApiRoot.as_view(), name="root"),
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/logout-all/", auth.LogoutAllView.as_view(), name="logout-all"),
    path("", include(router.urls)),
    *(path(f"{route}/", tables.TABLE_VIEWS[key].as_view(), name=route) for key, route in tables.TABLE_PATHS.items()),
    path("criteria/", tables.CriteriaResultList.as_view(), name="criteria"),
    path("export/cases.csv", exports.CasesCsv.as_view(), name="export-cases"),
    path("export/tables.zip", exports.TablesZip.as_view(), name="export-tables"),
    path("export/codebook.csv", exports.CodebookCsv.as_view(), name="export-codebook"),
    path("export/fhir.ndjson", fhir.FhirNdjson.as_view(), name="export-fhir"),
    path("stats/calcinosis-sites/", stats.CalcinosisSiteStats.as_view(), name="stats-calcinosis-sites"),
    path("stats/treatment-responses/", stats.TreatmentResponseStats.as_view(), name="stats-treatment-responses"),
    path("stats/serology/", stats.SerologyStats.as_view(), name="stats-serology"),
    path("stats/follow-up/", stats.FollowUpStats.as_view(), name="stats-follow-up"),
    path("stats/criteria/", stats.CriteriaStats.as_view(), name="stats-criteria"),
    path("vocabularies/", vocabularies.VocabularyList.as_view(), name="vocabulary-list"),
    path("vocabularies/<str:name>/", vocabularies.VocabularyDetail.as_view(), name="vocabulary-detail"),
    path("import/", imports.ImportCases.as_view(), name="import"),
    path("import/template.xlsx", imports.ImportTemplate.as_view(), name="import-template"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy forbids inline ones.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^.*$", JsonNotFound.as_view(), name="not-found"),
]
