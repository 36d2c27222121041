"""The public look-up: the code and a second factor give the status in plain words; nothing else leaks, a
wrong code and a wrong factor read the same, and attempts are limited per client and per code."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.applicants import Applicant
from motcua.portal import limits
from motcua.portal.models import LookupCounter
from tests.dossiers.conftest import CITIZEN, MONDAY, at, intake

LOOKUP = "/tra-cuu/"


@pytest.fixture
def dossier(world, now):
    return services.receive_at_desk(actor=world.desk, intake=intake())


def look(client, code: str, check: str, ip: str = "203.0.113.7"):
    return client.post(LOOKUP, {"ma": code, "kiem_tra": check}, REMOTE_ADDR=ip)


def test_the_code_and_the_last_digits_of_the_phone_show_the_status_in_plain_words(client, dossier, world):
    response = look(client, dossier.code, CITIZEN.phone[-4:])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in html and "09:00 16/03/2026" in html and "Tiếp nhận hồ sơ — Văn phòng Sở" in html
    # No staff names and no personal data of the applicant on a public page.
    for secret in (world.desk.full_name, CITIZEN.name, CITIZEN.id_number, CITIZEN.phone, CITIZEN.address):
        assert secret not in html


def test_the_last_digits_of_the_citizen_id_or_the_tax_code_work_too(client, world, now, dossier):
    assert look(client, dossier.code, CITIZEN.id_number[-4:]).status_code == 200
    organisation = Applicant(type="organisation", name="UBND huyện Vị Xuyên", tax_code="5100100011-002",
                             representative="Ông A")
    other = services.receive_at_desk(actor=world.desk, intake=intake(applicant=organisation))
    assert look(client, other.code, "0011").status_code == 200


def test_a_wrong_code_and_a_wrong_factor_get_the_same_answer(client, dossier):
    wrong_factor = look(client, dossier.code, "0000")
    wrong_code = look(client, dossier.code[:-1] + "9", CITIZEN.phone[-4:])
    assert wrong_factor.status_code == wrong_code.status_code == 404
    def message(r):
        return r.content.decode().split('role="alert"')[1].split("</div>")[0]
    assert message(wrong_factor) == message(wrong_code)
    assert "Không tìm thấy hồ sơ khớp" in message(wrong_code)


def test_what_is_missing_shows_when_a_supplement_was_requested(client, world, dossier):
    with clock.at(at(3)):
        services.request_supplement(actor=world.desk, code=dossier.code, version=1, reason="Thiếu bản sao",
                                    items=[services.MissingItem("Quyết định tuyển dụng", "bản sao có chứng thực")])
    html = look(client, dossier.code, CITIZEN.phone[-4:]).content.decode()
    assert "Cần bổ sung hồ sơ" in html and "Quyết định tuyển dụng: bản sao có chứng thực" in html


def test_the_receipts_qr_address_opens_the_page_with_the_code_filled_in(client, dossier):
    response = client.get(LOOKUP, {"ma": dossier.code})
    assert response.status_code == 200 and f'value="{dossier.code}"' in response.content.decode()


def test_attempts_are_limited_per_client_with_a_retry_time(client, dossier, settings):
    settings.LOOKUP_RATE_PER_CLIENT = "3/10m"
    statuses = [look(client, dossier.code, "0000").status_code for _ in range(3)]
    limited = look(client, dossier.code, CITIZEN.phone[-4:])  # even the right answer, once limited
    assert statuses == [404] * 3 and limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 600 and "quá nhiều lần" in limited.content.decode()
    assert look(client, dossier.code, CITIZEN.phone[-4:], ip="198.51.100.2").status_code == 200  # another client


def test_failures_are_counted_exactly_in_a_window_that_ends(rf, db, settings):
    settings.LOOKUP_RATE_PER_CLIENT, settings.LOOKUP_RATE_PER_CODE = "5/10m", "100/h"
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    with clock.at(MONDAY):
        for _ in range(4):
            limits.record_failure(request, "ABC")
        assert limits.retry_after(request, "ABC") is None
        limits.record_failure(request, "ABC")
        assert limits.retry_after(request, "abc ") == 600  # the code is compared as typed on a receipt
    assert LookupCounter.objects.get(name="client:203.0.113.9").failures == 5
    with clock.at(MONDAY + dt.timedelta(minutes=9)):
        assert limits.retry_after(request, "ABC") == 60
    with clock.at(MONDAY + dt.timedelta(minutes=10)):  # the window has ended: a new one starts
        assert limits.retry_after(request, "ABC") is None
        limits.record_failure(request, "ABC")
    assert LookupCounter.objects.get(name="client:203.0.113.9").failures == 1
    assert LookupCounter.objects.get(name="code:ABC").failures == 6  # the hour's window of the code goes on


def test_a_right_answer_is_never_counted(client, dossier, settings):
    settings.LOOKUP_RATE_PER_CLIENT = "2/10m"
    for _ in range(5):
        assert look(client, dossier.code, CITIZEN.phone[-4:]).status_code == 200
    assert not LookupCounter.objects.exists()


@pytest.mark.parametrize("rate", ["abc", "5", "5/", "x/1m"])
def test_a_malformed_rate_setting_is_refused(rate):
    with pytest.raises(ValueError):
        limits.parse_rate(rate)


def test_attempts_are_limited_per_code_whatever_the_client(client, dossier, settings):
    settings.LOOKUP_RATE_PER_CODE = "4/h"
    for n in range(4):
        assert look(client, dossier.code, "0000", ip=f"198.51.100.{n + 10}").status_code == 404
    assert look(client, dossier.code, CITIZEN.phone[-4:], ip="198.51.100.99").status_code == 429


def test_the_api_answers_the_same(client, dossier, settings):
    ok = client.get(f"/api/v1/public/dossiers/{dossier.code}", {"check": CITIZEN.phone[-4:]})
    body = ok.json()
    assert ok.status_code == 200 and body["state"] == "received" and body["due_at"] == "2026-03-16T09:00:00+07:00"
    assert "Lê Minh Đạt" not in ok.content.decode()
    wrong = client.get(f"/api/v1/public/dossiers/{dossier.code}", {"check": "0000"})
    unknown = client.get("/api/v1/public/dossiers/KHONG-CO", {"check": CITIZEN.phone[-4:]})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    assert client.get(f"/api/v1/public/dossiers/{dossier.code}", {"check": "12"}).status_code == 422
    settings.LOOKUP_RATE_PER_CODE = "1/h"  # the wrong factor above used the code's one attempt
    limited = client.get(f"/api/v1/public/dossiers/{dossier.code}", {"check": CITIZEN.phone[-4:]})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited" and limited["Retry-After"]
