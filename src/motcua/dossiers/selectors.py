"""Reads of dossiers shared by the staff pages, the API and the staff home: work queues, lists and the
dossier's full record.

Lists stay fast at millions of dossiers: each is one query on the dossier table, using the partial
indexes on open dossiers (``current_*`` is kept equal to the active step by the services), keyset
pagination instead of offsets, the permission filter inside the query, and only the columns a list shows.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core import clock, workdays
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.text import fold_key
from motcua.dossiers import access, applicants, performers, policy, routing
from motcua.dossiers.models import Attachment, Dossier, DossierAgency, DossierStep, Handoff, SupplementRequest
from motcua.dossiers.states import OPEN, STATE_LABELS, Action, NotAllowed, State, allowed_actions, next_state
from motcua.org.models import Agency, Assignment

COUNT_CAP = 1000


class Queue(StrEnum):
    MINE = "mine"          # the active step is assigned to me
    DIVISION = "division"  # the active step is in my division or unit
    DESK = "desk"          # at the one-stop desk: to check, to forward, results to hand over
    HANDLED = "handled"    # every dossier I received or worked on, finished ones too
    ALL = "all"            # every dossier of the agency (leaders, the desk, auditors)


QUEUE_LABELS = {Queue.MINE: gettext_noop("Việc của tôi"), Queue.DIVISION: gettext_noop("Của phòng"),
                Queue.DESK: gettext_noop("Bộ phận một cửa"), Queue.HANDLED: gettext_noop("Tôi đã xử lý"),
                Queue.ALL: gettext_noop("Tất cả hồ sơ")}

# Columns a list shows; nothing else is read.
_ROW_FIELDS = ("id", "code", "state", "channel", "applicant_name", "applicant_id_number", "applicant_tax_code",
               "applicant_phone", "submitted_at", "received_at", "due_at", "current_due_at", "current_role",
               "outcome", "procedure__code", "procedure__name", "current_division__name", "current_unit__name",
               "current_other_agency__name", "current_assignee__full_name", "agency_id", "reappointments",
               "current_agency_id", "current_agency__name")


@dataclass(frozen=True)
class Row:
    code: str
    state: str
    state_label: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_masked: str
    applicant_phone_masked: str
    channel: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    step_due_at: dt.datetime | None
    place: str
    assignee: str
    outcome: str
    remaining: str
    overdue: bool
    step_overdue: bool
    reappointed: bool


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    next_cursor: str | None
    count: int
    count_capped: bool


def queues_for(actor: policy.Actor) -> list[Queue]:
    """The queues that make sense for someone: their own work; their division's for its leaders; the desk's
    for desk officers; the whole agency for those who see it."""
    out = [Queue.MINE]
    if policy.DIVISION_LEADER in actor.roles and (actor.division_id or actor.unit_id):
        out.append(Queue.DIVISION)
    if policy.DESK in actor.roles:
        out.append(Queue.DESK)
    if actor.perms & {"receive_dossier", "handle_dossier", "approve_dossier"}:
        out.append(Queue.HANDLED)
    if actor.perms & {"view_agency_dossiers", policy.PROVINCE_VIEW}:
        out.append(Queue.ALL)
    return out


def default_queue(actor: policy.Actor) -> Queue:
    if policy.DESK in actor.roles:
        return Queue.DESK
    if policy.DIVISION_LEADER in actor.roles and (actor.division_id or actor.unit_id):
        return Queue.DIVISION
    if policy.AGENCY_LEADER in actor.roles or policy.AUDITOR in actor.roles or policy.PROVINCE_VIEW in actor.perms:
        return Queue.ALL
    return Queue.MINE



def _queue_filter(actor: policy.Actor, queue: Queue) -> Q:
    if queue is Queue.MINE:
        return access.holds_filter(actor)
    if queue is Queue.DIVISION:
        if actor.division_id:
            return Q(current_division_id=actor.division_id)
        if actor.unit_id:
            return Q(current_unit_id=actor.unit_id)
        raise DomainError(ErrorCode.FORBIDDEN, "Bạn không thuộc phòng hay đơn vị nào.")
    if queue is Queue.DESK:
        if policy.DESK not in actor.roles:
            raise DomainError(ErrorCode.FORBIDDEN, "Chỉ cán bộ bộ phận một cửa xem danh sách của bộ phận một cửa.")
        return Q(current_role=policy.DESK, current_division_id=actor.division_id)
    raise AssertionError(queue)


def _encode(*parts: object) -> str:
    return base64.urlsafe_b64encode("|".join(str(p) for p in parts).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[str]:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
    except (ValueError, UnicodeDecodeError):
        raise DomainError(ErrorCode.INVALID, "Con trỏ phân trang không hợp lệ.", field="cursor") from None


def _after(cursor: str | None, field_name: str, descending: bool) -> Q:
    if not cursor:
        return Q()
    parts = _decode(cursor)
    try:
        value, pk = dt.datetime.fromisoformat(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        raise DomainError(ErrorCode.INVALID, "Con trỏ phân trang không hợp lệ.", field="cursor") from None
    op = "lt" if descending else "gt"
    return Q(**{f"{field_name}__{op}": value}) | Q(**{field_name: value, f"id__{op}": pk})


# The states in which a dossier's time limit runs against the agency: only these can be overdue.
CLOCK_RUNS = (State.RECEIVED, State.IN_PROGRESS)


def dossier_list(actor: policy.Actor, *, queue: Queue | None = None, state: str = "", procedure: str = "",
                 overdue: bool | None = None, q: str = "", cursor: str | None = None, limit: int = 50,
                 calendar: workdays.Calendar | None = None) -> Page:
    """A work queue (open dossiers, the most urgent step first) or the agency's list (newest first), filtered;
    one page after ``cursor``."""
    if "view_dossier" not in actor.perms:
        raise DomainError(ErrorCode.FORBIDDEN, "Vai trò của bạn không làm việc với hồ sơ thủ tục hành chính.")
    queue = queue or default_queue(actor)
    if queue not in queues_for(actor):
        raise DomainError(ErrorCode.FORBIDDEN, f"Bạn không xem được danh sách \u201c{QUEUE_LABELS[queue]}\u201d.")
    now = clock.now()
    if queue is Queue.HANDLED:
        worked = DossierStep.objects.filter(Q(finished_by_id=actor.staff_id) | Q(assignee_id=actor.staff_id),
                                            dossier_id=OuterRef("pk"))
        qs = Dossier.objects.filter(Q(Exists(worked)) | Q(received_by_id=actor.staff_id))
        order, key, descending = ("-submitted_at", "-id"), "submitted_at", True
    elif queue is Queue.ALL and overdue:  # the most overdue first
        qs = access.visible_to(actor, Dossier.objects.all())
        order, key, descending = ("due_at", "id"), "due_at", False
    elif queue is Queue.ALL:
        qs = access.visible_to(actor, Dossier.objects.all())
        order, key, descending = ("-submitted_at", "-id"), "submitted_at", True
    else:
        qs = Dossier.objects.filter(_queue_filter(actor, queue), current_agency_id=actor.agency_id, is_open=True,
                                    current_due_at__isnull=False)
        order, key, descending = ("current_due_at", "id"), "current_due_at", False
    if state:
        try:
            qs = qs.filter(state=State(state))
        except ValueError:
            raise DomainError(ErrorCode.INVALID, "Trạng thái không hợp lệ.", field="state") from None
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if overdue is not None:
        # Past the appointment while the agency's clock runs (not while waiting for the applicant, nor once
        # resolved and waiting to be collected): the report's "in progress, overdue".
        late = Q(state__in=CLOCK_RUNS, due_at__lt=now)
        qs = qs.filter(late) if overdue else qs.filter(state__in=CLOCK_RUNS, due_at__gte=now)
    if q := q.strip()[:100]:
        qs = qs.filter(Q(code__contains=q.upper()) | Q(applicant_name_key__contains=fold_key(q)))
    limit = max(1, min(limit, 200))
    count = qs.order_by().values("id")[: COUNT_CAP + 1].count()  # SELECT COUNT(*) FROM (… LIMIT 1001): capped
    page = list(qs.filter(_after(cursor, key, descending)).order_by(*order).values(*_ROW_FIELDS)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = _encode(last[key].isoformat(), last["id"])
    rows = [_row(values, now, calendar, actor.agency_id) for values in page]
    return Page(rows=rows, next_cursor=next_cursor, count=min(count, COUNT_CAP), count_capped=count > COUNT_CAP)


def _row(v: dict, now: dt.datetime, calendar: workdays.Calendar | None, agency_id: int | None = None) -> Row:
    place = (routing.place_label(v["current_other_agency__name"] or v["current_division__name"]
                                 or v["current_unit__name"], v["current_role"])
             or ("Người nộp (đang bổ sung hồ sơ)" if v["state"] == State.AWAITING_SUPPLEMENT else ""))
    if v["current_agency_id"] and v["current_agency_id"] != agency_id and not v["current_other_agency__name"]:
        place = f"{place} — {v['current_agency__name']}" if place else v["current_agency__name"]
    open_ = v["state"] in OPEN
    remaining = ""
    if open_ and v["due_at"] is not None and calendar is not None and v["state"] != State.AWAITING_SUPPLEMENT:
        remaining = workdays.describe_remaining(now, v["due_at"], calendar)
    return Row(
        code=v["code"], state=v["state"], state_label=STATE_LABELS[State(v["state"])],
        procedure_code=v["procedure__code"], procedure_name=v["procedure__name"], applicant_name=v["applicant_name"],
        applicant_id_masked=applicants.mask(v["applicant_id_number"] or v["applicant_tax_code"]),
        applicant_phone_masked=applicants.mask(v["applicant_phone"]), channel=v["channel"],
        submitted_at=v["submitted_at"], received_at=v["received_at"], due_at=v["due_at"],
        step_due_at=v["current_due_at"], place=place, assignee=v["current_assignee__full_name"] or "",
        outcome=v["outcome"], remaining=remaining,
        overdue=bool(v["state"] in CLOCK_RUNS and v["due_at"] is not None and v["due_at"] < now),
        step_overdue=bool(open_ and v["current_due_at"] is not None and v["current_due_at"] < now),
        reappointed=v["reappointments"] > 0,
    )


@dataclass(frozen=True)
class Counts:
    mine: int | None
    division: int | None
    desk: int | None
    overdue: int | None
    capped: int = COUNT_CAP


def counts(actor: policy.Actor) -> Counts:
    """What the staff home shows: how many dossiers wait in each of the actor's queues (capped)."""
    queues = queues_for(actor)

    def n(qs: QuerySet[Dossier]) -> int:
        return qs.order_by().values("id")[:COUNT_CAP].count()

    base = Dossier.objects.filter(current_agency_id=actor.agency_id, is_open=True, current_due_at__isnull=False)
    if Queue.ALL in queues:
        widest = access.visible_to(actor, Dossier.objects.filter(is_open=True))
    else:
        widest = base.filter(_queue_filter(actor, Queue.DIVISION if Queue.DIVISION in queues else Queue.MINE))
    return Counts(
        mine=n(base.filter(_queue_filter(actor, Queue.MINE))) if Queue.HANDLED in queues else None,
        division=n(base.filter(_queue_filter(actor, Queue.DIVISION))) if Queue.DIVISION in queues else None,
        desk=n(base.filter(_queue_filter(actor, Queue.DESK))) if Queue.DESK in queues else None,
        overdue=n(widest.filter(state__in=CLOCK_RUNS, due_at__lt=clock.now())),
    )


