"""Every refusal path: a clear error, the right code (403/404/409/400), and nothing changed or half-written."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, Counter
from motcua.dossiers import access, services
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.models import Attachment, DeadlineEntry, Dossier, DossierStep, Handoff
from motcua.notify.models import Notification
from tests import samples
from tests.dossiers.conftest import at, intake, upload


def snapshot(dossier: Dossier | None = None) -> dict:
    """Everything an action writes, to prove that a refused one wrote nothing."""
    rows = {
        "dossiers": list(Dossier.objects.order_by("pk").values()),
        "steps": list(DossierStep.objects.order_by("pk").values()),
        "handoffs": Handoff.objects.count(), "deadlines": DeadlineEntry.objects.count(),
        "audit": AuditEvent.objects.count(), "notifications": Notification.objects.count(),
        "attachments": Attachment.objects.count(), "counters": list(Counter.objects.order_by("pk").values()),
    }
    return rows


def refused(fn, expect: str, **kwargs) -> DomainError:
    """Call a service that must refuse with the error code ``expect``, and prove it wrote nothing."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        fn(**kwargs)
    assert caught.value.code == expect, caught.value.message
    assert snapshot() == before
    return caught.value


@pytest.fixture
def received(world, now):
    return services.receive_at_desk(actor=world.desk, intake=intake())


def test_forwarding_someone_elses_step_is_forbidden(world, received):
    services.forward(actor=world.desk, code=received.code, version=1)
    services.forward(actor=world.division_leader, code=received.code, version=2, assignee_id=world.specialist.pk)
    # A colleague of the same division: the step was given to someone else, so the dossier is not theirs.
    error = refused(services.forward, "forbidden", actor=world.specialist2, code=received.code, version=3)
    assert "không tham gia" in error.message and error.http_status == 403
    # The division leader sees it but holds a step given to a specialist only as its supervisor; the desk
    # does not hold it at all.
    error = refused(services.forward, "forbidden", actor=world.desk2, code=received.code, version=3)
    assert "người khác" in error.message
    # Someone of another division does not even see it.
    error = refused(services.forward, "forbidden", actor=world.outsider, code=received.code, version=3)
    assert "không tham gia" in error.message


def test_a_stale_version_is_refused_when_two_officers_act_at_once(world, received):
    services.forward(actor=world.desk, code=received.code, version=1)
    error = refused(services.withdraw, "stale", actor=world.desk2, code=received.code, version=1, reason="Rút")
    assert error.http_status == 409 and error.details["current_version"] == 2
    assert "vừa được người khác cập nhật" in error.message


@pytest.mark.parametrize(("fn", "kwargs"), [
    (services.return_result, {"returned_to": "A", "method": "desk"}),
    (services.mark_ready, {}),
    (services.provide_supplement, {}),
    (services.receive, {}),
    (services.send_back, {"reason": "x"}),
])
def test_an_action_the_state_does_not_allow_is_refused_with_409(world, received, fn, kwargs):
    error = refused(fn, "invalid_state", actor=world.desk, code=received.code, version=1, **kwargs)
    assert error.http_status == 409 and "Không thể" in error.message


def test_another_agencys_dossier_reads_as_not_found(world, received):
    refused(services.withdraw, "not_found", actor=world.stranger, code=received.code, version=1, reason="x")
    with pytest.raises(DomainError) as caught:
        access.access_dossier(access.actor_of(world.stranger), received.code)
    assert caught.value.code == "not_found"


def test_staff_who_never_worked_on_a_dossier_cannot_open_it(world, received):
    with pytest.raises(DomainError) as caught:
        access.access_dossier(access.actor_of(world.outsider), received.code)
    assert caught.value.code == "forbidden"
    # The agency's leaders, the desk and auditors see every dossier of the agency.
    for person in (world.leader, world.desk2, world.auditor):
        assert access.access_dossier(access.actor_of(person), received.code) == received


def test_only_the_desk_receives(world, now):
    for person in (world.clerk, world.specialist, world.leader):
        refused(services.receive_at_desk, "forbidden", actor=person, intake=intake())


def test_a_dossier_missing_a_mandatory_document_is_not_received_and_uses_no_code(world, now):
    error = refused(services.receive_at_desk, "invalid", actor=world.desk, intake=intake(provided="none"))
    assert error.details["missing"] == ["Tờ trình đề nghị", "Quyết định tuyển dụng"]
    assert "Mẫu 02" in error.message and "Mẫu 03" in error.message
    assert services.receive_at_desk(actor=world.desk, intake=intake(provided="mandatory")).code.endswith("-0001")


