from cases.services.cases import (
    case_create,
    case_delete,
    case_send_back,
    case_update,
    case_verify,
    next_registry_id,
)
from cases.services.errors import CaseValidationError, StaleVersion

__all__ = [
    "CaseValidationError",
    "StaleVersion",
    "case_create",
    "case_delete",
    "case_send_back",
    "case_update",
    "case_verify",
    "next_registry_id",
]
