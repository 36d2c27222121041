"""Gap-free numbers per (agency, series, period): dossier codes, log numbers, document numbers."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from motcua.core.models import Counter


def next_value(*, agency_id: int, series: str, period: str) -> int:
    """The next number of a series, taken inside the caller's transaction (which must be open).

    The counter row is locked until the caller commits, so concurrent callers queue; if the caller rolls
    back, the number is not used up. A missing row is created first (two creators race on the unique
    constraint; the loser locks the winner's row).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value must run inside the transaction that uses the number")
    counters = Counter.objects.select_for_update()
    try:
        counter = counters.get(agency_id=agency_id, series=series, period=period)
    except Counter.DoesNotExist:
        try:
            with transaction.atomic():
                Counter.objects.create(agency_id=agency_id, series=series, period=period)
        except IntegrityError:
            pass  # created by a concurrent caller; lock theirs
        counter = counters.get(agency_id=agency_id, series=series, period=period)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
