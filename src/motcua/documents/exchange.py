"""Electronic exchange of official documents between agencies (liên thông văn bản, edXML of QCVN 102:2016).

Two use cases: the clerk **exports** an issued outgoing document as an edXML package (the signed PDF and its
attachments inside), and **imports** a package another agency sent, which registers it as an incoming document
with the package kept as received. There is no gateway on our network (no trục liên thông), so packages travel
as files the clerk downloads and uploads; status and acknowledgement messages (``Status``, edXML ack) are not
produced or read.

Document types: edXML's ``DocumentType/Type`` has no numeric code table we could verify, so we write our own
``DocumentType.code`` (``quyet-dinh``) in ``Type``, its abbreviation (``QĐ``) in ``TypeDetail`` and its name in
``TypeName``. Reading, a type is found by that code, then by name (folded), then by abbreviation (``TypeDetail``
or the first part of the notation, ``QĐ`` of ``QĐ-SNV``), else it is a công văn — so that a package from another
vendor, whatever numbers it writes, still lands on a sensible type.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core import audit, clock
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.files import MIME_TYPES, Upload, use_case
from motcua.core.text import fold_key
from motcua.documents import edxml, numbering, services
from motcua.documents.access import access_document
from motcua.documents.models import Distribution, Document, DocumentFile, DocumentType, Secrecy, Urgency
from motcua.documents.states import PUBLISHED, Direction
from motcua.org.access import can, ensure_can
from motcua.org.models import Staff

PACKAGE_NAME = "goi-tin.xml"
FALLBACK_TYPE = "cong-van"
MAIN_KINDS = ("pdf", "jpeg", "png", "docx")  # what register_incoming accepts as the document itself

PRIORITY_OF_URGENCY = {
    Urgency.NORMAL: edxml.PRIORITY_NORMAL,
    Urgency.URGENT: edxml.PRIORITY_URGENT,
    Urgency.VERY_URGENT: edxml.PRIORITY_VERY_URGENT,
    Urgency.FLASH: edxml.PRIORITY_FLASH,
}
URGENCY_OF_PRIORITY = {priority: urgency for urgency, priority in PRIORITY_OF_URGENCY.items()}

INVALID_PACKAGE = "Gói edXML không hợp lệ."


# --------------------------------------------------------------------------------------------------------
# Export


def _read(stored: DocumentFile) -> bytes:
    with stored.file.open("rb") as fh:
        return fh.read()


def exportable(document: Document) -> bool:
    """Whether a package can be made of ``document`` at all (the page offers the download only then)."""
    return (document.direction == Direction.OUTGOING and document.state in PUBLISHED
            and document.secrecy == Secrecy.NORMAL)


def _may_exchange(actor: Staff) -> bool:
    return can(actor, "documents.exchange_documents") or can(actor, "documents.issue_outgoing")


def message_for(document: Document) -> edxml.Message:
    """The edXML message of an issued outgoing document: its metadata, its edXML recipients and its files."""
    agency = document.agency
    recipients = tuple(
        edxml.Organ(organ_id=d.recipient_identifier, name=d.recipient_name)
        for d in document.distributions.filter(channel=Distribution.Channel.EDXML).exclude(recipient_identifier="")
        .order_by("id"))
    if not recipients:
        raise DomainError(ErrorCode.INVALID_STATE, "Văn bản không gửi tới cơ quan nào qua liên thông điện tử "
                                                   "(chưa có nơi nhận có mã định danh).", document_id=document.pk)
    main = services.main_file(document)
    if main is None:
        raise DomainError(ErrorCode.INVALID_STATE, "Văn bản chưa có tệp để gửi.", document_id=document.pk)
    files = [main, *document.files.filter(kind=DocumentFile.Kind.ATTACHMENT).order_by("uploaded_at", "id")]
    number, notation = numbering.notation(document.symbol)
    reply = document.reply_to
    response_for = None
    if (reply is not None and reply.direction == Direction.INCOMING and reply.symbol and reply.issued_on
            and edxml.valid_organ_id(reply.sender_identifier)):
        response_for = edxml.ResponseFor(organ_id=reply.sender_identifier, code=reply.symbol,
                                         promulgation_date=reply.issued_on, document_id=reply.exchange_id)
    return edxml.Message(
        sender=edxml.Organ(organ_id=agency.identifier, name=agency.name,
                           in_charge=agency.parent.name if agency.parent_id else ""),
        recipients=recipients,
        code_number=number,
        code_notation=notation,
        place="",
        promulgation_date=document.issued_on,
        type_code=document.doc_type.code,
        type_detail=document.doc_type.abbreviation,
        type_name=document.doc_type.name,
        subject=document.summary,
        signer_position=document.signer_position,
        signer_name=document.signer_name,
        to_places=tuple(line.strip() for line in document.recipients_text.splitlines() if line.strip()),
        priority=PRIORITY_OF_URGENCY.get(document.urgency, edxml.PRIORITY_NORMAL),
        page_amount=document.page_count,
        promulgation_amount=document.copies,
        response_for=response_for,
        attachments=tuple(edxml.Attachment(name=f.name, content_type=f.content_type, data=_read(f)) for f in files),
    )


@transaction.atomic
def export_package(*, actor: Staff, document_id: int) -> bytes:
    """The edXML package of an issued outgoing document, for the clerk to send to its recipients."""
    document = access_document(actor, document_id)
    if not _may_exchange(actor):
        raise DomainError(ErrorCode.FORBIDDEN, "Chỉ văn thư được gửi văn bản liên thông điện tử.",
                          permission="documents.exchange_documents")
    if document.direction != Direction.OUTGOING or document.state not in PUBLISHED:
        raise DomainError(ErrorCode.INVALID_STATE, "Chỉ gửi liên thông văn bản đi đã phát hành.",
                          state=document.state)
    if document.secrecy != Secrecy.NORMAL:
        raise DomainError(ErrorCode.FORBIDDEN, "Văn bản mật không được gửi qua liên thông điện tử.")
    message = message_for(document)
    try:
        data = edxml.build(message, sent_at=timezone.localtime(clock.now()))
    except edxml.PackageError as error:
        raise DomainError(ErrorCode.INVALID, "Không lập được gói edXML của văn bản.",
                          problems=list(error.problems)) from None
    audit.record(actor=actor.user, action="documents.exchange.export", target=document,
                 after={"exchange_id": edxml.document_id(message), "to": [r.organ_id for r in message.recipients],
                        "files": len(message.attachments), "bytes": len(data)})
    return data


# --------------------------------------------------------------------------------------------------------
# Import


def doc_type_for(message: edxml.Message) -> str:
    """Our document type for a package's type (see the module docstring)."""
    types = list(DocumentType.objects.filter(is_active=True))
    for t in types:
        if t.code == message.type_code:
            return t.code
    name = fold_key(message.type_name)
    for t in types:
        if name and fold_key(t.name) == name:
            return t.code
    abbreviations = {message.type_detail.strip(), message.code_notation.split("-", 1)[0].strip()} - {""}
    for t in types:
        if t.abbreviation and t.abbreviation in abbreviations:
            return t.code
    return FALLBACK_TYPE