@dataclass(frozen=True)
class Detail:
    dossier: Dossier
    plan: list  # the procedure version's ProcessStep rows, in order
    actions: list[Action]
    steps: list[DossierStep]
    handoffs: list[Handoff]
    attachments: list[Attachment]
    personal_data: bool
    partners: list[str]  # the names of the liên thông partner agencies
    remaining: str
    step_remaining: str
    overdue: bool
    step_overdue: bool
    can_attach: bool


def detail(actor: policy.Actor, code: str, *, calendar: workdays.Calendar) -> Detail:
    """One dossier with everything its page and the API show, in a fixed number of queries."""
    # Few joins on purpose: PostgreSQL spent ~14 ms planning a ten-table join here on every request. The
    # current step and its place come from the prefetched steps instead.
    loaded = (Dossier.objects.select_related("procedure", "procedure_version", "agency", "rules",
                                             "receiving_agency", "delivery_agency", "receiving_desk")
        .prefetch_related(
            "documents", "deadlines",
            Prefetch("supplements", queryset=SupplementRequest.objects.select_related("requested_by")),
            Prefetch("procedure_version__steps", queryset=ProcessStep.objects.select_related(
                "other_agency").order_by("order", "pk")),
            Prefetch("steps", queryset=DossierStep.objects.select_related(
                "agency", "division", "unit", "other_agency", "assignee", "finished_by").order_by("started_at", "id")),
            Prefetch("handoffs", queryset=Handoff.objects.order_by("seq")),
            Prefetch("parties", queryset=DossierAgency.objects.select_related("agency").order_by("agency__name")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("document", "uploaded_by"))))
    dossier = access.access_dossier(actor, code, queryset=loaded)
    steps = list(dossier.steps.all())
    active = next((step for step in steps if step.pk == dossier.current_step_id), None)
    if active is not None:
        dossier.current_step = active
        dossier.current_division, dossier.current_unit = active.division, active.unit
        dossier.current_other_agency, dossier.current_assignee = active.other_agency, active.assignee
    now = clock.now()
    counting = (dossier.is_open and dossier.finished_at is None and dossier.due_at is not None
                and dossier.state != State.AWAITING_SUPPLEMENT)
    plan = list(dossier.procedure_version.steps.all())
    return Detail(
        dossier=dossier, plan=plan, actions=available_actions(actor, dossier, plan), steps=steps,
        handoffs=list(dossier.handoffs.all()),
        attachments=list(dossier.attachments.all()), personal_data=access.sees_personal_data(actor, dossier),
        partners=[party.agency.name for party in dossier.parties.all() if party.partner],
        remaining=workdays.describe_remaining(now, dossier.due_at, calendar) if counting else "",
        step_remaining=(workdays.describe_remaining(now, dossier.current_due_at, calendar)
                        if dossier.current_step_id and dossier.current_due_at else ""),
        overdue=counting and dossier.due_at < now,
        can_attach=dossier.is_open and ("receive_dossier" in actor.perms
                                        or policy.holds(actor, access.step_view(dossier.current_step))),
        step_overdue=bool(dossier.current_step_id and dossier.current_due_at and dossier.current_due_at < now),
    )


