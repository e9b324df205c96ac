"""The browser pages: the case list, the case page and the whole-case entry form."""

from cases.views.case_entry import case_edit, case_new
from cases.views.case_import import case_import
from cases.views.case_list import case_list
from cases.views.case_page import case_detail, case_verify_view
from cases.views.lookup import get_case_for_user
from cases.views.publications import publication_by_doi

__all__ = [
    "case_detail",
    "case_edit",
    "case_import",
    "case_list",
    "case_new",
    "case_verify_view",
    "get_case_for_user",
    "publication_by_doi",
]
