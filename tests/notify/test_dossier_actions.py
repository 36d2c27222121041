"""End to end through the dossier services: an action's notification reaches the applicant or the officer,
and a provider that is down never undoes the action."""

import datetime as dt

import pytest

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.notify import delivery
from motcua.notify.models import Delivery, Message, Notification
from tests.dossiers.conftest import at, intake


def test_receiving_at_the_desk_tells_the_applicant_by_email_and_sms(world, mailoutbox, sms_provider,
                                                                    django_capture_on_commit_callbacks):
    with clock.at(at(2, 9)), django_capture_on_commit_callbacks(execute=True):
        d = services.receive_at_desk(actor=world.desk, intake=intake())
    n = Notification.objects.get(object_id=d.code, event="dossier.received")
    assert n.status == Notification.Status.SENT
    [mail] = mailoutbox
    assert mail.to == ["mai@example.vn"] and d.code in mail.subject and "16/03/2026" in mail.body
    [text] = sms_provider.received
    assert text["body"]["to"] == "0912345678" and d.code in text["body"]["message"]


def test_an_officer_given_a_dossier_finds_it_in_the_inbox(world, django_capture_on_commit_callbacks):
    with clock.at(at(2, 9)):
        d = services.receive_at_desk(actor=world.desk, intake=intake())
    with clock.at(at(2, 10)):
        d = services.forward(actor=world.desk, code=d.code, version=d.version)
    with clock.at(at(2, 11)), django_capture_on_commit_callbacks(execute=True):
        services.forward(actor=world.division_leader, code=d.code, version=d.version, assignee_id=world.specialist.pk)
    [m] = Message.objects.filter(user=world.specialist.user)
    assert d.code in m.title and m.link in (f"/ho-so/{d.code}/", f"/tra-cuu/?ma={d.code}")


@pytest.mark.django_db(transaction=True)
def test_the_action_commits_when_the_sms_endpoint_is_down_and_the_retry_later_succeeds(world, sms_provider,
                                                                                       mailoutbox):
    sms_provider.down = True
    with clock.at(at(2, 9)):
        d = services.receive_at_desk(actor=world.desk, intake=intake())  # its own durable transaction
    assert Dossier.objects.filter(code=d.code, state="received").exists()
    sms = Delivery.objects.get(notification__object_id=d.code, channel="sms")
    assert (sms.status, sms.attempts, sms.next_attempt_at) == ("pending", 1, at(2, 9, 1))
    assert len(mailoutbox) == 1  # the e-mail went out regardless
    sms_provider.down = False
    with clock.at(at(2, 9) + dt.timedelta(minutes=2)):
        delivery.retry_due()
    sms.refresh_from_db()
    assert sms.status == "sent" and len(sms_provider.received) == 1
    assert Notification.objects.get(pk=sms.notification_id).status == Notification.Status.SENT
