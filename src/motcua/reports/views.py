"""The report pages: the resolution report, the leaders' dashboard, the province's dashboard and process
measurement. Thin: who may read which agency's figures is ``access``'s; the figures are ``selectors``',
``dashboard``'s and ``process``'s; the charts are drawn by ``charts``. Bad input is shown on the form (status
400), never a server error. An agency's pages read its dossiers from one side (``?side=``: resolving,
receiving, either; by default what it resolves, or what it received for a service centre or a branch)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext

from motcua.catalog.models import Field, Procedure
from motcua.core import clock
from motcua.dossiers.states import State
from motcua.org.models import Agency, Division, Staff
from motcua.org.pages import staff_page
from motcua.reports import access, charts, dashboard, forms, periods, process, selectors

EXPORT_FORMATS = (("xlsx", "Excel (.xlsx)"), ("pdf", "PDF"), ("csv", "CSV"))


def _province(user: Any) -> bool:
    return access.may_read_province(user)


SIDE_LABELS = {"resolving": _lazy("Hồ sơ cơ quan giải quyết"), "receiving": _lazy("Hồ sơ cơ quan tiếp nhận"),
               "either": _lazy("Hồ sơ cơ quan tiếp nhận hoặc giải quyết")}


def _side(request: HttpRequest, agency: Agency | None) -> str | None:
    """The side asked for (``?side=``), or the agency's default; None for the whole province."""
    if agency is None:
        return None
    asked = request.GET.get("side", "")
    return asked if asked in selectors.SIDES else selectors.default_side(agency)


def _agency(request: HttpRequest, *, allow_all: bool) -> Agency | None:
    """The agency whose figures are asked for (``?agency=``), or a refusal the error page shows. A reader of
    the whole province — the province's leaders and auditors, or one without rights on their own agency — starts
    on every agency (or the first other one)."""
    staff: Staff = request.staff  # type: ignore[attr-defined]
    access.reader_of(request.user)
    identifier = request.GET.get("agency", "").strip()[:40]
    # The province's own roles open the report on the whole province; their dashboards stay their own agency's.
    whole_province = not request.user.has_perm("dossiers.view_reports") or (
        allow_all and request.user.has_perm("dossiers.view_province_dossiers"))
    if not identifier and whole_province and _province(request.user):
        identifier = "all" if allow_all else (Agency.objects.exclude(pk=staff.agency_id).order_by("name")
                                              .values_list("identifier", flat=True).first() or "")
    if identifier == access.ALL and not allow_all:
        identifier = staff.agency.identifier
    return access.report_agency(request.user, identifier or None)


def _agency_choices(request: HttpRequest) -> list[tuple[str, str]] | None:
    if not _province(request.user):
        return None
    return list(Agency.objects.order_by("name").values_list("identifier", "name"))


def _form(request: HttpRequest, **kwargs: Any) -> forms.PeriodForm:
    data = request.GET.copy()
    if not any(data.get(key) for key in forms.PERIOD_KEYS):
        data.update(forms.default_query(timezone.localdate(clock.now())))
    return forms.PeriodForm(data, **kwargs)


def _period_label(period: periods.Period) -> str:
    return _("từ %(start)s đến %(end)s") % {"start": date_format(period.date_from, "d/m/Y"),
                                             "end": date_format(period.date_to, "d/m/Y")}


def _query(agency: Agency | None, period: periods.Period, *, side: str | None = None, **extra: Any) -> str:
    values = {"from": period.date_from.isoformat(), "to": period.date_to.isoformat(),
              "agency": agency.identifier if agency else access.ALL}
    if agency is not None and side and side != selectors.default_side(agency):
        values["side"] = side
    values.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(values)


def _tabs(current: str, user: Any = None) -> list[tuple[str, str, bool]]:
    province = [(reverse("reports:province"), _("Toàn tỉnh"), current == "province")] \
        if user is not None and _province(user) else []
    return [*province,
            (reverse("reports:dashboard"), _("Tổng quan"), current == "dashboard"),
            (reverse("reports:resolution"), _("Tình hình giải quyết TTHC"), current == "resolution"),
            (reverse("reports:process"), _("Đo lường quy trình"), current == "process")]


