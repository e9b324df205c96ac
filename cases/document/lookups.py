"""What reading a new case looks up, read once for many documents (an import of thousands of cases).

``read_case`` asks the database for the site, the publication named by a DOI, whether the local reference
is taken, and every code of every list. Case by case that is some twenty queries per case; for a file of
new cases ``Lookups`` reads each of them once for all documents, and remembers what the documents read so
far add (a publication new in the file, a local reference used), so that every document is still checked
exactly as ``read_case`` checks one alone.
"""

from cases.document.rows import Vocabularies
from cases.document.schema import CHILD_LISTS
from cases.models import Case, Publication, Site
from cases.models.case import normalise_doi

_UNREAD = object()


class Lookups:
    def __init__(self, documents: list[dict]):
        documents = [d for d in documents if isinstance(d, dict)]
        merged = {child.key: [] for child in CHILD_LISTS}
        for document in documents:
            for child in CHILD_LISTS:
                rows = document.get(child.key)
                if isinstance(rows, list):
                    merged[child.key].extend(rows)
        self.vocabularies = Vocabularies(CHILD_LISTS, merged)
        self._sites: dict = {}
        self._publications: dict = {}
        self._read_publications(documents)
        self._references: set = set()
        self._read_references(documents)

    def _read_publications(self, documents) -> None:
        dois = set()
        for document in documents:
            publication = document.get("publication")
            if isinstance(publication, dict):
                for value in (publication.get("doi"), (publication.get("summarises") or {}).get("doi")):
                    if isinstance(value, str) and value.strip():
                        dois.add(normalise_doi(value))
        found = {p.doi: p for p in Publication.objects.filter(doi__in=dois)} if dois else {}
        self._publications = {doi: found.get(doi) for doi in dois}

    def _read_references(self, documents) -> None:
        by_site: dict = {}
        for d in documents:
            code, reference = d.get("site"), d.get("local_reference")
            if isinstance(code, str) and isinstance(reference, str) and reference:
                by_site.setdefault(code, set()).add(reference)
        for code, references in by_site.items():
            site = self.site(code)
            if site is None:
                continue
            # By site and not empty, as the unique index is: an index probe per reference, where the references
            # alone would be compared with every case of the registry.
            taken = (
                Case.objects.filter(site_id=site.pk, local_reference__in=references)
                .exclude(local_reference="")
                .values_list("site_id", "local_reference")
            )
            self._references.update(taken)

    def site(self, code: str) -> Site | None:
        if code not in self._sites:
            self._sites[code] = Site.objects.filter(code=code).first()
        return self._sites[code]

    def publication(self, doi: str) -> Publication | None:
        """The publication of this DOI: stored, or new in a document read before (saved with its first case)."""
        doi = normalise_doi(doi)
        found = self._publications.get(doi, _UNREAD)
        if found is _UNREAD:
            found = self._publications[doi] = Publication.objects.filter(doi=doi).first()
        return found

    def reference_taken(self, site_id: int, reference: str) -> bool:
        return (site_id, reference) in self._references

    def remember(self, case: Case, publication: Publication | None) -> None:
        """A document read and accepted: its local reference is taken, its new publication known by its DOI."""
        if case.local_reference:
            self._references.add((case.site_id, case.local_reference))
        for known in (publication, getattr(publication, "summarises", None)):
            if known is not None and known.doi:
                self._publications[normalise_doi(known.doi)] = known
