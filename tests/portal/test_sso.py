"""Citizens' single sign-on by OpenID Connect, against a real (small) provider: an HTTP server on 127.0.0.1 in a
thread that runs the authorization-code flow — the authorize redirect with code and state, the token endpoint
(client secret, single-use code, PKCE, an RS256 id_token with the nonce), userinfo and JWKS. Our callback calls
it over real HTTP; nothing of ours is mocked."""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import clear_url_caches, include, path, reverse
from jwt.algorithms import RSAAlgorithm

from motcua import urls as site_urls
from motcua.core import clock
from motcua.core.models import AuditEvent
from motcua.portal import sso
from motcua.portal.models import Citizen
from tests.factories import make_staff

User = get_user_model()
pytestmark = pytest.mark.django_db

CLIENT_ID = "motcua-cong-dich-vu"
CLIENT_SECRET = "bi-mat-cua-ung-dung"
CALLBACK = "http://testserver/oidc/callback/"
PASSWORD = "mat-khau-rat-dai-1"
BACKENDS = ["axes.backends.AxesStandaloneBackend", "motcua.portal.sso.CitizenOIDCBackend",
            "django.contrib.auth.backends.ModelBackend"]

# The site's URLs with the /oidc/ block switched on (motcua.urls adds it only when OIDC_ENABLED at start-up).
urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *site_urls.urlpatterns]


# --------------------------------------------------------------------------------------------------------
# The provider


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider:
    """What an identity provider does in the code flow, and no more; ``person`` is who signs in at it."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "khoa-1"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.provider = self  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def reset(self) -> None:
        self.person: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.access: dict[str, dict[str, Any]] = {}
        self.tamper = False
        self.audience = CLIENT_ID
        self.calls: list[str] = []
        self.refusals: list[str] = []

    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.base, "authorization_endpoint": f"{self.base}/authorize",
                "token_endpoint": f"{self.base}/token", "userinfo_endpoint": f"{self.base}/userinfo",
                "jwks_uri": f"{self.base}/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"]}

    def jwks(self) -> dict[str, Any]:
        key = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**key, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if (query.get("response_type") != "code" or query.get("client_id") != CLIENT_ID
                or "openid" not in query.get("scope", "").split() or query.get("redirect_uri") != CALLBACK):
            return self.refuse("authorize: bad request")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"person": dict(self.person), "nonce": query.get("nonce"),
                            "challenge": query.get("code_challenge"), "method": query.get("code_challenge_method")}
        back = f"{CALLBACK}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": back}, None

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (grant is None or form.get("grant_type") != "authorization_code" or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET or form.get("redirect_uri") != CALLBACK):
            return self.refuse("token: bad grant")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            if grant["method"] != "S256" or _b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
                return self.refuse("token: PKCE")
        person = grant["person"]
        now = int(time.time())
        claims = {"iss": self.base, "sub": person["sub"], "aud": self.audience, "iat": now, "exp": now + 300,
                  "auth_time": now}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        if self.tamper:  # someone in the middle changes who the token is about, keeping the signature
            header, _, signature = id_token.split(".")
            forged = _b64url(json.dumps({**claims, "sub": "ke-mao-danh"}).encode())
            id_token = f"{header}.{forged}.{signature}"
        access_token = secrets.token_urlsafe(24)
        self.access[access_token] = person
        return 200, {}, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300,
                         "id_token": id_token}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], Any]:
        person = self.access.get(authorization.removeprefix("Bearer "))
        if person is None:
            return self.refuse("userinfo: bad token", status=401)
        return 200, {}, person

    def refuse(self, why: str, status: int = 400) -> tuple[int, dict[str, str], Any]:
        self.refusals.append(why)
        return status, {}, {"error": "invalid_request", "error_description": why}


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, status: int, headers: dict[str, str], body: Any) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        provider: Provider = self.server.provider  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        provider.calls.append(url.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._answer(200, {}, provider.discovery())
        elif url.path == "/jwks":
            self._answer(200, {}, provider.jwks())
        elif url.path == "/authorize":
            self._answer(*provider.authorize(query))
        elif url.path == "/userinfo":
            self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
        else:
            self._answer(404, {}, {"error": "not_found"})

    def do_POST(self) -> None:
        provider: Provider = self.server.provider  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        provider.calls.append(url.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        if url.path == "/token":
            self._answer(*provider.token({k: v[0] for k, v in parse_qs(body).items()}))
        else:
            self._answer(404, {}, {"error": "not_found"})

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def provider():
    server = Provider()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _settings(provider: Provider, **extra: Any) -> dict[str, Any]:
    return {"OIDC_ENABLED": True, "OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_DISCOVERY_URL": "", "OIDC_OP_ISSUER": provider.base,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{provider.base}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{provider.base}/token", "OIDC_OP_USER_ENDPOINT": f"{provider.base}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{provider.base}/jwks", "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_ID_NUMBER_CLAIM": "so_dinh_danh", "OIDC_TIMEOUT": 5,
            "AUTHENTICATION_BACKENDS": BACKENDS, "ROOT_URLCONF": __name__, **extra}


@pytest.fixture
def oidc(provider, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    provider.reset()
    sso.forget_discovery()
    with override_settings(**_settings(provider)):
        yield provider
    sso.forget_discovery()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_browser = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def _at_provider(url: str) -> str:
    """The browser's visit to the provider's authorize page: where it sends the browser back to."""
    try:
        _browser.open(url, timeout=5)  # the test's own provider on 127.0.0.1
    except urllib.error.HTTPError as answer:
        assert answer.code == 302, answer.read()
        return answer.headers["Location"]
    raise AssertionError("the provider did not redirect")


def sign_in(client, provider: Provider, person: dict[str, Any], start: str = "/oidc/authenticate/"):
    """Click the SSO button, sign in at the provider as ``person``, come back: our callback's response."""
    provider.person = person
    begin = client.get(start)
    assert begin.status_code == 302, begin
    assert begin["Location"].startswith(f"{provider.base}/authorize?")
    back = urlsplit(_at_provider(begin["Location"]))
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def person(**overrides: Any) -> dict[str, Any]:
    return {"sub": "vneid-001234", "email": "Lan.Nguyen@Example.vn", "email_verified": True,
            "name": "Nguyễn Thị Lan", "phone_number": "+84912345678", "so_dinh_danh": "001190012345",
            "birthdate": "1990-05-17", **overrides}


