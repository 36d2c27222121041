"""Single sign-on for citizens through any OpenID Connect provider (the national e-ID VNeID, a provincial SSO),
configured by settings only (``OIDC_*``, see the settings block and the README).

mozilla-django-oidc runs the protocol (state, nonce, PKCE, the code exchange, the signature check against the
provider's JWKS); this module decides who the person is on our side:

1. the citizen whose ``sso_subject`` is the token's ``sub``;
2. else the citizen account with the same e-mail address, linked only when the provider says the address is
   verified (otherwise anyone who typed that address at the provider could take the account);
3. else a new citizen account (active, no password: it signs in through the provider).

A staff or administrator account is never signed in this way: officers log in on their own page, with the
throttling and audit that go with it. Every creation, link and sign-in is an audit event.

Endpoints come from the settings, or when only ``OIDC_OP_DISCOVERY_URL`` is given, from the provider's
discovery document, fetched on first use (never at import or start-up: the site must start when the provider
is down) and kept for a day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path, reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.core import audit, clock
from motcua.dossiers import applicants
from motcua.org.models import Staff
from motcua.portal.models import Citizen

logger = logging.getLogger(__name__)
User = get_user_model()

# Settings that a discovery document can supply, and the document's names for them.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}
DISCOVERY_TTL_SECONDS = 24 * 3600

FAILED = "Không đăng nhập được bằng tài khoản định danh. Xin thử lại, hoặc đăng nhập bằng thư điện tử và mật khẩu."
UNAVAILABLE = "Hệ thống định danh đang không trả lời. Xin thử lại sau ít phút."
STAFF_REFUSED = ("Tài khoản cán bộ không đăng nhập bằng định danh điện tử ở cổng công dân; "
                 "hãy đăng nhập ở trang dành cho cán bộ.")
UNVERIFIED = ("Địa chỉ thư điện tử này đã có tài khoản trên cổng, nhưng nhà cung cấp định danh chưa xác minh "
              "địa chỉ đó nên không thể liên kết. Hãy đăng nhập bằng mật khẩu, hoặc xác minh thư điện tử "
              "với nhà cung cấp định danh rồi thử lại.")
NO_EMAIL = ("Nhà cung cấp định danh không cho biết địa chỉ thư điện tử (hoặc địa chỉ không đúng), "
            "nên chưa tạo được tài khoản. Hãy cho phép chia sẻ thư điện tử rồi thử lại.")
LOCKED = "Tài khoản này đã bị khóa. Xin liên hệ bộ phận một cửa."
LINKED_ELSEWHERE = "Tài khoản có thư điện tử này đã liên kết với một định danh khác."


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be fetched or read."""


class Refusal(Exception):
    """Who the provider says the person is does not give a citizen account here; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------------------------------------
# Settings, with the provider's discovery document behind the endpoints not set explicitly

_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


def discovery_document(url: str) -> dict[str, Any]:
    with _discovery_lock:
        cached = _discovery.get(url)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL,
                                proxies=getattr(settings, "OIDC_PROXY", None))
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"OIDC discovery {url}: {exc}") from exc
    if not isinstance(document, dict) or not all(isinstance(document.get(key), str) for key in
                                                  ("issuer", "authorization_endpoint", "token_endpoint",
                                                   "jwks_uri")):
        raise ProviderUnavailable(f"OIDC discovery {url}: not a provider configuration document")
    with _discovery_lock:
        _discovery[url] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    with _discovery_lock:
        _discovery.clear()


def provider_setting(name: str, *default: Any) -> Any:
    """``settings.<name>``; an endpoint left empty comes from the discovery document when one is configured."""
    value = getattr(settings, name, None)
    if value in (None, "") and name in DISCOVERED and getattr(settings, "OIDC_OP_DISCOVERY_URL", ""):
        value = discovery_document(settings.OIDC_OP_DISCOVERY_URL).get(DISCOVERED[name]) or ""
    if value is None:
        if default:
            return default[0]
        raise ImproperlyConfigured(f"Setting {name} not found")
    return value


def urls() -> list:
    """The protocol's pages under ``/oidc/`` when single sign-on is on (``motcua.urls`` adds them)."""
    return [path("oidc/", include("mozilla_django_oidc.urls"))] if settings.OIDC_ENABLED else []


