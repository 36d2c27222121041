"""Concurrent officers: codes stay unique and gap-free, and two people acting on one dossier at once never
both succeed (no lost update). Real threads, real connections, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Handoff, Tally
from tests.dossiers.conftest import at, intake

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count: int, work) -> tuple[list, list[BaseException]]:
    results, errors, start = [], [], threading.Barrier(count)

    def body(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def test_32_concurrent_intakes_get_unique_gap_free_codes(world):
    form = intake()
    desks = [world.desk, world.desk2]

    def receive(i: int) -> str:
        with clock.at(at(2, 9, i % 60)):
            return services.receive_at_desk(actor=desks[i % 2], intake=form).code

    codes, errors = run_together(32, receive)
    assert errors == []
    assert sorted(codes) == [f"000.00.12.H22-260302-{n:04d}" for n in range(1, 33)]
    assert sorted(Dossier.objects.values_list("log_number", flat=True)) == list(range(1, 33))
    # The statistics ledger's row of the day was updated by all 32 at once and lost none.
    assert Tally.objects.get(grain="d", day=dt.date(2026, 3, 2)).received_direct == 32
    assert Tally.objects.get(grain="m", day=dt.date(2026, 3, 1)).open == 32


def test_two_officers_acting_on_one_dossier_at_once_one_wins_the_other_is_told(world):
    with clock.at(at(2)):
        dossier = services.receive_at_desk(actor=world.desk, intake=intake())

    def act(i: int) -> str:
        with clock.at(at(2, 10)):
            if i == 0:
                return services.forward(actor=world.desk, code=dossier.code, version=1).state
            return services.withdraw(actor=world.desk2, code=dossier.code, version=1, reason="Rút").state

    results, errors = run_together(2, act)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "stale"
    dossier.refresh_from_db()
    assert dossier.version == 2 and dossier.state == results[0]
    assert Handoff.objects.filter(dossier=dossier).count() == 2