def _signed_in_user(client):
    return client.get(reverse("my-dossiers")).wsgi_request.user


def _citizen_account(email: str, *, confirmed: bool = True):
    user = User.objects.create_user(username=email, email=email, password=PASSWORD, is_active=confirmed)
    Citizen.objects.create(user=user, full_name="Nguyễn Thị Lan", phone="0987654321", created_at=clock.now(),
                           email_confirmed_at=clock.now() if confirmed else None)
    return user


def _refused_with(client, response, text: str) -> None:
    assert response.status_code == 302 and response["Location"] == reverse("citizen-login")
    page = client.get(response["Location"])
    assert text in page.content.decode()
    assert not _signed_in_user(client).is_authenticated


# --------------------------------------------------------------------------------------------------------
# Signing in


def test_a_new_person_signs_in_and_gets_an_active_citizen_account_without_password(client, oidc):
    response = sign_in(client, oidc, person())
    assert response.status_code == 302 and response["Location"] == reverse("my-dossiers"), oidc.refusals
    user = _signed_in_user(client)
    assert user.is_authenticated and user.username == "lan.nguyen@example.vn" and user.email == user.username
    assert user.is_active and not user.has_usable_password()
    citizen = user.citizen
    assert (citizen.full_name, citizen.phone, citizen.id_number, citizen.sso_subject) == (
        "Nguyễn Thị Lan", "0912345678", "001190012345", "vneid-001234")
    assert citizen.birth_date.isoformat() == "1990-05-17" and citizen.email_confirmed_at is not None
    assert client.get(reverse("my-dossiers")).status_code == 200
    assert list(AuditEvent.objects.filter(action__startswith="portal.sso.").order_by("seq")
                .values_list("action", flat=True)) == ["portal.sso.create", "portal.sso.login"]
    # Our side sent the provider the secret, a single-use code and the PKCE verifier; it called every endpoint.
    assert {"/authorize", "/token", "/userinfo", "/jwks"} <= set(oidc.calls) and not oidc.refusals


def test_the_second_sign_in_finds_the_same_citizen_by_subject_even_with_a_new_email(client, oidc):
    sign_in(client, oidc, person())
    client.logout()
    response = sign_in(client, oidc, person(email="lan.moi@example.vn", name="Tên Khác"))
    assert response.status_code == 302 and response["Location"] == reverse("my-dossiers")
    assert _signed_in_user(client).username == "lan.nguyen@example.vn"
    assert User.objects.count() == 1 and Citizen.objects.get().full_name == "Nguyễn Thị Lan"
    assert AuditEvent.objects.filter(action="portal.sso.login").count() == 2


