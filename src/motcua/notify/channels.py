"""The three channels behind one interface: ``send(delivery, rendered)`` returns when the message is handed
over, or raises (the caller records the failure and schedules a retry).

E-mail goes through Django's e-mail backend (console in local mode, locmem in tests, SMTP when EMAIL_HOST is
set), SMS through the provider in ``sms.py``, in-app is a row in the recipient's inbox.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.core import clock
from motcua.notify import sms
from motcua.notify.models import Channel, Delivery, Message
from motcua.notify.rendering import Rendered

Sender = Callable[[Delivery, Rendered], None]


def send_email(delivery: Delivery, rendered: Rendered) -> None:
    message = EmailMessage(subject=rendered.subject, body=rendered.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[delivery.address], headers={"X-Motcua-Delivery": str(delivery.pk)})
    message.send(fail_silently=False)


def send_sms(delivery: Delivery, rendered: Rendered) -> None:
    sms.get_backend().send(sms.Sms(to=delivery.address, text=rendered.body, reference=str(delivery.pk)))


def send_in_app(delivery: Delivery, rendered: Rendered) -> None:
    """Idempotent: a retry after a crash between writing the row and recording the delivery adds nothing."""
    if delivery.user_id is None:
        raise ValueError("thông báo trên hệ thống cần tài khoản người nhận")
    Message.objects.get_or_create(delivery=delivery, defaults={
        "user_id": delivery.user_id, "title": rendered.subject[:255], "body": rendered.body,
        "link": rendered.link[:500], "created_at": clock.now()})


SENDERS: dict[str, Sender] = {Channel.EMAIL: send_email, Channel.SMS: send_sms, Channel.IN_APP: send_in_app}
