"""API of official documents: the search (and, without words, the list newest first) and one document's
metadata with its files. Thin: who sees what is ``access``; the search is ``selectors.search``; refusals are
``DomainError``s that the API's one handler turns into ``{"code", "message", "details"}`` (400, 401, 403, 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from motcua.documents import selectors
from motcua.documents.access import access_document
from motcua.documents.models import Document
from motcua.org.access import staff_of
from motcua.org.api import ErrorOut

router = Router(tags=["Văn bản"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SearchParams(Schema):
    q: str = Field("", max_length=1000, description="từ khóa (không phân biệt dấu, hoa thường; từ cuối có thể "
                   "gõ dở; \"cụm từ\" trong ngoặc kép); tìm trong trích yếu, số ký hiệu, loại, cơ quan ban hành, "
                   "người ký và nội dung tệp. Đọc 200 ký tự, 8 từ đầu.")
    type: str = Field("", max_length=40, description="mã loại văn bản, ví dụ cong-van, quyet-dinh")
    date_from: dt.date | None = Field(None, alias="from", description="ngày văn bản từ (YYYY-MM-DD)")
    date_to: dt.date | None = Field(None, alias="to", description="ngày văn bản đến (YYYY-MM-DD)")
    direction: Literal["", "incoming", "outgoing"] = Field("", description="sổ văn bản đến hoặc đi")
    year: int | None = Field(None, ge=1900, le=2200, description="năm của sổ")
    state: str = Field("", max_length=12, description="trạng thái (registered, in_handling, completed, draft, "
                       "…, issued, archived)")
    sender: str = Field("", max_length=255, description="cơ quan ban hành (các từ của tên, không phân biệt dấu)")
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)
    per_page: int = Field(20, ge=1, le=selectors.MAX_PER_PAGE)


class DocumentRowOut(Schema):
    id: int
    direction: str
    number: int | None = Field(description="số đến (văn bản đến) hoặc số văn bản (văn bản đi) trong sổ")
    symbol: str = Field(description="số, ký hiệu")
    type: str = Field(description="mã loại văn bản")
    type_name: str
    summary: str = Field(description="trích yếu")
    summary_html: str = Field(description="trích yếu đã thoát HTML, từ khớp trong <mark>")
    snippet_html: str = Field(description="đoạn nội dung tệp quanh chỗ khớp đầu tiên (đã thoát HTML), hoặc rỗng")
    sender_name: str
    issued_on: dt.date | None
    state: str
    urgency: str
    secrecy: str
    url: str = Field(description="trang của văn bản")


class SearchOut(Schema):
    count: int = Field(description=f"số văn bản tìm thấy, tối đa {selectors.COUNT_CAP}")
    count_capped: bool = Field(description="true: có ít nhất `count` văn bản (không đếm hết)")
    count_label: str = Field(description="ví dụ \"12\" hoặc \"1000+\"")
    page: int
    per_page: int
    has_next: bool
    items: list[DocumentRowOut]


class FileOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    uploaded_at: str
    text_status: str = Field(description="none, pending (đang nhận dạng), done, failed")


class DocumentOut(Schema):
    id: int
    direction: str
    state: str
    number: int | None
    register_name: str | None = Field(description="sổ đăng ký, ví dụ \"Sổ văn bản đến 2026\"")
    symbol: str
    type: str
    type_name: str
    summary: str
    issued_on: dt.date | None
    sender_name: str
    sender_identifier: str
    signer_name: str
    signer_position: str
    urgency: str
    secrecy: str
    received_at: str | None
    due_at: str | None
    completed_at: str | None
    issued_at: str | None
    page_count: int | None
    url: str
    files: list[FileOut]


def _local(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _row(row: selectors.Row) -> dict[str, Any]:
    d = row.document
    return {"id": d.pk, "direction": d.direction, "number": d.number, "symbol": d.symbol, "type": d.doc_type.code,
            "type_name": d.doc_type.name, "summary": d.summary, "summary_html": row.summary_html,
            "snippet_html": row.snippet_html, "sender_name": d.sender_name, "issued_on": d.issued_on,
            "state": d.state, "urgency": d.urgency, "secrecy": d.secrecy, "url": row.url}


@router.get("/documents", response={200: SearchOut, **ERRORS}, summary="Tìm kiếm văn bản đến, văn bản đi")
def list_documents(request: HttpRequest, params: Query[SearchParams]):
    """Văn bản người gọi được xem: có `q` thì xếp theo mức liên quan (khớp ở trích yếu, số ký hiệu trước khớp ở
    nội dung tệp), mới nhất trước khi bằng nhau; không có `q` thì mới nhất trước. Văn bản mật chỉ hiện với người
    được xem, kể cả trong số đếm."""
    staff = staff_of(request.user)
    page = selectors.search(actor=staff, q=params.q, doc_type=params.type or None, direction=params.direction or None,
                            year=params.year, date_from=params.date_from, date_to=params.date_to,
                            sender=params.sender or None, state=params.state or None, page=params.page,
                            per_page=params.per_page)
    return {"count": page.total, "count_capped": page.total_capped, "count_label": page.total_label,
            "page": page.page, "per_page": page.per_page, "has_next": page.has_next,
            "items": [_row(r) for r in page.rows]}


@router.get("/documents/{int:document_id}", response={200: DocumentOut, **ERRORS}, summary="Một văn bản và các tệp")
def get_document(request: HttpRequest, document_id: int):
    """Thông tin của văn bản và danh sách tệp (không có người tải lên). 404 cho văn bản không có hoặc người gọi
    không được xem (không cho biết văn bản mật có tồn tại)."""
    staff = staff_of(request.user)
    d: Document = access_document(staff, document_id)
    return {
        "id": d.pk, "direction": d.direction, "state": d.state, "number": d.number,
        "register_name": str(d.register) if d.register else None, "symbol": d.symbol, "type": d.doc_type.code,
        "type_name": d.doc_type.name, "summary": d.summary, "issued_on": d.issued_on, "sender_name": d.sender_name,
        "sender_identifier": d.sender_identifier, "signer_name": d.signer_name, "signer_position": d.signer_position,
        "urgency": d.urgency, "secrecy": d.secrecy, "received_at": _local(d.received_at), "due_at": _local(d.due_at),
        "completed_at": _local(d.completed_at), "issued_at": _local(d.issued_at), "page_count": d.page_count,
        "url": d.get_absolute_url(),
        "files": [{"id": f.pk, "kind": f.kind, "name": f.name, "content_type": f.content_type, "size": f.size,
                   "uploaded_at": _local(f.uploaded_at), "text_status": f.text_status}
                  for f in d.files.order_by("uploaded_at", "id")],
    }
