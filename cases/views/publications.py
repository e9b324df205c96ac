"""A DOI typed into the entry form fills in a publication the registry already has."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from cases.document.writer import publication_document
from cases.models import Publication
from cases.models.case import normalise_doi


@login_required
@require_GET
def publication_by_doi(request):
    # Publications are the published literature, not patient data: any signed-in user may look one up.
    doi = normalise_doi(request.GET.get("doi", ""))
    publication = Publication.objects.filter(doi=doi).first() if doi else None
    if publication is None:
        return JsonResponse({"found": False, "doi": doi}, status=404)
    return JsonResponse({"found": True, "publication": publication_document(publication)})
