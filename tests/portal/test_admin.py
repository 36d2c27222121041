"""The administrator locks a citizen's account (audited); the auditor only reads accounts and ratings."""

from __future__ import annotations

from motcua.core.models import AuditEvent
from motcua.org.roles import Role
from tests.factories import make_staff
from tests.portal.test_online import make_citizen


def test_the_administrator_locks_a_citizen_account_and_it_is_audited(client, world):
    account = make_citizen()
    client.force_login(make_staff(role=Role.ADMINISTRATOR).user)
    assert client.get("/admin/portal/citizen/").status_code == 200
    done = client.post("/admin/portal/citizen/", {"action": "lock", "_selected_action": [account.citizen.pk]})
    assert done.status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    assert AuditEvent.objects.filter(action="portal.citizen.lock").count() == 1


def test_the_auditor_reads_accounts_but_cannot_lock_them(client, world):
    account = make_citizen()
    client.force_login(world.auditor.user)
    assert client.get("/admin/portal/citizen/").status_code == 200
    assert client.get("/admin/portal/rating/").status_code == 200
    client.post("/admin/portal/citizen/", {"action": "lock", "_selected_action": [account.citizen.pk]})
    account.refresh_from_db()
    assert account.is_active and not AuditEvent.objects.filter(action="portal.citizen.lock").exists()