def _safe_name(name: str, position: int) -> str:
    name = re.split(r"[\\/]", name.strip())[-1].strip() or f"tep-{position}"
    return name[:255]


def _classify(attachments: Sequence[edxml.Attachment]) -> tuple[list[tuple[Upload, str]], list[str]]:
    """Each attachment as an upload with the kind its content is, checked like any upload; and the problems."""
    checked: list[tuple[Upload, str]] = []
    problems: list[str] = []
    for position, attachment in enumerate(attachments, 1):
        upload = Upload(name=_safe_name(attachment.name, position), stream=io.BytesIO(attachment.data),
                        size=len(attachment.data))
        try:
            (_, result), = services.check_files([upload], services.ATTACHMENT_KINDS)
        except DomainError as error:
            problems.append(error.message)
            continue
        checked.append((upload, result.kind))
    return checked, problems


def _registered(agency_id: int, exchange_id: str) -> Document | None:
    return (Document.objects.filter(agency_id=agency_id, direction=Direction.INCOMING, exchange_id=exchange_id)
            .select_related("register").first())


def _already(found: Document) -> DomainError:
    year = f"/{found.register.year}" if found.register else ""
    return DomainError(ErrorCode.CONFLICT,
                       f"Gói tin này đã được vào sổ: số đến {found.number}{year} ({found.symbol}, "
                       f"vào sổ lúc {timezone.localtime(found.registered_at):%H:%M %d/%m/%Y}). "
                       "Không vào sổ lại.", duplicate_of=[found.pk], field="package")