# --------------------------------------------------------------------------------------------------------
# Who the person is on our side


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def profile_from_claims(claims: dict[str, Any]) -> dict[str, Any]:
    """The citizen's details the provider shares, kept only when they fit our rules (a wrong phone number or
    personal ID number is left out rather than stored)."""
    names = [_text(claims, key) for key in ("family_name", "middle_name", "given_name")]
    full_name = _text(claims, "name") or " ".join(n for n in names if n)
    phone = applicants.normalise_phone(_text(claims, "phone_number"))
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    id_number = _text(claims, settings.OIDC_ID_NUMBER_CLAIM)
    try:
        birth_date = dt.date.fromisoformat(_text(claims, "birthdate")) if _text(claims, "birthdate") else None
    except ValueError:
        birth_date = None
    address = claims.get("address")
    address = address.get("formatted", "") if isinstance(address, dict) else address
    return {
        "full_name": full_name[:150],
        "phone": phone if phone and applicants.phone_ok(phone) and len(phone) <= 20 else "",
        "id_number": id_number if id_number and applicants.id_problem(id_number, None) is None else "",
        "birth_date": birth_date,
        "address": address.strip()[:500] if isinstance(address, str) else "",
    }


def _is_officer(user: Any) -> bool:
    return user.is_staff or user.is_superuser or Staff.objects.filter(user=user).exists()


def _fill_blanks(citizen: Citizen, profile: dict[str, Any]) -> list[str]:
    """Details the citizen has not given yet are taken from the provider; what they typed is never replaced."""
    changed = []
    for field in ("phone", "id_number", "birth_date", "address"):
        if profile[field] and not getattr(citizen, field):
            setattr(citizen, field, profile[field])
            changed.append(field)
    return changed