def _filter_choices(agency: Agency | None) -> dict[str, list[tuple[int, str]]]:
    if agency is None:
        procedures = Procedure.objects.all()
        divisions = Division.objects.none()
    else:
        procedures = selectors.own_procedures(agency)
        divisions = Division.objects.filter(agency=agency, is_one_stop_desk=False, is_active=True)
    fields = Field.objects.filter(pk__in=procedures.values("field_id")).order_by("name")
    return {"field_choices": list(fields.values_list("pk", "name")),
            "division_choices": list(divisions.order_by("name").values_list("pk", "name")),
            "procedure_choices": [(pk, f"{code} — {name}") for pk, code, name in
                                  procedures.order_by("code").values_list("pk", "code", "name")]}


def _header(report: selectors.Report) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    """The official table's two header rows: (heading, how many columns) and (key, label) in order."""
    top: list[tuple[str, int]] = []
    for _key, _label, heading in selectors.COLUMNS:
        if top and top[-1][0] == str(heading):
            top[-1] = (top[-1][0], top[-1][1] + 1)
        else:
            top.append((str(heading), 1))
    return top, [(key, str(label)) for key, label, _heading in selectors.COLUMNS]


@staff_page
def resolution(request: HttpRequest) -> HttpResponse:
    province = _province(request.user)
    agency = _agency(request, allow_all=True)
    form = _form(request, agencies=_agency_choices(request), allow_all=province, groups=True,
                 sides=agency is not None, **_filter_choices(agency))
    context: dict[str, Any] = {"tabs": _tabs("resolution", request.user), "form": form, "agency": agency,
                               "report": None, "cutoff_day": settings.REPORT_CUTOFF_DAY}
    if not form.is_valid():
        return render(request, "reports/page_resolution.html", context, status=400)
    data = form.cleaned_data
    period = data["period"]
    group_by = data.get("group_by") or "procedure"
    side = (data.get("side") or selectors.default_side(agency)) if agency is not None else None
    report = selectors.resolution(period=period, agency=agency, group_by=group_by, field_id=data.get("field"),
                                  division_id=data.get("division"), procedure_id=data.get("procedure"), side=side)
    query = _query(agency, period, side=side, group_by=group_by, field=data.get("field"),
                   division=data.get("division"), procedure=data.get("procedure"))
    api = reverse("api-v1:api-root") + "reports/resolution"
    top, columns = _header(report)
    context.update(
        report=report, period_label=_period_label(period), headings=top, columns=columns,
        rows=[[r.label, *[getattr(r, key) for key, _label in columns]] for r in report.rows],
        totals=[getattr(report.totals, key) for key, _label in columns],
        group_label=dict([*forms.GROUP_CHOICES, *forms.AGENCY_GROUP_CHOICES, forms.PROVINCE_GROUP])[group_by],
        side_label=SIDE_LABELS[side] if side and side != selectors.RESOLVING else "",
        empty=not any(getattr(report.totals, key) for key in selectors.COUNT_KEYS),
        downloads=[(f"{api}?{query}&format={fmt}", label, fmt) for fmt, label in EXPORT_FORMATS])
    return render(request, "reports/page_resolution.html", context)


def _month_label(day: dt.date) -> str:
    return f"{day.month}/{day.year}"


def _axis_months(months: list[dashboard.Month]) -> list[str]:
    """The month under each pair of bars, the year under each January — and under the first month unless a
    January comes right after it, where the two years would run into each other."""
    out = []
    for n, m in enumerate(months):
        first = n == 0 and not (len(months) > 1 and months[1].start.month == 1)
        out.append(f"{m.start.month}\n{m.start.year}" if first or m.start.month == 1 else str(m.start.month))
    return out