def available_actions(actor: policy.Actor, dossier: Dossier, rows: list) -> list[Action]:
    """The actions the page offers: allowed by the state table, the policy and the process here. A hint for
    people; the services decide again when the action is taken."""
    step = dossier.current_step
    plan = performers.plan_of(rows)
    index = step.order - 1 if step is not None else None
    previous = access.previous_step(dossier, list(dossier.steps.all()))  # prefetched with the dossier
    checks = {
        Action.FORWARD: lambda: routing.forward_target(plan, index),
        Action.TRANSFER_TO_AGENCY: lambda: routing.transfer_target(plan, index),
        Action.SEND_BACK: lambda: routing.send_back_target(plan, index),
        Action.APPROVE: lambda: routing.may_approve(plan, index),
        Action.RECEIVE_BACK: lambda: routing.after_receive_back(plan, index),
    }
    out = []
    for action in sorted(allowed_actions(dossier.state), key=list(Action).index):
        try:
            next_state(dossier.state, action, received=dossier.is_received)
        except NotAllowed:
            continue
        if policy.check(action.value, actor, step=access.step_view(step), received=dossier.is_received,
                        previous=previous):
            continue
        if action in checks:
            if index is None:
                continue
            try:
                checks[action]()
            except routing.RoutingError:
                continue
        if action is Action.MARK_READY and dossier.result_ready_at is not None:
            continue
        if action is Action.RETURN_RESULT and dossier.result_ready_at is None:
            continue
        if action is Action.APOLOGIZE and dossier.reappointments >= dossier.rules.reappointment_limit:
            continue
        if action is Action.ASSIGN and (step is None or step.role in {policy.DIVISION_LEADER, policy.AGENCY_LEADER}):
            continue  # a leader's own step is handed on with "Chuyển bước tiếp → Giao cho", not assigned
        if (action is Action.REQUEST_SUPPLEMENT and dossier.is_received
                and dossier.supplement_requests >= dossier.rules.supplement_limit):
            continue
        out.append(action)
    return out


