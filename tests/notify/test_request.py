"""What a request records, inside the action's transaction: recipients, one delivery per channel that
reaches each of them, according to their choices."""

import pytest
from django.db import transaction

from motcua.core import clock
from motcua.notify import services as notify
from motcua.notify.models import Channel, Delivery, Message, MessageTemplate, Notification, Preference
from motcua.notify.preferences import Choice
from tests.notify.conftest import T0, applicant
from tests.notify.helpers import ask


def channels(n: Notification) -> list[tuple[int, str, str]]:
    return sorted(Delivery.objects.filter(notification=n).values_list("recipient", "channel", "address"))


@pytest.mark.django_db(transaction=True)
def test_a_request_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        notify.request(event="dossier.received", at=T0)
    assert not Notification.objects.exists()


def test_a_walk_in_applicant_gets_email_and_sms_at_the_addresses_given(db, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant()])
    assert n.recipients == [applicant()]
    assert {c for _, c, _ in channels(n)} == {"email", "sms"}


def test_a_walk_in_applicant_without_email_gets_only_sms(db, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(email="")])
    assert [(c, a) for _, c, a in channels(n)] == [("sms", "0912345678")]


def test_an_applicant_with_an_account_gets_email_sms_and_in_app_by_default(citizen, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(citizen)])
    assert {c for _, c, _ in channels(n)} == {"email", "sms", "in_app"}
    assert Message.objects.filter(user=citizen).count() == 1


def test_staff_get_email_and_in_app_but_no_sms_by_default(citizen, django_capture_on_commit_callbacks):
    officer = {**applicant(citizen), "role": "staff"}
    n = ask(django_capture_on_commit_callbacks, event="dossier.assigned", recipients=[officer])
    assert {c for _, c, _ in channels(n)} == {"email", "in_app"}


def test_a_saved_choice_wins_over_the_defaults(citizen, django_capture_on_commit_callbacks):
    notify.save_preferences(user=citizen, choice=Choice(email=False, sms=False, in_app=True))
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant(citizen)])
    assert [c for _, c, _ in channels(n)] == ["in_app"]


def test_a_request_with_no_recipients_is_recorded_and_skipped(db, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, event="dossier.forwarded", recipients=[])
    assert n.status == Notification.Status.SKIPPED and not Delivery.objects.filter(notification=n).exists()


def test_a_channel_switched_off_by_the_administrator_is_not_planned(templates, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(event="dossier.received", channel=Channel.SMS).update(is_active=False)
    n = ask(django_capture_on_commit_callbacks, recipients=[applicant()])
    assert [c for _, c, _ in channels(n)] == ["email"]


def test_unknown_recipient_keys_are_dropped_not_refused(db, django_capture_on_commit_callbacks):
    n = ask(django_capture_on_commit_callbacks, recipients=[{**applicant(), "colour": "red"}])
    assert "colour" not in n.recipients[0]


def test_the_same_once_key_twice_records_one_notification(db, django_capture_on_commit_callbacks):
    for _ in range(2):
        with clock.at(T0), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notify.request(event="dossier.overdue", at=T0, recipients=[applicant()], once_key="overdue:1:2026-03-02")
    assert Notification.objects.filter(once_key="overdue:1:2026-03-02").count() == 1
    assert notify.already_requested(["overdue:1:2026-03-02", "overdue:2:2026-03-02"]) == {"overdue:1:2026-03-02"}


def test_quiet_records_history_without_sending(db, django_capture_on_commit_callbacks, mailoutbox):
    with notify.quiet():
        n = ask(django_capture_on_commit_callbacks, recipients=[applicant()])
    assert n.status == Notification.Status.SKIPPED and mailoutbox == []


def test_saving_preferences_is_audited_once_per_change(citizen):
    from motcua.core.models import AuditEvent

    notify.save_preferences(user=citizen, choice=Choice(email=True, sms=False, in_app=True))
    notify.save_preferences(user=citizen, choice=Choice(email=True, sms=False, in_app=True))
    assert Preference.objects.get(user=citizen).sms is False
    assert AuditEvent.objects.filter(action="notify.preference.update").count() == 1
