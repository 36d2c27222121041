"""The document search page (/van-ban/tim-kiem/): a GET form of words and filters, results with the matches
marked, pages. Thin: ``selectors.search`` decides what the person may see; a refusal (a date range the wrong way
round) is a message above the form, never an error page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.documents import selectors
from motcua.documents.models import STATE_CHOICES, DocumentType
from motcua.org.pages import staff_page

DIRECTIONS = (("den", "incoming"), ("di", "outgoing"))


def _date(request: HttpRequest, name: str, label: str) -> dt.date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid", _("%(label)s không phải một ngày (năm-tháng-ngày).") % {"label": label},
                          field=name) from None


def _whole(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= 6 else None


@staff_page
def search_page(request: HttpRequest) -> HttpResponse:
    g = request.GET
    form = {"q": g.get("q", "")[:selectors.index.MAX_QUERY], "type": g.get("loai", "")[:40],
            "direction": g.get("so", ""), "year": g.get("nam", "")[:4], "state": g.get("trang-thai", "")[:12],
            "sender": g.get("noi-gui", "")[:255], "from": g.get("tu-ngay", "")[:10], "to": g.get("den-ngay", "")[:10]}
    page = None
    try:
        page = selectors.search(
            actor=request.staff,  # type: ignore[attr-defined]
            q=form["q"], doc_type=form["type"] or None, direction=dict(DIRECTIONS).get(form["direction"]),
            year=_whole(form["year"]), date_from=_date(request, "tu-ngay", _("Từ ngày")),
            date_to=_date(request, "den-ngay", _("Đến ngày")), sender=form["sender"] or None,
            state=form["state"] or None, page=_whole(g.get("trang", "")) or 1)
    except DomainError as error:
        messages.error(request, error.message)
    query = g.copy()
    query.pop("trang", None)
    this_year = timezone.localdate().year
    return render(request, "documents/search.html", {
        "page": page, "form": form, "query": query.urlencode(),
        "searched": any(v for k, v in form.items()),
        "types": DocumentType.objects.filter(is_active=True).values_list("code", "name"),
        "states": STATE_CHOICES, "years": range(this_year, this_year - 10, -1),
    })


urlpatterns = [path("tim-kiem/", search_page, name="search")]