def attachment_for(actor: policy.Actor, code: str, attachment_id: int) -> Attachment:
    """A file of a dossier the actor may see (others get the same not-found as for an unknown file)."""
    dossier = access.access_dossier(actor, code)
    attachment = Attachment.objects.filter(pk=attachment_id, dossier=dossier).first()
    if attachment is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy tệp.")
    return attachment


@dataclass(frozen=True)
class LogFilter:
    """Narrowing the dossier log: one procedure (code), channel, state, or outcome ("open": not finished —
    neither resolved nor closed)."""

    procedure: str = ""
    channel: str = ""
    state: str = ""
    outcome: str = ""


def log_dossiers(actor: policy.Actor, date_from: dt.date, date_to: dt.date,
                 filters: LogFilter = LogFilter()) -> QuerySet[Dossier]:
    """The dossiers received by the actor's agency in a period, for its dossier log (Mẫu 06): for those who see
    the whole agency's dossiers. A year of a provincial department is ~1,500 rows."""
    if "view_agency_dossiers" not in actor.perms:
        raise DomainError(ErrorCode.FORBIDDEN, "Chỉ bộ phận một cửa, lãnh đạo và người kiểm tra in sổ theo dõi hồ sơ.")
    if date_from.year < 1901 or date_to.year > 2199:
        raise DomainError(ErrorCode.INVALID, "Ngày của sổ theo dõi phải trong các năm 1901–2199.", field="date_from")
    if (date_to - date_from).days > 366:
        raise DomainError(ErrorCode.INVALID, "Sổ theo dõi in cho tối đa một năm.", field="date_to")
    zone = timezone.get_current_timezone()
    rows = Dossier.objects.filter(
        agency_id=actor.agency_id, received_at__gte=dt.datetime.combine(date_from, dt.time(), tzinfo=zone),
        received_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone))
    if filters.procedure:
        rows = rows.filter(procedure__code=filters.procedure)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.outcome:
        rows = (rows.filter(finished_at__isnull=True) if filters.outcome == "open"
                else rows.filter(outcome=filters.outcome))
    return rows.order_by("log_number")


