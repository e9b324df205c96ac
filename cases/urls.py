from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("import/", views.case_import, name="import"),
    path("publications/by-doi/", views.publication_by_doi, name="publication-by-doi"),
    path("<str:registry_id>/", views.case_detail, name="detail"),
    path("<str:registry_id>/edit/", views.case_edit, name="edit"),
    path("<str:registry_id>/verify/", views.case_verify_view, name="verify"),
]