def test_the_page_asked_for_before_signing_in_is_where_the_citizen_lands(client, oidc):
    response = sign_in(client, oidc, person(), start="/oidc/authenticate/?next=/cong-dan/ho-so/ABC/")
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/ABC/"
    client.logout()
    response = sign_in(client, oidc, person(), start="/oidc/authenticate/?next=https://ke-gian.example/")
    assert response["Location"] == reverse("my-dossiers")  # never off-site


def test_a_verified_email_links_the_existing_citizen_account(client, oidc):
    existing = _citizen_account("lan.nguyen@example.vn")
    response = sign_in(client, oidc, person(email="LAN.NGUYEN@example.vn", email_verified="true"))
    assert response["Location"] == reverse("my-dossiers")
    assert _signed_in_user(client).pk == existing.pk and User.objects.count() == 1
    existing.refresh_from_db()
    citizen = existing.citizen
    assert citizen.sso_subject == "vneid-001234" and existing.has_usable_password()
    assert citizen.phone == "0987654321" and citizen.id_number == "001190012345"  # kept / filled when blank
    assert AuditEvent.objects.filter(action="portal.sso.link").count() == 1


def test_an_unconfirmed_registration_is_linked_activated_and_loses_the_password_nobody_proved(client, oidc):
    existing = _citizen_account("lan.nguyen@example.vn", confirmed=False)
    assert sign_in(client, oidc, person())["Location"] == reverse("my-dossiers")
    existing.refresh_from_db()
    assert existing.is_active and not existing.has_usable_password()
    assert existing.citizen.email_confirmed_at is not None


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_matching_an_account_is_refused_and_creates_nothing(client, oidc, verified):
    existing = _citizen_account("lan.nguyen@example.vn")
    claims = person(email_verified=verified) if verified is not None else {
        k: v for k, v in person().items() if k != "email_verified"}
    response = sign_in(client, oidc, claims)
    _refused_with(client, response, "chưa xác minh")
    assert User.objects.count() == 1 and Citizen.objects.get().sso_subject == ""
    existing.refresh_from_db()
    assert existing.has_usable_password()
    assert not AuditEvent.objects.filter(action__startswith="portal.sso.").exists()


def test_a_tampered_id_token_is_refused(client, oidc):
    oidc.tamper = True
    response = sign_in(client, oidc, person())
    _refused_with(client, response, "Không đăng nhập được")
    assert not User.objects.exists() and not Citizen.objects.exists()


def test_a_token_issued_for_another_application_is_refused(client, oidc):
    oidc.audience = "ung-dung-khac"
    _refused_with(client, sign_in(client, oidc, person()), "Không đăng nhập được")
    assert not User.objects.exists()


def test_a_callback_cannot_be_replayed(client, oidc):
    oidc.person = person()
    begin = client.get("/oidc/authenticate/")
    back = urlsplit(_at_provider(begin["Location"]))
    assert client.get(f"{back.path}?{back.query}")["Location"] == reverse("my-dossiers")
    client.logout()
    _refused_with(client, client.get(f"{back.path}?{back.query}"), "Không đăng nhập được")


def test_the_provider_saying_no_leaves_the_citizen_on_the_login_page(client, oidc):
    client.get("/oidc/authenticate/")
    state = next(iter(client.session["oidc_states"]))
    _refused_with(client, client.get("/oidc/callback/", {"error": "access_denied", "state": state}),
                  "Không đăng nhập được")


@pytest.mark.parametrize("how", ["user e-mail", "staff e-mail", "linked subject"])
def test_a_staff_account_cannot_be_signed_into_through_sso(client, oidc, roles, how):
    staff = make_staff()
    if how == "user e-mail":
        staff.user.email = "lan.nguyen@example.vn"
        staff.user.save(update_fields=["email"])
    elif how == "staff e-mail":
        staff.email = "LAN.NGUYEN@example.vn"
        staff.save(update_fields=["email"])
    else:  # an officer who had a citizen account linked before joining
        Citizen.objects.create(user=staff.user, full_name="Nguyễn Văn Thử", sso_subject="vneid-001234",
                               created_at=clock.now())
    users = User.objects.count()
    response = sign_in(client, oidc, person())
    _refused_with(client, response, "Tài khoản cán bộ")
    assert User.objects.count() == users
    assert not AuditEvent.objects.filter(action__startswith="portal.sso.").exists()