def _trend_chart(board_months: list[dashboard.Month], window: periods.Period) -> str:
    return charts.grouped_bars(
        chart_id="chart-months", title=_("Hồ sơ tiếp nhận và đã giải quyết theo tháng"),
        desc=_("Biểu đồ cột, 12 tháng %(window)s: mỗi tháng một cột hồ sơ tiếp nhận mới và một cột hồ sơ đã "
               "giải quyết. Số liệu chi tiết ở bảng ngay sau biểu đồ.") % {"window": _period_label(window)},
        categories=_axis_months(board_months), empty_text=_("Chưa có số liệu"),
        names=[_("tháng %(month)s") % {"month": _month_label(m.start)} for m in board_months],
        series=[charts.Series(_("Tiếp nhận mới"), tuple(m.received for m in board_months)),
                charts.Series(_("Đã giải quyết"), tuple(m.resolved for m in board_months))])


def _dashboard_charts(board: dashboard.Dashboard) -> dict[str, Any]:
    window = _period_label(board.window)
    by_agency = board.divisions.group_by != "division"
    divisions = charts.horizontal_bars(
        chart_id="chart-divisions",
        title=_("Tỷ lệ giải quyết đúng hạn theo cơ quan giải quyết") if by_agency
        else _("Tỷ lệ giải quyết đúng hạn theo phòng"),
        desc=(_("Biểu đồ thanh ngang, thang 0–100 %%, %(window)s: tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn "
                "trên tổng số đã giải quyết của mỗi cơ quan giải quyết.") if by_agency else
              _("Biểu đồ thanh ngang, thang 0–100 %%, %(window)s: tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn "
                "trên tổng số đã giải quyết của mỗi phòng.")) % {"window": window},
        items=[(r.label, r.on_time_rate) for r in board.divisions.rows], empty_text=_("Chưa có số liệu"),
        none_text=_("chưa giải quyết hồ sơ nào"))
    backlog = charts.histogram(
        chart_id="chart-backlog", title=_("Tuổi hồ sơ đang giải quyết"),
        desc=_("Biểu đồ cột: số hồ sơ đang giải quyết hoặc chờ bổ sung theo số ngày làm việc kể từ khi tiếp "
               "nhận."),
        buckets=[(_bucket_axis(b), b.count) for b in board.backlog], empty_text=_("Không có hồ sơ tồn"))
    return {"chart_months": mark_safe(_trend_chart(board.months, board.window)),  # noqa: S308 - escaped by charts
            "chart_divisions": mark_safe(divisions),  # noqa: S308
            "chart_backlog": mark_safe(backlog)}  # noqa: S308


def _bucket_axis(bucket: dashboard.Bucket) -> str:
    """The bucket under its bar, on two lines: "3–5" then "ngày"."""
    span = f"> {bucket.low - 1}" if bucket.high is None else f"{bucket.low}–{bucket.high}"
    return f"{span}\n{pgettext('days', 'ngày')}"


def _bucket_label(bucket: dashboard.Bucket) -> str:
    if bucket.high is None:
        return _("trên %(n)s ngày") % {"n": bucket.low - 1}
    return _("%(low)s–%(high)s ngày") % {"low": bucket.low, "high": bucket.high}


