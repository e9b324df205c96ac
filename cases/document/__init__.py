"""The case document as one unit of code: its schema, its reader and its writer.

``schema`` declares every field once; ``reader`` turns a document into unsaved,
validated model instances (every error at its nested path); ``writer`` turns a
stored case into a document for a given reader, de-identified where it must be.
"""

from cases.document.errors import CaseValidationError, StaleVersion
from cases.document.schema import ALL_LISTS, CASE_FIELDS, CHILD_LISTS, CHILDREN, PUBLICATION_FIELDS, READ_ONLY_FIELDS
from cases.document.writer import Disclosure, case_document, child_row, document_for, table_row

__all__ = [
    "ALL_LISTS",
    "CASE_FIELDS",
    "CHILDREN",
    "CHILD_LISTS",
    "PUBLICATION_FIELDS",
    "READ_ONLY_FIELDS",
    "CaseValidationError",
    "Disclosure",
    "StaleVersion",
    "case_document",
    "child_row",
    "document_for",
    "table_row",
]
