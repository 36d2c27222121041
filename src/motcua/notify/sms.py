"""SMS providers behind one small interface, chosen by settings (``SMS_BACKEND``).

Vietnamese SMS gateways (brand-name SMS of the telecom operators, or an aggregator) each have their own API;
the ``HttpBackend`` posts a JSON body to a URL with a bearer token, which most aggregators accept or a
small relay can translate. ``LogBackend`` (the default) writes each message to the log and keeps the last
ones in memory, so that a demo or a test sees what would have been sent.
"""

from __future__ import annotations

import collections
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.notify.sms")


class SmsError(Exception):
    """The provider did not accept the message; the text says why, for the delivery's last error."""


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    reference: str = ""


class SmsBackend(Protocol):
    def send(self, message: Sms) -> None:
        """Hand the message to the provider; raise ``SmsError`` when it is not accepted."""


# What LogBackend "sent", newest last; bounded so that a long-running worker does not grow.
outbox: collections.deque[Sms] = collections.deque(maxlen=1000)


class LogBackend:
    def send(self, message: Sms) -> None:
        logger.info("SMS to %s (ref %s): %s", message.to, message.reference, message.text)
        outbox.append(message)


class HttpBackend:
    """POST ``{"to", "message", "reference"}`` as JSON to ``SMS_HTTP_URL`` with ``Authorization: Bearer
    SMS_HTTP_TOKEN``; any 2xx answer is acceptance."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT
        if not self.url.startswith(("http://", "https://")):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http:// or https:// address")

    def send(self, message: Sms) -> None:
        body = json.dumps({"to": message.to, "message": message.text, "reference": message.reference},
                          ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked
                response.read(4096)
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode("utf-8", "replace")
            raise SmsError(f"HTTP {error.code} {error.reason}: {detail}".strip()) from None
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(f"không kết nối được nhà cung cấp SMS: {getattr(error, 'reason', error)}") from None


def get_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
