"""The audit log: append-only, hash-chained, verifiable; tampering and deletion are named; no forks."""

from __future__ import annotations

import threading
from importlib import import_module

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.core import audit
from motcua.core.models import AuditChainHead, AuditEvent

SQLITE_CREATE = import_module("motcua.core.migrations.0002_audit_append_only_trigger").SQLITE_CREATE


def _events(n: int, agency_id: int | None = 7) -> list[AuditEvent]:
    return [audit.record(actor=None, action="test.write", agency_id=agency_id, object_type="test.thing",
                         object_id=str(i), before={"state": "a"}, after={"state": "b", "n": i}) for i in range(n)]


def _tamper(sql: str, params: list) -> None:
    """What an intruder who owns the database would do: switch our trigger off, rewrite, switch it back.

    (Inside the test's transaction, so the trigger is back for the next test whatever happens.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_append_only")
            cursor.execute(sql, params)
            cursor.execute(SQLITE_CREATE)


def test_events_form_one_chain_per_agency(db):
    first, second = _events(2)
    other = audit.record(actor=None, action="test.write", agency_id=8)
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert first.prev_hash == "0" * 64 and second.prev_hash == first.hash
    assert second.changes == {"before": {"state": "a"}, "after": {"state": "b", "n": 1}}
    result = audit.verify()
    assert result.ok and result.events == 3 and result.chains == 2


def test_a_tampered_row_is_reported_with_its_place(db):
    events = _events(5)
    _tamper("UPDATE core_auditevent SET action = %s WHERE id = %s", ["test.innocent", events[2].pk])
    result = audit.verify()
    assert not result.ok
    broken = result.breaks[0]
    assert (broken.chain, broken.seq, broken.event_id) == (7, 3, events[2].pk)
    assert "bị sửa" in str(broken)


def test_a_deleted_row_in_the_middle_is_reported(db):
    events = _events(4)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    broken = audit.verify().breaks[0]
    assert broken.seq == 2 and "bị xóa" in broken.reason


def test_deleting_the_newest_rows_is_caught_by_the_chain_head(db):
    events = _events(3)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    broken = audit.verify().breaks[0]
    assert "sự kiện cuối đã bị xóa" in broken.reason


def test_the_application_never_updates_or_deletes_an_event(db):
    event = _events(1)[0]
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_an_event(db):
    event = _events(1)[0]
    refused = ["UPDATE core_auditevent SET action = 'x' WHERE id = %s"]
    if connection.vendor == "postgresql":  # SQLite keeps DELETE for Django's test flush (see migration 0002)
        refused.append("DELETE FROM core_auditevent WHERE id = %s")
    for sql in refused:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.write"


def test_an_event_rolls_back_with_the_change_it_describes(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        _events(1)
        raise RuntimeError("the use case failed after recording")
    assert not AuditEvent.objects.exists()
    assert audit.verify().ok


def test_verify_command_names_the_first_broken_link(db, capsys):
    events = _events(3)
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
    _tamper("UPDATE core_auditevent SET changes = %s WHERE id = %s", ['{"after": {"n": 99}}', events[0].pk])
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert f"sự kiện số 1 (id {events[0].pk})" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    writers, per_writer, errors = 6, 15, []

    def write() -> None:
        try:
            for _ in range(per_writer):
                with transaction.atomic():
                    audit.record(actor=None, action="test.concurrent", agency_id=42)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(AuditEvent.objects.filter(chain=42).values_list("seq", flat=True))
    assert seqs == list(range(1, writers * per_writer + 1))
    assert AuditChainHead.objects.get(chain=42).last_seq == writers * per_writer
    assert audit.verify(chains=[42]).ok
