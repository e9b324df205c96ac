"""The stored criteria table (``CriteriaResult``): computed from what a case records, kept current.

``store_criteria`` runs in the transaction of every case write (``cases.services.cases``), so that
``criteria_met`` is an indexed lookup and never a stale one; ``recompute`` runs the same for every case, in
ranges of ids over worker processes, after a rule change (``manage.py recompute_criteria``) and after a bulk
load. The evidence is read here in bulk, a fixed number of queries per batch. A single case's document
computes ``criteria_computed`` from the loaded case (``cases.document.writer.evidence_of``); a page of
documents reads the stored entry (``document_entry``); ``cases/tests/test_criteria_store.py`` holds the three
to the same answer.
"""

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import orjson
from django.db import connections, transaction
from django.db.models import Max, Min

from cases import criteria
from cases.document.schema import CHILDREN, Kind
from cases.document.writer import criteria_computed
from cases.models import Case, CriteriaResult

UPDATED = ["status", "score", "max_possible", "category", "document_entry"]


def _evidence(**case_filter) -> dict[int, dict]:
    """Case id → the lists the criteria read, for the cases ``case_filter`` selects (one query per list)."""
    documents: dict[int, dict] = {}
    for key in criteria.READS:
        # Free text is never evidence; reading it would only cost time.
        fields = [f for f in CHILDREN[key].fields if f.kind is not Kind.LONG_TEXT]
        names = [f.name for f in fields]
        rows = CHILDREN[key].model.objects.filter(**case_filter).order_by("case_id", "id")
        for case_id, *values in rows.values_list("case_id", *(f.attname for f in fields)).iterator(chunk_size=5000):
            documents.setdefault(case_id, {}).setdefault(key, []).append(dict(zip(names, values, strict=True)))
    return documents


def _results(case_ids, documents: dict[int, dict]) -> list[CriteriaResult]:
    return [
        CriteriaResult(
            case_id=case_id,
            criteria_set=result["set"],
            status=result["status"],
            score=result["score"],
            max_possible=result["max_possible"],
            category=result["category"],
            document_entry=orjson.dumps(result).decode(),
        )
        for case_id in case_ids
        for result in criteria_computed(documents.get(case_id, {}))
    ]


def _store(results: list[CriteriaResult]) -> None:
    CriteriaResult.objects.bulk_create(
        results, update_conflicts=True, unique_fields=["case", "criteria_set"], update_fields=UPDATED, batch_size=4000
    )


def store_criteria(case_ids: list[int]) -> None:
    """Compute and store the four results of these cases (in the caller's transaction)."""
    _store(_results(case_ids, _evidence(case_id__in=case_ids)))


def _store_range(bounds: tuple[int, int]) -> int:
    low, high = bounds
    with transaction.atomic():
        case_ids = list(Case.objects.filter(pk__gte=low, pk__lt=high).order_by("pk").values_list("pk", flat=True))
        if case_ids:
            _store(_results(case_ids, _evidence(case_id__gte=low, case_id__lt=high)))
    return len(case_ids)


def recompute(*, batch: int = 2000, workers: int = 1) -> Iterator[int]:
    """Recompute every case's results; yields the number of cases done after each range of ids."""
    bounds = Case.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    ranges = [(low, low + batch) for low in range(bounds["low"], bounds["high"] + 1, batch)]
    if workers <= 1:
        for part in ranges:
            yield _store_range(part)
        return
    # A forked worker must not share its parent's database socket: closed here, each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_store_range, ranges)
