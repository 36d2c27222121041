"""The notify tests' world: recipients as the dossier app sends them, a real local HTTP server standing in for
an SMS provider (a test double of the provider, not a mock of our code), and the dossier world for the
reminders and the end-to-end checks."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from motcua.notify import sms
from tests.dossiers.conftest import now, world  # noqa: F401 - fixtures shared with the dossier tests

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)


class _Provider(BaseHTTPRequestHandler):
    server: ProviderServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.down:
            self._answer(503, {"error": "bảo trì"})
            return
        self.server.received.append({"body": body, "auth": self.headers.get("Authorization"),
                                     "type": self.headers.get("Content-Type")})
        self._answer(200, {"status": "accepted", "id": len(self.server.received)})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


class ProviderServer(ThreadingHTTPServer):
    down = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Provider)
        self.received: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/api/sms"


@pytest.fixture
def sms_provider(settings) -> Iterator[ProviderServer]:
    server = ProviderServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "motcua.notify.sms.HttpBackend"
    settings.SMS_HTTP_URL = server.url
    settings.SMS_HTTP_TOKEN = "khoa-thu-nghiem"
    settings.SMS_HTTP_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def _clean_outboxes() -> None:
    sms.outbox.clear()


@pytest.fixture
def templates(db) -> None:
    """The shipped template rows, as the data migration leaves them (a transactional test elsewhere may have
    emptied the table)."""
    importlib.import_module("motcua.notify.migrations.0003_default_message_templates").add_defaults(apps, None)


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user("mai", "mai@example.vn", "mat-khau-thu-nghiem")


@pytest.fixture
def other_citizen(db):
    return get_user_model().objects.create_user("lan", "lan@example.vn", "mat-khau-thu-nghiem")


def applicant(user=None, *, email: str = "mai@example.vn", phone: str = "0912345678") -> dict[str, Any]:
    return {"user_id": user.pk if user else None, "name": "Trần Thị Mai", "email": email, "phone": phone,
            "role": "applicant"}


PAYLOAD = {"code": "000.00.12.H22-260302-0001", "procedure": "Bổ nhiệm ngạch công chức",
           "agency": "Sở Nội vụ tỉnh Hà Giang", "due_at": "2026-03-16T09:00:00+07:00",
           "lookup_url": "/tra-cuu/?ma=000.00.12.H22-260302-0001"}
