"""Sending: each channel, the record of each outcome, retries with back-off, and never a failure reaching the
action. The SMS provider is a real HTTP server on 127.0.0.1 (``sms_provider``)."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django_tasks.backends.base import BaseTaskBackend
from django_tasks_db.models import DBTaskResult

from motcua.core import clock
from motcua.notify import delivery, sms
from motcua.notify import services as notify
from motcua.notify.models import Delivery, Message, Notification
from tests.notify.conftest import PAYLOAD, T0, applicant
from tests.notify.helpers import ask

MINUTE = dt.timedelta(minutes=1)


def only(n: Notification, channel: str) -> Delivery:
    return Delivery.objects.get(notification=n, channel=channel)


def test_the_applicant_gets_a_vietnamese_email_with_the_appointment_and_the_lookup_address(
        db, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.PUBLIC_BASE_URL = "https://dichvucong.hagiang.gov.vn"
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant()])
    assert n.status == Notification.Status.SENT and n.sent_at is not None
    [mail] = mailoutbox
    assert mail.to == ["mai@example.vn"]
    assert mail.subject == f"Hồ sơ {PAYLOAD['code']} đã được tiếp nhận"
    assert "Kính gửi Trần Thị Mai," in mail.body
    assert "Ngày hẹn trả kết quả: 09:00 ngày 16/03/2026." in mail.body
    assert f"https://dichvucong.hagiang.gov.vn/tra-cuu/?ma={PAYLOAD['code']}" in mail.body
    d = only(n, "email")
    assert (d.status, d.attempts, d.subject) == ("sent", 1, mail.subject) and d.body == mail.body


def test_by_default_an_sms_is_written_to_the_log_backend(db, django_capture_on_commit_callbacks, caplog):
    caplog.set_level("INFO", logger="motcua.notify.sms")
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(email="")])
    [message] = sms.outbox
    assert message.to == "0912345678" and message.reference == str(only(n, "sms").pk)
    assert message.text.startswith(f"Hồ sơ {PAYLOAD['code']} đã được tiếp nhận. Hẹn trả kết quả 09:00 ngày 16/03/2026.")
    assert "0912345678" in caplog.text


def test_an_account_holder_finds_the_message_in_the_inbox(citizen, django_capture_on_commit_callbacks):
    ask(django_capture_on_commit_callbacks, event="dossier.supplement_requested", recipients=[applicant(citizen)],
        items=["Bản sao quyết định tuyển dụng", {"name": "Sơ yếu lý lịch"}], reason="Thiếu giấy tờ")
    m = Message.objects.get(user=citizen)
    assert m.title == f"Hồ sơ {PAYLOAD['code']} cần bổ sung" and m.read_at is None
    assert "- Bản sao quyết định tuyển dụng\n- Sơ yếu lý lịch" in m.body and "Lý do: Thiếu giấy tờ" in m.body
    assert m.link == PAYLOAD["lookup_url"]


def test_the_http_provider_receives_json_with_the_bearer_token(db, sms_provider, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, event="dossier.result_ready", recipients=[applicant(email="")])
    [got] = sms_provider.received
    assert got["auth"] == "Bearer khoa-thu-nghiem" and got["type"].startswith("application/json")
    assert got["body"]["to"] == "0912345678" and got["body"]["reference"] == str(only(n, "sms").pk)
    assert got["body"]["message"].startswith(f"Hồ sơ {PAYLOAD['code']} đã có kết quả")
    assert only(n, "sms").status == "sent"


def test_a_provider_that_is_down_is_retried_after_the_back_off_and_then_succeeds(
        db, sms_provider, django_capture_on_commit_callbacks, mailoutbox):
    sms_provider.down = True
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant()])
    d = only(n, "sms")
    assert (d.status, d.attempts, d.next_attempt_at) == ("pending", 1, T0 + MINUTE)
    assert "HTTP 503" in d.last_error
    assert only(n, "email").status == "sent" and len(mailoutbox) == 1  # the other channel is not held back
    assert n.status == Notification.Status.PENDING and "503" in n.last_error

    with clock.at(T0 + MINUTE / 2):
        assert delivery.retry_due().sent == 0  # not due yet
    sms_provider.down = False
    with clock.at(T0 + 2 * MINUTE):
        outcome = delivery.retry_due()
    assert (outcome.sent, outcome.retrying, outcome.failed) == (1, 0, 0)
    d.refresh_from_db()
    n.refresh_from_db()
    assert (d.status, d.attempts) == ("sent", 2) and len(sms_provider.received) == 1
    assert n.status == Notification.Status.SENT and n.last_error == ""
    assert len(mailoutbox) == 1  # the e-mail was not sent again


def test_an_unreachable_provider_fails_for_good_after_five_attempts(
        db, sms_provider, django_capture_on_commit_callbacks):
    sms_provider.shutdown()
    sms_provider.server_close()  # nothing listens: connection refused
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(email="")])
    instant = T0
    for wait in (1, 5, 25, 125):
        d = only(n, "sms")
        assert d.status == "pending" and d.next_attempt_at == instant + wait * MINUTE
        instant = d.next_attempt_at
        with clock.at(instant):
            delivery.retry_due()
    d = only(n, "sms")
    n.refresh_from_db()
    assert (d.status, d.attempts, d.next_attempt_at) == ("failed", 5, None)
    assert "không kết nối được" in d.last_error
    assert n.status == Notification.Status.FAILED


def test_an_email_server_failure_is_recorded_and_retried(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(phone="")])
    d = only(n, "email")
    assert d.status == "pending" and d.attempts == 1 and d.last_error


def test_two_senders_never_send_the_same_delivery_twice(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic(), clock.at(T0):
        n = notify.request(event="dossier.received", at=T0, recipients=[applicant(phone="")], **PAYLOAD)
    d = only(n, "email")
    stale = Delivery.objects.get(pk=d.pk)  # a second worker that read the row at the same time
    with clock.at(T0):
        first = delivery.attempt(d, n)
        second = delivery.attempt(stale, n)
    assert (first.sent, second.sent) == (1, 0) and len(mailoutbox) == 1


def test_a_delivery_whose_worker_died_is_taken_again_after_the_lease(db, django_capture_on_commit_callbacks,
                                                                     mailoutbox):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic(), clock.at(T0):
        n = notify.request(event="dossier.received", at=T0, recipients=[applicant(phone="")], **PAYLOAD)
    d = only(n, "email")
    Delivery.objects.filter(pk=d.pk).update(attempts=1, next_attempt_at=T0 + dt.timedelta(minutes=10))  # taken
    with clock.at(T0 + dt.timedelta(minutes=5)):
        assert delivery.retry_due().sent == 0
    with clock.at(T0 + dt.timedelta(minutes=11)):
        assert delivery.retry_due().sent == 1
    assert len(mailoutbox) == 1


class QueueDown(BaseTaskBackend):
    """A task backend whose queue cannot be reached (the test double of a stopped database or broker)."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task queue unreachable")


