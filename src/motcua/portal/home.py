"""The public home page (no login): search the catalogue, the procedures people use most, look up a dossier.

The page is the portal's front door, so it must stay cheap whoever opens it: the one aggregate it shows —
dossiers per procedure over the last year — is counted at most once every ten minutes per cache (the default
cache: per process, or Redis when set) and read from there; the rest is static text. Anonymous visitors cost no
query once the count is cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.portal.forms import LookupForm

MOST_USED_LIMIT = 8
MOST_USED_WINDOW = dt.timedelta(days=365)
MOST_USED_CACHE_KEY = "portal:home:most-used:v1"
MOST_USED_CACHE_SECONDS = 10 * 60


@dataclass(frozen=True)
class UsedProcedure:
    code: str
    name: str
    dossiers: int


def most_used(*, limit: int = MOST_USED_LIMIT) -> list[UsedProcedure]:
    """The active procedures with the most dossiers over the last 365 days, most first (ties by name). Counted
    over the whole dossier table, so cached for ten minutes: a home page must not scan it on every visit."""
    rows = cache.get(MOST_USED_CACHE_KEY)
    if rows is None:
        rows = count_most_used(since=clock.now() - MOST_USED_WINDOW, limit=MOST_USED_LIMIT)
        cache.set(MOST_USED_CACHE_KEY, rows, MOST_USED_CACHE_SECONDS)
    return [UsedProcedure(*row) for row in rows[:limit]]


def count_most_used(*, since: dt.datetime, limit: int) -> list[tuple[str, str, int]]:
    """(code, name, dossiers) of the active procedures with the most dossiers that entered the system since
    ``since``; one grouped query. Plain tuples, so that any cache backend can keep them."""
    rows = (Dossier.objects.filter(submitted_at__gte=since, procedure__status=Procedure.Status.ACTIVE)
            .values_list("procedure__code", "procedure__name")
            .annotate(n=Count("id"))
            .order_by("-n", "procedure__name", "procedure__code")[:limit])
    return [(code, name, n) for code, name, n in rows]


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    """The home page of anyone who is not staff: visitors and citizens."""
    lookup = LookupForm(auto_id="lookup-%s")
    return render(request, "portal/home.html", {"most_used": most_used(), "lookup_code": lookup["ma"]})
