"""The wording: shipped rows for every event and channel, edited by the administrator (checked as Django
template syntax, audited), and what a delivery renders from them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.core.models import AuditEvent
from motcua.notify import defaults, rendering
from motcua.notify.models import Channel, Message, MessageTemplate, Notification
from tests.notify.conftest import PAYLOAD, applicant
from tests.notify.helpers import ask

EVENTS = ("dossier.submitted", "dossier.received", "dossier.supplement_requested", "dossier.refuse",
          "dossier.refused", "dossier.not_received", "dossier.apology", "dossier.mark_ready", "dossier.result_ready",
          "dossier.returned", "dossier.assigned", "dossier.due_soon", "dossier.overdue")


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.vn", "mat-khau-thu-nghiem")


def test_every_event_has_a_shipped_row_for_every_channel(templates):
    have = set(MessageTemplate.objects.values_list("event", "channel"))
    assert {(e, c) for e in EVENTS for c in Channel.values} <= have


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("channel", Channel.values)
def test_every_shipped_text_renders_with_a_full_or_an_empty_payload(event, channel):
    subject, body = defaults.texts(event, channel)
    full = {**PAYLOAD, "items": ["Tờ khai"], "reason": "Thiếu", "new_due_at": "2026-03-20T09:00:00+07:00",
            "step": "Thẩm định", "step_due_at": "2026-03-03T17:30:00+07:00", "remaining": "quá 1 ngày",
            "url": "/ho-so/X/", "holder": "Vũ Ngọc Quỳnh"}
    for payload in (full, {}):
        values = rendering.context_for(event=event, object_id="X-1", payload=payload, recipient={"name": "Mai"})
        s, b = rendering.render(subject, body, values)
        assert b and "{{" not in b and "{%" not in b
        assert channel == "sms" or s
        assert "None" not in s + b


def test_a_template_that_does_not_compile_is_refused_by_the_model(templates):
    row = MessageTemplate.objects.get(event="dossier.received", channel="email")
    row.body = "Hồ sơ {{ code|khong_co_bo_loc_nay }}"
    with pytest.raises(ValidationError):
        row.save()
    row.refresh_from_db()
    assert row.body == defaults.texts("dossier.received", "email")[1]


def _form(row, **changes):
    data = {"event": row.event, "channel": row.channel, "subject": row.subject, "body": row.body, "is_active": "on"}
    data.update(changes)
    return data


def test_the_administrator_edits_a_template_and_the_edit_is_audited_and_used(
        templates, root, client, citizen, django_capture_on_commit_callbacks):
    client.force_login(root)
    row = MessageTemplate.objects.get(event="dossier.received", channel="in_app")
    url = reverse("admin:notify_messagetemplate_change", args=[row.pk])
    response = client.post(url, _form(row, subject="Đã nhận hồ sơ {{ code }} — mời theo dõi"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="notify.messagetemplate.update")
    assert event.actor_username == "root"
    assert event.changes["after"] == {"subject": "Đã nhận hồ sơ {{ code }} — mời theo dõi"}
    ask(django_capture_on_commit_callbacks, recipients=[applicant(citizen)])
    assert Message.objects.get(user=citizen).title == f"Đã nhận hồ sơ {PAYLOAD['code']} — mời theo dõi"


def test_an_edit_with_a_syntax_error_is_shown_next_to_the_field_and_changes_nothing(templates, root, client):
    client.force_login(root)
    row = MessageTemplate.objects.get(event="dossier.received", channel="sms")
    response = client.post(reverse("admin:notify_messagetemplate_change", args=[row.pk]),
                           _form(row, body="Hồ sơ {% if code %}"))
    assert response.status_code == 200 and "Lỗi cú pháp mẫu" in response.content.decode()
    row.refresh_from_db()
    assert row.body == defaults.texts("dossier.received", "sms")[1]
    assert not AuditEvent.objects.filter(action__startswith="notify.messagetemplate").exists()


def test_a_deleted_row_falls_back_to_the_shipped_text_and_a_switched_off_row_sends_nothing(
        templates, mailoutbox, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(event="dossier.received", channel="email").delete()
    ask(django_capture_on_commit_callbacks, recipients=[applicant(phone="")])
    assert mailoutbox[0].subject == f"Hồ sơ {PAYLOAD['code']} đã được tiếp nhận"
    MessageTemplate.objects.filter(event="dossier.returned", channel="email").update(is_active=False)
    n = ask(django_capture_on_commit_callbacks, event="dossier.returned", recipients=[applicant(phone="")])
    assert n.status == Notification.Status.SKIPPED and len(mailoutbox) == 1


def test_an_event_without_any_template_fails_its_deliveries_without_retrying(db, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, event="dossier.unheard_of", recipients=[applicant(phone="")])
    assert n.status == Notification.Status.FAILED
    assert "không có mẫu" in n.deliveries.get().last_error


def test_notifications_are_read_only_in_the_admin_but_failed_ones_can_be_queued_again(
        root, client, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    n = ask(django_capture_on_commit_callbacks, event="dossier.unheard_of", recipients=[applicant(phone="")])
    client.force_login(root)
    page = client.get(reverse("admin:notify_notification_change", args=[n.pk]))
    assert page.status_code == 200 and "không có mẫu" in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MessageTemplate.objects.create(event="dossier.unheard_of", channel="email", subject="Tin {{ code }}", body="Mới")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notify_notification_changelist"),
                               {"action": "resend_failed", "_selected_action": [n.pk]})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT and mailoutbox[0].subject == f"Tin {PAYLOAD['code']}"
    assert AuditEvent.objects.filter(action="notify.notification.resend").count() == 1