def test_a_closed_account_stays_closed(client, oidc):
    sign_in(client, oidc, person())
    client.logout()
    User.objects.filter(username="lan.nguyen@example.vn").update(is_active=False)
    _refused_with(client, sign_in(client, oidc, person()), "đã bị khóa")


def test_a_provider_that_shares_no_email_gets_a_clear_refusal(client, oidc):
    claims = {k: v for k, v in person().items() if k != "email"}
    _refused_with(client, sign_in(client, oidc, claims), "không cho biết địa chỉ thư điện tử")
    assert not User.objects.exists()


def test_claims_that_do_not_fit_are_left_out_rather_than_stored(client, oidc):
    sign_in(client, oidc, person(phone_number="12", so_dinh_danh="abc", birthdate="17/05/1990", name=""))
    citizen = Citizen.objects.get()
    assert (citizen.phone, citizen.id_number, citizen.birth_date) == ("", "", None)
    assert citizen.full_name == "lan.nguyen"


def test_the_endpoints_can_come_from_the_discovery_document_read_once(client, oidc):
    blank = dict.fromkeys(["OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT",
                           "OIDC_OP_JWKS_ENDPOINT", "OIDC_OP_ISSUER"], "")
    with override_settings(OIDC_OP_DISCOVERY_URL=f"{oidc.base}/.well-known/openid-configuration", **blank):
        assert sign_in(client, oidc, person())["Location"] == reverse("my-dossiers")
        client.logout()
        assert sign_in(client, oidc, person())["Location"] == reverse("my-dossiers")
    assert oidc.calls.count("/.well-known/openid-configuration") == 1


def test_an_unreachable_provider_sends_the_citizen_back_with_a_message(client, oidc):
    with override_settings(OIDC_OP_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration",
                           OIDC_OP_AUTHORIZATION_ENDPOINT="", OIDC_TIMEOUT=2):
        response = client.get("/oidc/authenticate/")
        _refused_with(client, response, "không trả lời")


# --------------------------------------------------------------------------------------------------------
# Switched on by settings only


def test_the_login_page_offers_the_provider_only_when_enabled(client, oidc):
    page = client.get(reverse("citizen-login")).content.decode()
    assert "Đăng nhập bằng VNeID / SSO tỉnh" in page and 'href="/oidc/authenticate/"' in page
    with override_settings(OIDC_ENABLED=False):
        assert "VNeID" not in client.get(reverse("citizen-login")).content.decode()
        assert client.get("/oidc/authenticate/").status_code == 404


def test_passwords_still_work_beside_sso(client, oidc):
    _citizen_account("lan.nguyen@example.vn")
    response = client.post(reverse("citizen-login"), {"username": "lan.nguyen@example.vn",
                                                      "password": PASSWORD})
    assert response.status_code == 302 and _signed_in_user(client).username == "lan.nguyen@example.vn"


def test_the_site_adds_the_oidc_pages_only_when_enabled():
    assert not any(str(p.pattern) == "oidc/" for p in site_urls.urlpatterns)
    try:
        with override_settings(OIDC_ENABLED=True):
            enabled = importlib.reload(site_urls)
            assert any(str(p.pattern) == "oidc/" for p in enabled.urlpatterns)
    finally:
        importlib.reload(site_urls)
        clear_url_caches()


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import motcua.settings as s; print(s.AUTHENTICATION_BACKENDS)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MOTCUA_ENV": "test", **env})


def test_settings_refuse_an_incomplete_provider_and_place_the_backend_after_axes():
    off = _settings_with({"OIDC_ENABLED": ""})
    assert off.returncode == 0 and "sso" not in off.stdout
    incomplete = _settings_with({"OIDC_ENABLED": "true", "OIDC_RP_CLIENT_ID": "x"})
    assert incomplete.returncode != 0 and "OIDC_OP_DISCOVERY_URL" in incomplete.stderr
    on = _settings_with({"OIDC_ENABLED": "true", "OIDC_RP_CLIENT_ID": "x",
                         "OIDC_OP_DISCOVERY_URL": "https://sso.example.gov.vn/.well-known/openid-configuration"})
    assert on.returncode == 0, on.stderr
    assert on.stdout.index("AxesStandaloneBackend") < on.stdout.index("CitizenOIDCBackend")
