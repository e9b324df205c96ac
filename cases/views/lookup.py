"""The one way the browser pages fetch a case: 404 for what the user may not see."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cases.models import Case


def get_case_for_user(user, registry_id: str, *, editable: bool = False) -> Case:
    """The case, loaded for the case page and the form.

    A case the user may not see is a 404, exactly as if it did not exist. A case
    the user may read but not change (a researcher, a clinician reading a case
    they can see but not edit) is a 403 when ``editable`` is asked for.
    """
    case = get_object_or_404(Case.objects.visible_to(user).for_detail(viewer=user), registry_id=registry_id)
    if editable and not Case.objects.editable_by(user).filter(pk=case.pk).exists():
        raise PermissionDenied("You can read this case but not change it.")
    return case
