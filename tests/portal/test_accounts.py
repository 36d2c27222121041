"""A citizen's account: register, confirm the e-mail address, log in, reset the password — and the refusals."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from motcua.core.models import AuditEvent
from motcua.portal.models import Citizen

User = get_user_model()
PASSWORD = "mot-mat-khau-dai-9"
pytestmark = pytest.mark.django_db


def _register(client, django_capture_on_commit_callbacks, **overrides):
    data = {"email": "Mai.Tran@Example.vn", "full_name": "Trần Thị Mai", "phone": "0912 345 678",
            "password": PASSWORD, "password2": PASSWORD, **overrides}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("citizen-register"), data)


def _link(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def test_registering_creates_an_inactive_account_and_mails_a_confirmation_link(client,
                                                                               django_capture_on_commit_callbacks):
    response = _register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "kiểm tra hộp thư" in response.content.decode()
    user = User.objects.get(username="mai.tran@example.vn")
    assert not user.is_active and user.citizen.full_name == "Trần Thị Mai" and user.citizen.phone == "0912345678"
    assert [m.to for m in mail.outbox] == [["mai.tran@example.vn"]]
    assert "/cong-dan/xac-nhan/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="portal.register").count() == 1


def test_an_unconfirmed_account_cannot_log_in_and_the_link_confirms_it_once(client,
                                                                            django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    refused = client.post(reverse("citizen-login"), {"username": "mai.tran@example.vn", "password": PASSWORD})
    assert refused.status_code == 200 and "liên kết xác nhận" in refused.content.decode()
    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 302
    assert User.objects.get(username="mai.tran@example.vn").is_active
    assert Citizen.objects.get().email_confirmed_at is not None
    again = client.get(link)
    assert again.status_code == 400 and "đã dùng" in again.content.decode()
    logged = client.post(reverse("citizen-login"), {"username": "MAI.TRAN@example.vn", "password": PASSWORD})
    assert logged.status_code == 302 and logged["Location"] == reverse("my-dossiers")


def test_a_tampered_confirmation_link_is_refused(client, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    assert client.get(link[:-3] + "zz/").status_code == 400
    assert client.get("/cong-dan/xac-nhan/%%%/abc/").status_code in (400, 404)
    assert not User.objects.get(username="mai.tran@example.vn").is_active


def test_registering_an_address_already_taken_answers_the_same_and_creates_nothing(
        client, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    response = _register(client, django_capture_on_commit_callbacks, full_name="Kẻ Giả Mạo")
    assert response.status_code == 200 and "kiểm tra hộp thư" in response.content.decode()
    assert User.objects.count() == 1 and Citizen.objects.get().full_name == "Trần Thị Mai"
    assert "đã có tài khoản" in mail.outbox[0].body


@pytest.mark.parametrize(("overrides", "field_text"), [
    ({"password": "123", "password2": "123"}, "quá ngắn"),
    ({"password2": "khac-mat-khau-99"}, "không khớp"),
    ({"email": "khong-phai-thu"}, "thư điện tử"),
    ({"phone": "12345"}, "Số điện thoại không đúng"),
    ({"full_name": ""}, "bắt buộc"),
])
def test_bad_registration_is_told_next_to_the_field_and_creates_nothing(client, overrides, field_text,
                                                                        django_capture_on_commit_callbacks):
    response = _register(client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 400
    assert field_text.lower() in response.content.decode().lower()
    assert User.objects.count() == 0 and not mail.outbox


def test_a_forgotten_password_is_reset_through_the_mailed_link(client, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    client.get(_link(mail.outbox[0]))
    mail.outbox.clear()
    assert client.post(reverse("citizen-password-reset"), {"email": "mai.tran@example.vn"}).status_code == 302
    link = _link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "mat-khau-moi-2026",
                                                         "new_password2": "mat-khau-moi-2026"})
    assert done.status_code == 302
    logged = client.post(reverse("citizen-login"), {"username": "mai.tran@example.vn",
                                                    "password": "mat-khau-moi-2026"})
    assert logged.status_code == 302 and logged["Location"] == reverse("my-dossiers")


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    client.get(_link(mail.outbox[0]))
    for _ in range(5):
        client.post(reverse("citizen-login"), {"username": "mai.tran@example.vn", "password": "sai-mat-khau"})
    locked = client.post(reverse("citizen-login"), {"username": "mai.tran@example.vn", "password": PASSWORD})
    assert locked.status_code == 429 and "thử lại sau" in locked.content.decode()


def test_citizen_pages_need_a_citizen_login(client, world):
    response = client.get(reverse("my-dossiers"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("citizen-login"))
    client.force_login(world.desk.user)
    assert client.get(reverse("my-dossiers")).status_code == 403


def test_where_the_citizen_was_going_is_kept_through_registration_but_never_another_site(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("citizen-register") + "?next=/cong-dan/nop/SNV.TEST.01/", {
            "email": "an@example.vn", "full_name": "Lê Văn An", "password": PASSWORD, "password2": PASSWORD,
            "next": "/cong-dan/nop/SNV.TEST.01/"})
        client.post(reverse("citizen-register"), {
            "email": "binh@example.vn", "full_name": "Lê Văn Bình", "password": PASSWORD, "password2": PASSWORD,
            "next": "https://evil.example/"})
    kept, dropped = (_link(m) for m in mail.outbox)
    assert client.get(kept)["Location"] == reverse("citizen-login") + "?next=%2Fcong-dan%2Fnop%2FSNV.TEST.01%2F"
    assert "evil" not in dropped and client.get(dropped)["Location"] == reverse("citizen-login")
