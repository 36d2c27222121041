"""API authentication: a bearer token from ``POST /api/v1/auth/token``, or the web session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from motcua.org import services


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
        return user


api_auth = [BearerToken(), django_auth]
