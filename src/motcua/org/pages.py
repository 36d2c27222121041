"""What every staff page shares: who is asking, and how a refusal reads on a page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import DomainError
from motcua.org.access import staff_of


def staff_page(view):
    """Pages for logged-in staff: anonymous visitors go to the login page; others must be staff of an agency.
    A ``DomainError`` the view lets through becomes the error page with its status (403, 404, 409 …)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return auth_views.redirect_to_login(request.get_full_path(), login_url="/")
        try:
            request.staff = staff_of(request.user)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "error.html", {"error": exc}, status=exc.http_status)

    return wrapper