def receivable_procedures() -> QuerySet[Procedure]:
    """The active procedures a desk receives: every procedure of the province (không phụ thuộc địa giới hành
    chính), by field and name (marks folded, so Đ sorts with D)."""
    return (Procedure.objects.filter(status=Procedure.Status.ACTIVE)
            .select_related("field").order_by("field__name", "name_key"))


def intake_places(procedure_code: str, agency_id: int) -> dict[str, list[tuple[str, str]]]:
    """The desk's choices for a procedure (identifier, name): the agencies that resolve it, the communes of the
    province, and the receiving points where the result can be handed back (this desk's agency first)."""
    resolvers = list(Agency.objects.filter(resolved_procedures__code=procedure_code, is_active=True)
                     .order_by("name").values_list("identifier", "name"))
    communes = list(Agency.objects.filter(kind=Agency.Kind.COMMUNE, is_active=True).order_by("name")
                    .values_list("identifier", "name"))
    points = list(Agency.objects.filter(divisions__is_one_stop_desk=True, divisions__is_active=True, is_active=True)
                  .exclude(pk=agency_id).distinct().order_by("kind", "name").values_list("identifier", "name"))
    return {"resolvers": resolvers, "communes": communes, "points": points}


def people_for_step(found: Detail, index: int | None) -> list[tuple[int, str]]:
    """Who step ``index`` of a dossier's process can be given to: active staff with its role at its place,
    in Vietnamese name order."""
    if index is None or not 0 <= index < len(found.plan):
        return []
    row = found.plan[index]
    try:
        who = performers.of_dossier(found.dossier, found.plan, index)
    except performers.MissingPlace:
        return []
    if who.external is not None:
        return []
    posts = Assignment.objects.current().filter(agency_id=who.agency.pk, staff__is_active=True,
                                                staff__user__groups__name=row.role)
    if who.division is not None:
        posts = posts.filter(division_id=who.division.pk)
    elif who.unit is not None:
        posts = posts.filter(unit_id=who.unit.pk)
    return sorted({(a.staff_id, a.staff.full_name) for a in posts.select_related("staff")},
                  key=lambda p: (fold_key(p[1]), p[1]))