def test_wrong_applicant_details_are_named_field_by_field(world, now):
    bad = Applicant(type="individual", name="Trần Thị Mai", id_number="12345", phone="abc")
    error = refused(services.receive_at_desk, "invalid", actor=world.desk, intake=intake(applicant=bad))
    assert set(error.details["fields"]) == {"id_number", "phone"}


def test_an_unknown_or_foreign_procedure_is_refused(world, now):
    import dataclasses

    refused(services.receive_at_desk, "invalid", actor=world.desk,
            intake=dataclasses.replace(intake(), procedure_code="KHONG.CO"))
    refused(services.receive_at_desk, "invalid", actor=world.desk,
            intake=dataclasses.replace(intake(), channel="fax"))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("scan.pdf", samples.EXECUTABLE, "không phải PDF"),
    ("scan.pdf", b"", "Tệp rỗng"),
    ("scan.exe", samples.EXECUTABLE, "Chỉ nhận tệp"),
])
def test_a_file_that_lies_is_empty_or_of_another_kind_is_refused_and_nothing_is_stored(world, now, settings,
                                                                                       name, content, message):
    document = intake().components[0].required_document_id
    error = refused(services.receive_at_desk, "invalid", actor=world.desk,
                    intake=intake(files=[(document, upload("ok.pdf", samples.pdf())),
                                         (document, upload(name, content))]))
    assert message in error.message and name in error.message
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(world, now, settings):
    settings.DOSSIER_MAX_UPLOAD_BYTES = 1000
    document = intake().components[0].required_document_id
    error = refused(services.receive_at_desk, "invalid", actor=world.desk,
                    intake=intake(files=[(document, upload("scan.pdf", samples.pdf()))]))
    assert "vượt giới hạn" in error.message


def test_a_good_file_is_stored_with_its_digest_and_served_only_to_those_who_see_the_dossier(world, now, client):
    import hashlib

    content = samples.pdf("Quyết định tuyển dụng số 12")
    document = intake().components[1].required_document_id
    dossier = services.receive_at_desk(actor=world.desk, intake=intake(files=[(document, upload("qd.pdf", content))]))
    attachment = dossier.attachments.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest() and attachment.content_type == "application/pdf"
    assert attachment.file.read() == content
    assert f"/{dossier.pk}/" in attachment.file.name and "qd" not in attachment.file.name.rsplit("/", 1)[-1]


class _FailingNotifications:
    """A real database fault: a trigger that refuses every notification row, as a full disk or a broken
    replica would refuse the last write of a transaction."""

    def __enter__(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("CREATE TRIGGER fail_notify BEFORE INSERT ON notify_notification "
                               "BEGIN SELECT RAISE(ABORT, 'notification store unavailable'); END")
            else:
                cursor.execute("CREATE FUNCTION fail_notify() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
                               "'notification store unavailable'; END $$ LANGUAGE plpgsql")
                cursor.execute("CREATE TRIGGER fail_notify BEFORE INSERT ON notify_notification "
                               "FOR EACH ROW EXECUTE FUNCTION fail_notify()")
        return self

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER fail_notify" + ("" if connection.vendor == "sqlite"
                                                         else " ON notify_notification"))
            if connection.vendor != "sqlite":
                cursor.execute("DROP FUNCTION fail_notify()")


@pytest.mark.django_db(transaction=True)
def test_an_action_whose_last_write_fails_leaves_nothing_half_written(world, settings):
    with clock.at(at(2)):
        dossier = services.receive_at_desk(actor=world.desk, intake=intake())
    document = dossier.documents.first().required_document_id
    before = snapshot()
    with _FailingNotifications(), clock.at(at(2, 10)), pytest.raises(DatabaseError):
        services.receive_at_desk(actor=world.desk, intake=intake(files=[(document, upload("a.pdf", samples.pdf()))]))
    with _FailingNotifications(), clock.at(at(2, 10)), pytest.raises(DatabaseError):
        services.forward(actor=world.desk, code=dossier.code, version=1)
    assert snapshot() == before
    # The scan written before the failure was removed from storage too.
    assert [p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []
    # And the code the failed intake took was given back: the next one follows without a gap.
    with clock.at(at(2, 11)):
        assert services.receive_at_desk(actor=world.desk, intake=intake()).code.endswith("-0002")