def sign_in(*, claims: dict[str, Any]) -> Any:
    """The account of the person the provider vouches for (found, linked or created), or ``Refusal``."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _sign_in(claims)
        except IntegrityError:
            # The same person signing in twice at once: the other request created the account; find it.
            if attempt:
                raise Refusal(FAILED) from None
    raise AssertionError("unreachable")


def _sign_in(claims: dict[str, Any]) -> Any:
    subject = _text(claims, "sub")
    if not subject or len(subject) > 255:
        raise Refusal(FAILED)
    profile = profile_from_claims(claims)
    now = clock.now()
    citizen = Citizen.objects.select_related("user").filter(sso_subject=subject).first()
    if citizen is not None:
        user = citizen.user
        if _is_officer(user):
            raise Refusal(STAFF_REFUSED)
        if not user.is_active:
            raise Refusal(LOCKED)
        if changed := _fill_blanks(citizen, profile):
            citizen.save(update_fields=changed)
        audit.record(actor=user, action="portal.sso.login", target=citizen, after={"subject": subject})
        return user

    email = _text(claims, "email").lower()
    if not email or len(email) > 150 or not applicants.email_ok(email):
        raise Refusal(NO_EMAIL)
    verified = _truthy(claims.get("email_verified"))
    matches = list(User.objects.select_for_update().filter(Q(username__iexact=email) | Q(email__iexact=email)))
    if any(_is_officer(user) for user in matches) or Staff.objects.filter(email__iexact=email).exists():
        raise Refusal(STAFF_REFUSED)
    if matches:
        if not verified:
            raise Refusal(UNVERIFIED)
        if len(matches) > 1:
            raise Refusal(FAILED)
        user = matches[0]
        citizen = Citizen.objects.select_for_update().filter(user=user).first()
        if citizen is None:
            raise Refusal(FAILED)
        if citizen.sso_subject:
            raise Refusal(LINKED_ELSEWHERE)
        fields = ["sso_subject", *_fill_blanks(citizen, profile)]
        if not user.is_active:
            if citizen.email_confirmed_at is not None:
                raise Refusal(LOCKED)  # confirmed once, then closed by an administrator
            # Registered but never confirmed: the provider has now confirmed the address. The password was set
            # by whoever typed the address, not proven to be its owner's, so it is dropped.
            user.is_active = True
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            citizen.email_confirmed_at = now
            fields.append("email_confirmed_at")
        citizen.sso_subject = subject
        citizen.save(update_fields=fields)
        audit.record(actor=user, action="portal.sso.link", target=citizen,
                     after={"subject": subject, "email": email})
    else:
        user = User(username=email, email=email, is_active=True)
        user.set_unusable_password()
        user.save()
        citizen = Citizen.objects.create(
            user=user, full_name=profile["full_name"] or email.split("@")[0], phone=profile["phone"],
            id_number=profile["id_number"], birth_date=profile["birth_date"], address=profile["address"],
            sso_subject=subject, created_at=now, email_confirmed_at=now if verified else None)
        audit.record(actor=user, action="portal.sso.create", target=citizen,
                     after={"subject": subject, "email": email, "email_verified": verified})
    audit.record(actor=user, action="portal.sso.login", target=citizen, after={"subject": subject})
    return user


# --------------------------------------------------------------------------------------------------------
# The adapters mozilla-django-oidc calls (named in the settings block)


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """Signs citizens in from the provider's answer; only ever from the callback page, never for a password."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Unlike the parent, read no endpoint here: Django builds a backend for every request with a session, and
        # the endpoints may need the discovery document.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None)
        self.UserModel = User

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_JWKS_ENDPOINT"))

    get_user = ModelBackend.get_user  # the parent's ignores is_active: a closed account must not stay signed in

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or "nonce" not in kwargs or "password" in kwargs or not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; also check that the token was issued by our
        provider, for us (the library skips both)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token audience is not this client")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("id_token authorised party is not this client")
        issuer = provider_setting("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token issuer is not the configured provider")
        if "exp" not in payload:
            raise SuspiciousOperation("id_token without expiry")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo subject differs from the id_token's")
        try:
            return sign_in(claims={**payload, **userinfo})
        except Refusal as refusal:
            logger.warning("SSO sign-in refused for subject %s: %s", payload.get("sub"), refusal.message)
            self.request.sso_refusal = refusal.message  # type: ignore[attr-defined] - shown by the callback page
            return None


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (with state, nonce and PKCE)."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)  # the endpoint is read when used

    OIDC_OP_AUTH_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except ProviderUnavailable as exc:
            logger.warning("SSO unavailable: %s", exc)
            messages.error(request, UNAVAILABLE)
            return HttpResponseRedirect(reverse("citizen-login"))


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; signed in, the citizen lands on their dossiers; refused, on the
    citizen login page with the reason."""

    get_settings = staticmethod(provider_setting)

    @property
    def failure_url(self) -> str:
        return reverse("citizen-login")

    @property
    def success_url(self) -> str:
        return self.request.session.get("oidc_login_next") or reverse("my-dossiers")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except ProviderUnavailable as exc:
            logger.warning("SSO unavailable: %s", exc)
            request.sso_refusal = UNAVAILABLE  # type: ignore[attr-defined]
        except requests.RequestException as exc:
            logger.warning("SSO provider call failed: %s", exc)
            request.sso_refusal = UNAVAILABLE  # type: ignore[attr-defined]
        except (SuspiciousOperation, jwt.PyJWTError) as exc:  # forged, replayed or expired answers
            logger.warning("SSO answer refused: %s", exc)
        return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, getattr(self.request, "sso_refusal", FAILED))
        return HttpResponseRedirect(self.failure_url)
