"""What every API view shares: strict query parameters and the cases a user may read."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from cases.models import Case

# Accepted by every view besides its filters (?format=json picks a renderer in the browsable API).
ALWAYS_ALLOWED = {"format"}


class KnownParameters:
    """Refuses parameters the view does not know, so that ``conditon=ssc`` is a 400, not every case."""

    def filter_queryset(self, request, queryset, view):
        allowed = set(ALWAYS_ALLOWED)
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            allowed |= {paginator.cursor_query_param, paginator.page_size_query_param}
        errors = {}
        for name, values in request.query_params.lists():
            if name not in allowed:
                errors[name] = ["Unknown parameter."]
            elif any("\x00" in value for value in values):
                errors[name] = ["Null characters are not allowed."]
        if errors:
            raise ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view):
        return []  # the parameters are the filterset's and the paginator's


FILTER_BACKENDS = [KnownParameters, DjangoFilterBackend]


def readable_cases(user):
    """The cases ``user`` may read, with everything their documents show, in a fixed number of queries."""
    return Case.objects.visible_to(user).for_detail(viewer=user)


class JsonNotFound(APIView):
    """Paths under /api/v1/ that name nothing: a 404 in the API's own shape (after the login check)."""

    schema = None  # not an operation of the API

    def handle(self, request, *args, **kwargs):
        raise Http404

    get = post = put = patch = delete = head = options = handle