@staff_page
def dashboard_page(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.staff  # type: ignore[attr-defined]
    agency = _agency(request, allow_all=False)
    assert agency is not None  # allow_all=False never yields every agency
    side = _side(request, agency)
    board = dashboard.dashboard(agency, side=side)
    own = agency.pk == staff.agency_id
    lists = own and request.user.has_perm("dossiers.view_agency_dossiers")
    month_query = _query(agency, board.month, side=side, group_by="field")
    dossiers = reverse("dossier-list")
    totals = board.month_report.totals
    tiles = [
        {"key": "received", "label": _("Tiếp nhận mới trong tháng"), "value": totals.received_online
         + totals.received_direct,
         "detail": _("trực tuyến %(online)s, trực tiếp và bưu chính %(direct)s; kỳ trước chuyển qua %(carried)s")
         % {"online": totals.received_online, "direct": totals.received_direct, "carried": totals.carried_over},
         "url": f"{reverse('reports:resolution')}?{month_query}"},
        {"key": "resolved", "label": _("Đã giải quyết trong tháng"), "value": totals.resolved,
         "detail": _("trước hạn %(early)s, đúng hạn %(on_time)s, quá hạn %(late)s")
         % {"early": totals.early, "on_time": totals.on_time, "late": totals.late},
         "url": f"{reverse('reports:resolution')}?{month_query}"},
        {"key": "on_time_rate", "label": _("Tỷ lệ đúng hạn trong tháng"),
         "value": charts.format_percent(totals.on_time_rate, 2),
         "detail": _("trên %(n)s hồ sơ đã giải quyết") % {"n": totals.resolved},
         "url": f"{reverse('reports:resolution')}?{month_query}", "alert": (totals.on_time_rate or 100) < 100},
        {"key": "overdue", "label": _("Đang giải quyết quá hạn"), "value": board.live.overdue,
         "detail": _("đã quá hẹn trả, chưa giải quyết xong"),
         "alert": board.live.overdue > 0, "url": f"{dossiers}?ds=all&qua-han=1" if lists else None},
        {"key": "due_soon", "label": _("Đến hạn trong 2 ngày làm việc"), "value": board.live.due_soon,
         "detail": _("đang giải quyết, hẹn trả sắp đến") if board.live.due_soon else _("không có hồ sơ nào"),
         "url": "#sap-den-han"},
        {"key": "awaiting", "label": _("Chờ bổ sung"), "value": board.live.awaiting_supplement,
         "detail": _("hồ sơ đang chờ người nộp bổ sung"),
         "url": f"{dossiers}?ds=all&trang-thai={State.AWAITING_SUPPLEMENT.value}" if lists else None},
        {"key": "satisfaction", "label": _("Mức độ hài lòng"),
         "value": charts.format_percent(board.satisfaction.rate),
         "detail": (_("%(satisfied)s/%(rated)s lượt đánh giá hài lòng trong 12 tháng")
                    % {"satisfied": board.satisfaction.satisfied, "rated": board.satisfaction.rated}
                    if board.satisfaction.rated else _("chưa có lượt đánh giá nào trong 12 tháng")),
         "url": (reverse("admin:portal_rating_changelist")
                 if own and request.user.has_perm("portal.view_rating") else None)},
    ]
    breakdown = board.divisions.group_by
    return render(request, "reports/page_dashboard.html", {
        "tabs": _tabs("dashboard", request.user), "agency": agency, "board": board, "tiles": tiles, "lists": lists,
        "month_label": _period_label(board.month), "window_label": _period_label(board.window),
        "agencies": _agency_choices(request), "month_rows": [(_month_label(m.start), m) for m in board.months],
        "backlog_rows": [(_bucket_label(b), b.count) for b in board.backlog],
        "side": side, "sides": forms.SIDE_CHOICES[1:], "side_label": SIDE_LABELS[side],
        "by_agency": breakdown != "division",
        "divisions_url": f"{reverse('reports:resolution')}?"
                         f"{_query(agency, board.window, side=side, group_by=breakdown)}",
        "months_url": f"{reverse('reports:resolution')}?{_query(agency, board.window, side=side, group_by='field')}",
        "province_url": reverse("reports:province") if _province(request.user) else None,
        **_dashboard_charts(board),
    })


@staff_page
def province_page(request: HttpRequest) -> HttpResponse:
    """The province's dashboard (provincial leaders, the service centre's director: ``view_province_reports``):
    the period's totals, where each dossier counts once, per resolving agency and per receiving point."""
    access.province_reader(request.user)
    form = _form(request)
    context: dict[str, Any] = {"tabs": _tabs("province", request.user), "form": form, "board": None,
                               "cutoff_day": settings.REPORT_CUTOFF_DAY}
    if not form.is_valid():
        return render(request, "reports/page_province.html", context, status=400)
    period = form.cleaned_data["period"]
    board = dashboard.province(period=period)
    totals = board.report.totals
    report = reverse("reports:resolution")

    def report_url(group_by: str) -> str:
        return f"{report}?{_query(None, period, group_by=group_by)}"

    def agency_url(row: selectors.Row, side: str) -> str:
        query = {"from": period.date_from.isoformat(), "to": period.date_to.isoformat(), "agency": row.key,
                 "side": side}
        return f"{report}?{urlencode(query)}"

    tiles = [
        {"key": "received", "label": _("Tiếp nhận mới"), "value": totals.received_online + totals.received_direct,
         "detail": _("trực tuyến %(online)s, trực tiếp và bưu chính %(direct)s; kỳ trước chuyển qua %(carried)s")
         % {"online": totals.received_online, "direct": totals.received_direct, "carried": totals.carried_over}},
        {"key": "resolved", "label": _("Đã giải quyết"), "value": totals.resolved,
         "detail": _("trước hạn %(early)s, đúng hạn %(on_time)s, quá hạn %(late)s")
         % {"early": totals.early, "on_time": totals.on_time, "late": totals.late}},
        {"key": "on_time_rate", "label": _("Tỷ lệ đúng hạn"), "value": charts.format_percent(totals.on_time_rate, 2),
         "detail": _("trên %(n)s hồ sơ đã giải quyết") % {"n": totals.resolved},
         "alert": (totals.on_time_rate or 100) < 100},
        {"key": "in_progress", "label": _("Đang giải quyết"), "value": totals.in_progress,
         "detail": _("trong hạn %(within)s, quá hạn %(overdue)s")
         % {"within": totals.in_progress_within, "overdue": totals.in_progress_overdue}},
        {"key": "overdue", "label": _("Đang giải quyết quá hạn"), "value": totals.in_progress_overdue,
         "detail": _("cuối kỳ (hoặc hôm nay nếu kỳ chưa hết)"), "alert": totals.in_progress_overdue > 0},
        {"key": "awaiting", "label": _("Chờ bổ sung"), "value": totals.awaiting_supplement,
         "detail": _("rút hồ sơ trong kỳ: %(withdrawn)s") % {"withdrawn": totals.withdrawn}},
    ]
    context.update(
        board=board, tiles=tiles, period_label=_period_label(period), window_label=_period_label(board.window),
        empty=not any(getattr(totals, key) for key in selectors.COUNT_KEYS),
        chart_months=mark_safe(_trend_chart(board.months, board.window)),  # noqa: S308 - escaped by charts
        month_rows=[(_month_label(m.start), m) for m in board.months],
        resolving_rows=[(r, agency_url(r, selectors.RESOLVING)) for r in board.report.rows],
        receiving_rows=[(r, agency_url(r, selectors.RECEIVING)) for r in board.receiving.rows],
        report_links=[(report_url("resolving_agency"), _("Báo cáo theo cơ quan giải quyết")),
                      (report_url("receiving_agency"), _("Báo cáo theo nơi tiếp nhận")),
                      (report_url("commune"), _("Báo cáo theo xã, phường")),
                      (report_url("field"), _("Báo cáo theo lĩnh vực"))])
    return render(request, "reports/page_province.html", context)


@staff_page
def process_page(request: HttpRequest) -> HttpResponse:
    agency = _agency(request, allow_all=False)
    assert agency is not None
    form = _form(request, agencies=_agency_choices(request))
    context: dict[str, Any] = {"tabs": _tabs("process", request.user), "form": form, "agency": agency, "figures": None,
                               "cutoff_day": settings.REPORT_CUTOFF_DAY}
    if not form.is_valid():
        return render(request, "reports/page_process.html", context, status=400)
    period = form.cleaned_data["period"]
    figures = process.measure(agency=agency, period=period)
    context.update(figures=figures, period_label=_period_label(period),
                   divisions_url=f"{reverse('reports:resolution')}?{_query(agency, period, group_by='division')}")
    return render(request, "reports/page_process.html", context)
