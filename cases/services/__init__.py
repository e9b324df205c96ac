from cases.document.errors import AlreadyVerified, CaseValidationError, StaleVersion
from cases.services.cases import (
    case_create,
    case_delete,
    case_send_back,
    case_update,
    case_verify,
    next_registry_id,
)

__all__ = [
    "AlreadyVerified",
    "CaseValidationError",
    "StaleVersion",
    "case_create",
    "case_delete",
    "case_send_back",
    "case_update",
    "case_verify",
    "next_registry_id",
]
