"""Catalogue admin: versions in force are frozen; a copy becomes the next version; step shares must add up."""

from __future__ import annotations

import pytest

from motcua.catalog import services
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.models import AuditEvent
from motcua.org.roles import Role
from tests.catalog.conftest import as_bytes, document, procedure
from tests.factories import make_staff


@pytest.fixture
def admin_client(client, department):
    services.import_catalog(actor=None, data=as_bytes(document(procedure())))
    admin = make_staff(role=Role.ADMINISTRATOR, agency=department)
    client.force_login(admin.user)
    client.admin = admin
    return client


def test_a_version_in_force_cannot_be_changed(admin_client):
    version = ProcedureVersion.objects.get()
    page = admin_client.get(f"/admin/catalog/procedureversion/{version.pk}/change/").content.decode()
    assert 'name="time_limit"' not in page  # shown read-only
    admin_client.post(f"/admin/catalog/procedureversion/{version.pk}/change/", {"time_limit": 1})
    version.refresh_from_db()
    assert version.time_limit == 10


def test_copying_makes_the_next_version_scheduled_for_tomorrow(admin_client):
    version = ProcedureVersion.objects.get()
    admin_client.post("/admin/catalog/procedureversion/", {"action": "copy_as_new_version",
                                                            "_selected_action": [version.pk]})
    new = ProcedureVersion.objects.get(number=2)
    assert new.documents.count() == 2 and new.steps.count() == 4 and new.time_limit == 10
    assert Procedure.objects.get().current_version().number == 1  # not yet in force
    assert AuditEvent.objects.filter(action="catalog.version.create", actor_username=admin_client.admin.user.username)


def _version_form(version, hours: list[int], time_limit: int) -> dict:
    data = {"procedure": version.procedure_id, "number": version.number,
            "effective_from": version.effective_from.isoformat(), "time_limit": time_limit, "time_unit": "days",
            "from_complete_dossier": "on", "change_note": "Rút ngắn", "hours_learning": "2", "hours_preparing": "4",
            "visits": "2", "hours_per_visit": "3", "other_costs": "0", "applicants_per_year": "100"}
    for prefix, rows in (("documents", version.documents.all()), ("fees", version.fees.all()),
                         ("legal_bases", version.legal_bases.all())):
        rows = list(rows)
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-version"] = version.pk
            for field in ("order", "name", "copy_type", "count", "condition", "amount", "legal_basis", "number",
                          "issuer", "title"):
                if hasattr(row, field):
                    data[f"{prefix}-{i}-{field}"] = getattr(row, field)
            if hasattr(row, "mandatory") and row.mandatory:
                data[f"{prefix}-{i}-mandatory"] = "on"
    steps = list(version.steps.all())
    data |= {"steps-TOTAL_FORMS": len(steps), "steps-INITIAL_FORMS": len(steps), "steps-MIN_NUM_FORMS": 0,
             "steps-MAX_NUM_FORMS": 1000}
    for i, (step, h) in enumerate(zip(steps, hours, strict=True)):
        data |= {f"steps-{i}-id": step.pk, f"steps-{i}-version": version.pk, f"steps-{i}-order": step.order,
                 f"steps-{i}-name": step.name, f"steps-{i}-role": step.role, f"steps-{i}-hours": h,
                 f"steps-{i}-division_kind": step.division_kind, f"steps-{i}-other_agency": step.other_agency_id or ""}
    return data


def test_a_scheduled_version_is_saved_only_when_its_step_shares_add_up(admin_client):
    version = ProcedureVersion.objects.get()
    admin_client.post("/admin/catalog/procedureversion/", {"action": "copy_as_new_version",
                                                            "_selected_action": [version.pk]})
    draft = ProcedureVersion.objects.get(number=2)
    url = f"/admin/catalog/procedureversion/{draft.pk}/change/"
    response = admin_client.post(url, _version_form(draft, [8, 16, 40, 16], time_limit=8))
    assert response.status_code == 200
    assert "tổng thời gian các bước là 80 giờ làm việc, phải bằng đúng thời hạn giải quyết 64 giờ" in \
        response.content.decode().lower()
    draft.refresh_from_db()
    assert draft.time_limit == 10
    response = admin_client.post(url, _version_form(draft, [8, 8, 32, 16], time_limit=8))
    assert response.status_code == 302, response.content.decode()[-3000:]
    draft.refresh_from_db()
    assert draft.time_limit == 8 and sum(draft.steps.values_list("hours", flat=True)) == 64


def test_the_administrator_cannot_file_a_procedure_under_another_agency(admin_client):
    from motcua.catalog.models import Field
    from tests.factories import AgencyFactory

    other = AgencyFactory()
    response = admin_client.post("/admin/catalog/procedure/add/", {
        "code": "5.5", "name": "Thủ tục lạ", "field": Field.objects.get().pk, "agency": other.pk,
        "online_level": "none", "status": "active", "channel_desk": "on", "for_individuals": "on"})
    assert response.status_code == 200  # the form again: that agency is not a choice
    assert not Procedure.objects.filter(code="5.5").exists()


def test_a_second_copy_is_refused_and_a_scheduled_version_can_be_deleted(admin_client):
    version = ProcedureVersion.objects.get()
    for _ in range(2):
        admin_client.post("/admin/catalog/procedureversion/", {"action": "copy_as_new_version",
                                                                "_selected_action": [version.pk]})
    assert ProcedureVersion.objects.count() == 2  # the second copy was refused
    draft = ProcedureVersion.objects.get(number=2)
    assert admin_client.get(f"/admin/catalog/procedureversion/{version.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/catalog/procedureversion/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ProcedureVersion.objects.filter(number=2).exists()


def test_a_scheduled_version_cannot_be_moved_into_the_past(admin_client):
    version = ProcedureVersion.objects.get()
    admin_client.post("/admin/catalog/procedureversion/", {"action": "copy_as_new_version",
                                                            "_selected_action": [version.pk]})
    draft = ProcedureVersion.objects.get(number=2)
    form = _version_form(draft, [8, 16, 40, 16], time_limit=10) | {"effective_from": "2020-01-01"}
    response = admin_client.post(f"/admin/catalog/procedureversion/{draft.pk}/change/", form)
    assert response.status_code == 200 and "phải sau ngày áp dụng" in response.content.decode()
    draft.refresh_from_db()
    assert draft.effective_from > version.effective_from


def test_only_the_latest_version_can_be_copied(client, department):
    import copy as _copy

    p = procedure()
    p["versions"].append(_copy.deepcopy(p["versions"][0]) | {"number": 2, "effective_from": "2025-01-01"})
    services.import_catalog(actor=None, data=as_bytes(document(p)))
    admin = make_staff(role=Role.ADMINISTRATOR, agency=department)
    client.force_login(admin.user)
    old = ProcedureVersion.objects.get(number=1)
    response = client.post("/admin/catalog/procedureversion/", {"action": "copy_as_new_version",
                                                                "_selected_action": [old.pk]}, follow=True)
    assert "Chỉ sao chép được phiên bản mới nhất" in response.content.decode()
    assert ProcedureVersion.objects.count() == 2
