"""Staff pages: login, the home page each role lands on, the directory, the calendar and the audit log.

Thin adapters: who may see what is asked of ``org.access``; reads come from selectors; writes go through
services. The home page lives here, at the composition root, because later it merges the queues of the
dossier and document apps.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.core import calendars as core_calendars
from motcua.core import services as core_services
from motcua.core import workdays
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.dossiers import access as dossier_access
from motcua.dossiers import selectors as dossier_selectors
from motcua.org import calendars, selectors
from motcua.org.access import can, ensure_can
from motcua.org.pages import staff_page
from motcua.org.roles import ROLE_LABELS, Role
from motcua.portal.home import public_home

AUDIT_PAGE_SIZE = 50


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


def lockout(request: HttpRequest, response: HttpResponse | None = None,
            credentials: dict | None = None) -> HttpResponse:
    """Axes' answer to a locked-out client: JSON in the API's error shape for API calls, a page otherwise."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    message = _("Đăng nhập sai quá nhiều lần; hãy thử lại sau %(minutes)s phút.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        body = {"code": "rate_limited", "message": str(message), "details": {"retry_after_minutes": minutes}}
        return JsonResponse(body, status=429, headers={"Retry-After": str(minutes * 60)})
    page = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    page["Retry-After"] = str(minutes * 60)
    return page


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def home_or_login(request: HttpRequest) -> HttpResponse:
    """``/``: staff land on their work page; anyone else (visitors, citizens) on the public home.

    Staff pages send a visitor who is not logged in to ``/?next=…``; that still leads to the staff login (with
    ``next`` kept), and a login form posted to ``/`` is still handled, so older links and bookmarks keep working.
    """
    user = request.user
    if user.is_authenticated and hasattr(user, "staff"):
        return home(request)
    if not user.is_authenticated and (request.method == "POST" or "next" in request.GET):
        if request.method == "POST":
            return LoginView.as_view()(request)
        return auth_views.redirect_to_login(request.GET["next"], settings.LOGIN_URL)
    return public_home(request)


class DueForm(forms.Form):
    start = forms.DateTimeField(label=_("Thời điểm tiếp nhận"),
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    days = forms.IntegerField(label=_("Số ngày làm việc"), min_value=0, max_value=3650, initial=0, required=False)
    hours = forms.IntegerField(label=_("Số giờ làm việc"), min_value=0, max_value=29200, initial=0, required=False)

    def amount(self) -> workdays.WorkingTime:
        return (workdays.WorkingTime.days(self.cleaned_data["days"] or 0)
                + workdays.WorkingTime.hours(self.cleaned_data["hours"] or 0))


@staff_page
def home(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    profile = selectors.profile(staff)
    cal = calendars.calendar_for(staff.agency)
    now = timezone.localtime()
    due_form = DueForm(request.GET if "start" in request.GET else None)
    due = None
    if due_form.is_bound and due_form.is_valid():
        try:
            due = core_calendars.due_at(due_form.cleaned_data["start"], due_form.amount(), cal)
        except DomainError as exc:
            due_form.add_error(None, exc.message)
    team = _team(profile)
    dossier_counts = None
    if can(staff, "dossiers.view_dossier"):
        dossier_counts = dossier_selectors.counts(dossier_access.actor_of(staff))
    context = {
        "dossier_counts": dossier_counts,
        "profile": profile,
        "role_labels": [ROLE_LABELS[r] for r in sorted(profile.roles)],
        "roles": {r.value for r in profile.roles},
        "today": core_calendars.today_status(cal, now),
        "upcoming": core_calendars.upcoming_days_off(cal, now.date(), limit=5),
        "due_form": due_form,
        "due": due,
        "can_manage": can(staff, "org.manage_organisation"),
        "can_audit": can(staff, "core.view_auditevent"),
        "team": team,
        "team_total": sum(n for _, n in team) if team and Role.AGENCY_LEADER in profile.roles else None,
    }
    return render(request, "home.html", context)


def _team(profile: selectors.Profile):
    """Leaders see their people on the home page: a division leader their division, the agency leader all."""
    if Role.AGENCY_LEADER in profile.roles:
        return selectors.division_headcounts(agency_id=profile.staff.agency_id)
    if Role.DIVISION_LEADER in profile.roles and profile.assignment and profile.assignment.division_id:
        return selectors.directory(agency_id=profile.staff.agency_id, division_id=profile.assignment.division_id)
    return None


@staff_page
def directory(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    ensure_can(staff, "org.view_staff")
    q = request.GET.get("q", "").strip()[:100]
    people = selectors.directory(agency_id=staff.agency_id, search=q)
    return render(request, "directory.html", {"people": people, "q": q})


@staff_page
def calendar_page(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 1900), 2100)
    cal = calendars.calendar_for(staff.agency)
    return render(request, "calendar.html", {
        "year": year, "entries": core_calendars.year_entries(cal, year), "prev": year - 1, "next": year + 1,
        "office_hours": cal.hours_on(dt.date(year, 7, 1) if year != today.year else today),
    })


@staff_page
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    ensure_can(staff, "core.view_auditevent")
    if request.method == "POST":
        result = core_services.verify_audit_chain(actor=request.user, agency_id=staff.agency_id,
                                                  agency_name=staff.agency.name)
        if result.ok:
            messages.success(request, _("Nhật ký toàn vẹn: đã kiểm tra %(n)s sự kiện, không có liên kết nào bị phá vỡ.")
                             % {"n": result.events})
        else:
            messages.error(request, _("Nhật ký KHÔNG toàn vẹn — %(where)s.") % {"where": result.breaks[0]})
        return redirect("audit-log")
    events = AuditEvent.objects.filter(chain=staff.agency_id).order_by("-seq")
    action = request.GET.get("action", "").strip()[:100]
    actor = request.GET.get("actor", "").strip()[:150]
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_username=actor)
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(seq__lt=int(before))
    page = list(events[: AUDIT_PAGE_SIZE + 1])
    more = len(page) > AUDIT_PAGE_SIZE
    page = page[:AUDIT_PAGE_SIZE]
    return render(request, "audit_log.html", {
        "events": page, "next_before": page[-1].seq if more else None, "action": action, "actor": actor,
        "can_verify": can(staff, "core.verify_audit"),
    })
