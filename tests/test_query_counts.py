"""Lists run a fixed number of queries whatever their length (no per-row queries)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import audit
from motcua.org.roles import Role
from tests.factories import make_staff


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_directory_and_home_queries_do_not_grow_with_staff(client, roles):
    leader = make_staff(role=Role.AGENCY_LEADER)
    division_leader = make_staff(role=Role.DIVISION_LEADER, agency=leader.agency)
    division = division_leader.assignments.get().division
    client.force_login(division_leader.user)
    few = (_queries(client, "/danh-ba/"), _queries(client, "/"))
    for _ in range(15):
        make_staff(role=Role.SPECIALIST, agency=leader.agency, division=division)
    many = (_queries(client, "/danh-ba/"), _queries(client, "/"))
    assert many == few
    client.force_login(leader.user)
    # The staff home also lists the person's documents, the agency's announcements and this week's schedule.
    assert _queries(client, "/") <= 24


def test_audit_log_page_queries_do_not_grow_with_events(client, roles):
    auditor = make_staff(role=Role.AUDITOR)
    client.force_login(auditor.user)
    few = _queries(client, "/nhat-ky/")
    for i in range(60):
        audit.record(actor=None, action="test.write", agency_id=auditor.agency_id, object_id=str(i))
    assert _queries(client, "/nhat-ky/") == few
    assert _queries(client, "/nhat-ky/?before=30") == few