@use_case
def import_package(*, actor: Staff, data: bytes, confirm_duplicate: bool = False) -> Document:
    """Register an edXML package addressed to the actor's agency as an incoming document, once.

    The package is kept as received (a file of kind PACKAGE); the first PDF in it is the document itself, the
    other files its attachments. Every problem of a malformed package is told at once, and nothing is written.
    """
    ensure_can(actor, "documents.exchange_documents", actor.agency)
    try:
        message = edxml.parse(data, max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES)
    except edxml.PackageError as error:
        raise DomainError(ErrorCode.INVALID, INVALID_PACKAGE, problems=list(error.problems), field="package") from None
    identifier = actor.agency.identifier
    if identifier not in {r.organ_id for r in message.recipients}:
        addressed = ", ".join(f"{r.name or '?'} ({r.organ_id})" for r in message.recipients)
        raise DomainError(ErrorCode.INVALID,
                          f"Gói tin không gửi tới cơ quan mình (mã định danh {identifier}) mà gửi tới: {addressed}.",
                          field="package", recipients=[r.organ_id for r in message.recipients])
    exchange_id = edxml.document_id(message)[:200]
    found = _registered(actor.agency_id, exchange_id)
    if found is not None:
        raise _already(found)
    checked, problems = _classify(message.attachments)
    if problems:
        raise DomainError(ErrorCode.INVALID, INVALID_PACKAGE, problems=problems, field="package")
    main = next((c for c in checked if c[1] == "pdf"), None) or next((c for c in checked if c[1] in MAIN_KINDS),
                                                                     None)
    today = timezone.localdate(clock.now())
    due_on = message.due_date if message.due_date and message.due_date >= today else None
    page_count = message.page_amount if message.page_amount and message.page_amount < 32768 else None
    try:
        with transaction.atomic():  # a savepoint: a concurrent import of the same package fails on the constraint
            document = services.register_incoming(
                actor=actor, doc_type=doc_type_for(message), summary=message.subject[:1000],
                sender_name=message.sender.name[:255], sender_identifier=message.sender.organ_id,
                symbol=f"{message.code_number}/{message.code_notation}"[:60], issued_on=message.promulgation_date,
                signer_name=message.signer_name[:150], signer_position=message.signer_position[:150],
                urgency=URGENCY_OF_PRIORITY.get(message.priority, Urgency.NORMAL), due_on=due_on,
                page_count=page_count, files=[main[0]] if main else [], confirm_duplicate=confirm_duplicate,
                exchange_id=exchange_id, package=(PACKAGE_NAME, data))
    except IntegrityError:
        found = _registered(actor.agency_id, exchange_id)
        if found is None:
            raise
        raise _already(found) from None
    stored = []
    for upload, kind in checked:
        if main is not None and upload is main[0]:
            continue
        stored.append(services.store_bytes(document, actor, DocumentFile.Kind.ATTACHMENT, upload.name,
                                           upload.stream.getvalue(), MIME_TYPES[kind],  # type: ignore[attr-defined]
                                           extract=kind in MAIN_KINDS))
    _extract_later(stored)
    audit.record(actor=actor.user, action="documents.exchange.import", target=document,
                 after={"exchange_id": exchange_id, "from": message.sender.organ_id, "number": document.number,
                        "files": len(message.attachments), "bytes": len(data)})
    return document


def _extract_later(files: Sequence[DocumentFile]) -> None:
    from motcua.documents import tasks

    for f in files:
        if f.text_status == DocumentFile.TextStatus.PENDING:
            transaction.on_commit(lambda pk=f.pk: tasks.enqueue_extraction(pk))
