"""The printed register (sổ đăng ký văn bản đến/đi, NĐ 30/2020 Phụ lục IV): an electronic register is also
printed, signed and closed at the end of its year. One row per document in number order, the official
columns, a closing line and the signatures.

A year's register holds a few thousand rows: they are read in three queries whatever their number (the
documents, the lead divisions or the distributions), never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.core import clock
from motcua.core.pdf import pdf_from_html
from motcua.documents.models import Distribution, Document, DocumentTask, Register, Urgency
from motcua.documents.states import Direction, TaskRole


@dataclass(frozen=True)
class Row:
    """One line of the register, as printed (every cell a string, empty where the register leaves it blank)."""

    number: int
    cells: tuple[str, ...]


# (heading, width in % of the line): fixed widths also spare WeasyPrint measuring every cell of a long register.
INCOMING_COLUMNS = (("Ngày đến", 8), ("Số đến", 5), ("Tác giả", 14), ("Số, ký hiệu", 10), ("Ngày tháng", 8),
                    ("Tên loại và trích yếu", 27), ("Đơn vị hoặc người nhận", 14), ("Ký nhận", 7), ("Ghi chú", 7))
OUTGOING_COLUMNS = (("Số, ký hiệu", 10), ("Ngày tháng", 7), ("Tên loại và trích yếu", 25), ("Người ký", 10),
                    ("Nơi nhận", 14), ("Đơn vị, người nhận bản lưu", 11), ("Số lượng bản", 5), ("Ngày chuyển", 7),
                    ("Ký nhận", 6), ("Ghi chú", 5))


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def _note(document: Document) -> str:
    notes = [document.get_urgency_display()] if document.urgency != Urgency.NORMAL else []
    if document.is_secret:
        notes.append(document.get_secrecy_display())
    return ", ".join(str(n) for n in notes)


def _title(document: Document) -> str:
    return f"{document.doc_type.name}: {document.summary}"


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The instants a month of the agency's time zone starts and ends at."""
    zone = timezone.get_default_timezone()  # the agencies' time zone (Asia/Ho_Chi_Minh)
    return (dt.datetime(year, month, 1, tzinfo=zone), dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone))


def _documents(register: Register, month: int | None) -> QuerySet[Document]:
    """The register's documents, or those numbered in one month (registered, for incoming; issued, for outgoing:
    the moment the number was taken, so a month is a run of consecutive numbers)."""
    documents = Document.objects.filter(register=register)
    if month is not None:
        start, end = month_bounds(register.year, month)
        field = "registered_at" if register.direction == Direction.INCOMING else "issued_at"
        documents = documents.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    return documents


def incoming_rows(register: Register, month: int | None = None) -> list[Row]:
    documents = _documents(register, month)
    lead: dict[int, DocumentTask] = {
        t.document_id: t for t in DocumentTask.objects.filter(document__in=documents.values("pk"), role=TaskRole.LEAD)
        .select_related("division", "assignee")}
    documents = list(documents.select_related("doc_type").order_by("number"))
    rows = []
    for d in documents:
        task = lead.get(d.pk)
        receiver = ""
        if task is not None:
            receiver = task.division.name + (f" ({task.assignee.full_name})" if task.assignee_id else "")
        rows.append(Row(d.number or 0, (_date(d.received_at), str(d.number or ""), d.sender_name, d.symbol,
                                        _date(d.issued_on), _title(d), receiver, "", _note(d))))
    return rows


def outgoing_rows(register: Register, month: int | None = None) -> list[Row]:
    documents = _documents(register, month)
    sent: dict[int, list[str]] = defaultdict(list)
    for document_id, name in (Distribution.objects.filter(document__in=documents.values("pk")).order_by("id")
                              .values_list("document_id", "recipient_name")):
        sent[document_id].append(name)
    documents = list(documents.select_related("doc_type", "drafting_division", "created_by").order_by("number"))
    rows = []
    for d in documents:
        recipients = "; ".join(sent.get(d.pk) or [r.strip() for r in d.recipients_text.splitlines() if r.strip()])
        kept_by = d.drafting_division.name if d.drafting_division_id else ""
        kept_by += f" ({d.created_by.full_name})" if kept_by else d.created_by.full_name
        rows.append(Row(d.number or 0, (d.symbol, _date(d.issued_on), _title(d), d.signer_name, recipients, kept_by,
                                        str(d.copies), _date(d.issued_at), "", _note(d))))
    return rows


def register_rows(register: Register, month: int | None = None) -> list[Row]:
    return (incoming_rows if register.direction == Direction.INCOMING else outgoing_rows)(register, month)


def filename(register: Register, month: int | None = None) -> str:
    kind = "den" if register.direction == Direction.INCOMING else "di"
    part = f"-thang-{month:02d}" if month else ""
    return f"so-van-ban-{kind}{'-mat' if register.secret else ''}-{register.year}{part}.pdf"


def register_html(register: Register, month: int | None = None, printed_rows: list[Row] | None = None) -> str:
    incoming = register.direction == Direction.INCOMING
    rows = register_rows(register, month) if printed_rows is None else printed_rows
    agency = register.agency
    period = None
    if month is not None:
        start, end = month_bounds(register.year, month)
        period = (timezone.localdate(start), timezone.localdate(end) - dt.timedelta(days=1))
    return render_to_string("documents/registers/register_pdf.html", {
        "register": register, "agency": agency, "parent": agency.parent, "incoming": incoming,
        "columns": INCOMING_COLUMNS if incoming else OUTGOING_COLUMNS, "rows": rows, "count": len(rows),
        "centered": {0, 1, 4} if incoming else {1, 6, 7}, "period": period,
        "first": rows[0].number if rows else 0, "last": rows[-1].number if rows else 0,
        "printed_on": timezone.localdate(clock.now()),
    })


def register_pdf(register: Register, month: int | None = None) -> tuple[bytes, int]:
    """The register (or the part numbered in one month) as an A4 landscape PDF, and its number of rows.

    WeasyPrint lays out about 40 rows a second here, so a whole year of 3,000 documents takes over a minute:
    the pages print it in the background (``services.request_register_print``)."""
    printed = register_rows(register, month)
    return pdf_from_html(register_html(register, month, printed)), len(printed)