def test_a_notification_is_still_sent_by_the_command_when_the_task_queue_is_down(
        db, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "tests.notify.test_delivery.QueueDown"}}
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(phone="")])
    assert n.status == Notification.Status.PENDING and mailoutbox == []
    with clock.at(T0):
        call_command("notify_retry", stdout=io.StringIO())
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_after_commit_and_queues_the_retry_for_after_the_back_off(settings, sms_provider):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sms_provider.down = True
    with transaction.atomic():
        n = notify.request(event="dossier.received", at=T0, recipients=[applicant(email="")], **PAYLOAD)
    assert DBTaskResult.objects.count() == 1 and only(n, "sms").attempts == 0  # queued, not yet sent
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, stdout=io.StringIO())
    d = only(n, "sms")
    assert d.attempts == 1 and d.status == "pending"
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == d.next_attempt_at
    sms_provider.down = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=T0)  # the worker's queue sees it due now …
    with clock.at(d.next_attempt_at):  # … and our clock has reached the end of the back-off
        call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, stdout=io.StringIO())
    d.refresh_from_db()
    assert d.status == "sent" and len(sms_provider.received) == 1


@pytest.mark.django_db(transaction=True)
def test_an_action_commits_when_the_sms_endpoint_is_down_and_the_retry_later_succeeds(sms_provider):
    sms_provider.down = True
    with clock.at(T0), transaction.atomic():
        Group.objects.create(name="hành động")  # the action's own write
        n = notify.request(event="dossier.received", at=T0, recipients=[applicant(email="")], **PAYLOAD)
    # Committed for real; the delivery ran after commit (immediate task backend) and failed.
    assert Group.objects.filter(name="hành động").exists()
    d = only(n, "sms")
    assert d.status == "pending" and d.attempts == 1 and "503" in d.last_error
    sms_provider.down = False
    with clock.at(T0 + 2 * MINUTE):
        delivery.retry_due()
    d.refresh_from_db()
    assert d.status == "sent" and len(sms_provider.received) == 1
