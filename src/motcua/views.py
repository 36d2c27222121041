"""Staff pages: login, the home page each role lands on, the directory, the calendar, the audit log, and the
staff portal's boards (the agency's announcements and weekly work schedule).

Thin adapters: who may see what is asked of ``org.access``; reads come from selectors; writes go through
services. The home page lives here, at the composition root, because it merges the queues of the dossier and
document apps (``motcua.worklist``).
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
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua import worklist
from motcua.core import calendars as core_calendars
from motcua.core import clock, workdays
from motcua.core import services as core_services
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.dossiers import access as dossier_access
from motcua.dossiers import selectors as dossier_selectors
from motcua.org import calendars, office, selectors
from motcua.org.access import can, ensure_can
from motcua.org.pages import staff_page
from motcua.org.roles import ROLE_LABELS, Role
from motcua.portal.home import public_home

AUDIT_PAGE_SIZE = 50
HOME_ANNOUNCEMENTS = 5
ANNOUNCEMENTS_PAGE = 100


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
    monday = office.monday_of(timezone.localdate(clock.now()))
    context = {
        "work": worklist.for_staff(staff, dossiers_waiting=dossier_counts.mine if dossier_counts else None),
        "announcements": office.current_announcements(staff, limit=HOME_ANNOUNCEMENTS),
        "week": office.week_schedule(staff, monday),
        "search_documents_url": _documents_search_url(),
        "search_all_dossiers": can(staff, "dossiers.view_agency_dossiers"),
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


def _documents_search_url() -> str:
    """The documents search page (built by the documents app); its address stands in until it exists."""
    try:
        return reverse("documents:search")
    except NoReverseMatch:
        return "/van-ban/tim-kiem/"


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


# --------------------------------------------------------------------------------------------------------
# The staff portal's boards: the agency's announcements and its weekly work schedule (org.office)


def _form_refusal(form: forms.Form, error: DomainError) -> None:
    """A refusal as a form error on its field (or on the form); a refusal of the person is the error page."""
    if error.code in {"forbidden", "not_found"}:
        raise error
    name = error.details.get("field")
    form.add_error(name if name in form.fields else None, error.message)


_DATE = {"type": "date"}


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), widget=forms.TextInput(attrs={"maxlength": 200}))
    body = forms.CharField(label=_("Nội dung"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "maxlength": office.BODY_LIMIT}))
    pinned = forms.BooleanField(label=_("Ghim lên đầu danh sách"), required=False)
    expires_on = forms.DateField(label=_("Hiển thị đến hết ngày (để trống: cho đến khi gỡ)"), required=False,
                                 widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"))


@staff_page
@require_http_methods(["GET", "POST"])
def announcements(request: HttpRequest) -> HttpResponse:
    """Everyone of the agency reads its notices; publishers post them here too."""
    staff = request.staff  # type: ignore[attr-defined]
    can_publish = can(staff, office.PUBLISH)
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        ensure_can(staff, office.PUBLISH, staff.agency)
        if form.is_valid():
            try:
                row = office.publish_announcement(actor=staff, **form.cleaned_data)
            except DomainError as error:
                _form_refusal(form, error)
            else:
                messages.success(request, _("Đã đăng thông báo “%(title)s”.") % {"title": row.title})
                return redirect("announcements")
    return render(request, "office/announcements.html", {
        "announcements": office.current_announcements(staff, limit=ANNOUNCEMENTS_PAGE),
        "expired": office.expired_announcements(staff) if can_publish else [],
        "form": form if can_publish else None, "can_publish": can_publish,
    })


@staff_page
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    row = office.announcement_for(staff, pk)
    ensure_can(staff, office.PUBLISH, row)
    form = AnnouncementForm(request.POST if request.method == "POST" else None, initial={
        "title": row.title, "body": row.body, "pinned": row.pinned, "expires_on": row.expires_on})
    if request.method == "POST" and form.is_valid():
        try:
            office.edit_announcement(actor=staff, announcement_id=row.pk, **form.cleaned_data)
        except DomainError as error:
            _form_refusal(form, error)
        else:
            messages.success(request, _("Đã sửa thông báo."))
            return redirect("announcements")
    return render(request, "office/announcement_form.html", {"form": form, "announcement": row})


@staff_page
@require_http_methods(["GET", "POST"])
def announcement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a page, so it works without script); the POST takes the notice down."""
    staff = request.staff  # type: ignore[attr-defined]
    row = office.announcement_for(staff, pk)
    ensure_can(staff, office.PUBLISH, row)
    if request.method == "POST":
        office.withdraw_announcement(actor=staff, announcement_id=row.pk)
        messages.success(request, _("Đã gỡ thông báo “%(title)s”.") % {"title": row.title})
        return redirect("announcements")
    return render(request, "office/confirm.html", {
        "title": _("Gỡ thông báo"), "question": _("Gỡ thông báo này? Mọi người sẽ không còn thấy nó."),
        "subject": row.title, "button": _("Gỡ thông báo"), "back": reverse("announcements")})


class ScheduleEntryForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("Bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Kết thúc"), required=False,
                          widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    title = forms.CharField(label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}))
    location = forms.CharField(label=_("Địa điểm"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    chaired_by = forms.CharField(label=_("Lãnh đạo chủ trì"), required=False,
                                 widget=forms.TextInput(attrs={"maxlength": 150}))
    participants = forms.CharField(label=_("Thành phần"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    division_id = forms.TypedChoiceField(label=_("Đơn vị chuẩn bị"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, divisions: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division_id"].choices = [("", _("— không —")), *divisions]


def _schedule_form(request: HttpRequest, staff, initial: dict | None = None) -> ScheduleEntryForm:
    return ScheduleEntryForm(request.POST if request.method == "POST" else None, initial=initial,
                             divisions=office.divisions_for(staff))


@staff_page
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """The agency's work schedule of one week (Monday–Sunday, morning and afternoon), printable; editors add
    entries here."""
    staff = request.staff  # type: ignore[attr-defined]
    can_edit = can(staff, office.MANAGE_SCHEDULE)
    today = timezone.localdate(clock.now())
    try:
        monday = office.week_start(week=request.GET.get("tuan", "")[:10], day=request.GET.get("ngay", "")[:10],
                                   today=today)
    except DomainError as error:
        messages.error(request, error.message)
        monday = office.monday_of(today)
    form = _schedule_form(request, staff, initial={"day": today if office.monday_of(today) == monday else monday})
    if request.method == "POST":
        ensure_can(staff, office.MANAGE_SCHEDULE, staff.agency)
        if form.is_valid():
            try:
                row = office.add_schedule_entry(actor=staff, **form.cleaned_data)
            except DomainError as error:
                _form_refusal(form, error)
            else:
                messages.success(request, _("Đã thêm vào lịch công tác."))
                return redirect(_week_url(row.day))
    return render(request, "office/schedule.html", {
        "week": office.week_schedule(staff, monday), "today": today, "form": form if can_edit else None,
        "can_edit": can_edit, "this_week": office.week_of(today),
    })


@staff_page
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    row = office.entry_for(staff, pk)
    ensure_can(staff, office.MANAGE_SCHEDULE, row)
    form = _schedule_form(request, staff, initial={
        "day": row.day, "start": row.start, "end": row.end, "title": row.title, "location": row.location,
        "chaired_by": row.chaired_by, "participants": row.participants, "division_id": row.preparing_division_id})
    if request.method == "POST" and form.is_valid():
        try:
            row = office.edit_schedule_entry(actor=staff, entry_id=row.pk, **form.cleaned_data)
        except DomainError as error:
            _form_refusal(form, error)
        else:
            messages.success(request, _("Đã sửa lịch công tác."))
            return redirect(_week_url(row.day))
    return render(request, "office/schedule_form.html", {"form": form, "entry": row, "back": _week_url(row.day)})


def _week_url(day: dt.date) -> str:
    return f"{reverse('schedule')}?tuan={office.week_of(day)}"


@staff_page
@require_http_methods(["GET", "POST"])
def schedule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    row = office.entry_for(staff, pk)
    ensure_can(staff, office.MANAGE_SCHEDULE, row)
    back = _week_url(row.day)
    if request.method == "POST":
        office.delete_schedule_entry(actor=staff, entry_id=row.pk)
        messages.success(request, _("Đã xóa khỏi lịch công tác."))
        return redirect(back)
    return render(request, "office/confirm.html", {
        "title": _("Xóa khỏi lịch công tác"), "question": _("Xóa mục này khỏi lịch công tác tuần?"),
        "subject": f"{row.day:%d/%m/%Y} {row.start:%H:%M} — {row.title}", "button": _("Xóa"), "back": back})
