"""What a citizen sees of their own dossiers and drafts: statuses in plain words, the public timeline (places,
never staff names), what a supplement request asks for, and what they may do now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.core.errors import DomainError, ErrorCode
from motcua.dossiers.models import Attachment, Dossier, Handoff
from motcua.dossiers.states import ACTION_LABELS, Action, State, allowed_actions
from motcua.portal import lookup
from motcua.portal.models import DraftFile, Rating, SubmissionDraft


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    what: str
    step: str
    place: str
    note: str


@dataclass(frozen=True)
class MyDossier:
    dossier: Dossier
    status: lookup.PublicStatus
    timeline: list[TimelineEntry]
    documents: list[Any]
    results: list[Attachment]
    sent: list[Attachment]
    rating: Rating | None
    can_supplement: bool
    can_withdraw: bool
    can_rate: bool
    results_online: bool


def my_dossiers(account: Any) -> QuerySet[Dossier]:
    """The account's dossiers, newest first (the list pages them)."""
    return (Dossier.objects.filter(applicant_account=account).select_related("procedure")
            .only("code", "state", "submitted_at", "due_at", "result_ready_at", "returned_at", "procedure__name")
            .order_by("-submitted_at", "-id"))


def drafts(account: Any) -> QuerySet[SubmissionDraft]:
    return SubmissionDraft.objects.filter(account=account).select_related("procedure").order_by("-updated_at")


def my_draft(account: Any, draft_id: int) -> SubmissionDraft:
    """One of the account's drafts; another's reads as not found."""
    draft = drafts(account).filter(pk=draft_id).first()
    if draft is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ nháp.")
    return draft


def filing_procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không có thủ tục này.")
    return procedure


def resolvers(procedure: Procedure) -> list[tuple[str, str]]:
    """The agencies that resolve a procedure (identifier, name), for an online applicant's choice."""
    return list(procedure.resolving_agencies.filter(is_active=True).order_by("name")
                .values_list("identifier", "name"))


def draft_checklist(draft: SubmissionDraft) -> list[tuple[RequiredDocument, DraftFile | None]]:
    """Each document the procedure's current version requires, with the draft's file for it (or None)."""
    version = draft.procedure.current_version()
    have = {f.required_document_id: f for f in draft.files.all()}
    return [(d, have.get(d.pk)) for d in version.documents.order_by("order")] if version else []


def missing_files(checklist: list[tuple[RequiredDocument, DraftFile | None]]) -> list[str]:
    """The mandatory documents a draft has no file for: it cannot be submitted until they are uploaded."""
    return [document.name for document, file in checklist if document.mandatory and file is None]


def my_dossier(account: Any, code: str) -> MyDossier:
    """One of the account's dossiers; another's reads as not found."""
    dossier = (Dossier.objects.select_related("procedure", "agency", "current_step", "current_division",
                                              "current_unit", "current_other_agency")
               .filter(code=code, applicant_account=account).first())
    if dossier is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ.")
    status = lookup.status_of(dossier)
    handoffs = Handoff.objects.filter(dossier=dossier).order_by("seq").only(
        "at", "action", "to_state", "receiver_place", "note")
    # The step each hand-off started (the same instant), so that the applicant reads what progressed.
    reached = dict(dossier.steps.values_list("started_at", "name"))
    timeline = [TimelineEntry(at=h.at, what=_label(h), step=reached.get(h.at, ""), place=h.receiver_place,
                              note=_public_note(h)) for h in handoffs]
    online = dossier.procedure.returns_online
    ready = dossier.state == State.RETURNED or (dossier.state == State.RESOLVED and dossier.result_ready_at)
    results = list(dossier.attachments.filter(kind=Attachment.Kind.RESULT).order_by("uploaded_at")) \
        if online and ready else []
    rating = Rating.objects.filter(dossier=dossier).first()
    actions = allowed_actions(dossier.state)
    return MyDossier(
        dossier=dossier, status=status, timeline=timeline,
        documents=list(dossier.documents.order_by("order")), results=results, rating=rating,
        sent=list(dossier.attachments.filter(kind__in=(Attachment.Kind.COMPONENT, Attachment.Kind.SUPPLEMENT),
                                             uploaded_by=None).only("name", "uploaded_at").order_by("uploaded_at")),
        can_supplement=Action.PROVIDE_SUPPLEMENT in actions, can_withdraw=Action.WITHDRAW in actions,
        can_rate=dossier.state == State.RETURNED and rating is None, results_online=online)


# What the applicant reads of each hand-off: the action in plain words, where the dossier went.
_PUBLIC_NOTES = {Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.REJECT, Action.STOP, Action.WITHDRAW,
                 Action.APOLOGIZE}


def _label(handoff: Handoff) -> str:
    try:
        return ACTION_LABELS[Action(handoff.action)]
    except ValueError:
        return handoff.action


def _public_note(handoff: Handoff) -> str:
    """Reasons the applicant is owed (what to supplement, why refused or late); internal notes stay inside."""
    try:
        return handoff.note if Action(handoff.action) in _PUBLIC_NOTES else ""
    except ValueError:
        return ""


def my_file(account: Any, code: str, attachment_id: int) -> Attachment:
    """A file of the account's dossier the applicant may download: the result (fully online procedures, once
    ready) or a file they sent themselves."""
    found = my_dossier(account, code)
    for attachment in (*found.results, *found.sent):
        if attachment.pk == attachment_id:
            return attachment
    raise DomainError(ErrorCode.NOT_FOUND, "Không có tệp này để tải về.")
