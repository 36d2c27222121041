"""Reads of official documents shared by pages and the API: the one search (and, without words, the list of
documents newest first with the same filters), and the address of a document's page.

What a person may see is ``access.visibility`` — applied to every candidate before anything is counted or shown,
so neither a row nor the total ever reveals a secret document.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from motcua.core.errors import DomainError, ErrorCode
from motcua.documents import search as index
from motcua.documents.access import visibility
from motcua.documents.highlight import highlight, snippet
from motcua.documents.models import Document, DocumentFile, DocumentType
from motcua.documents.states import Direction, State
from motcua.org.models import Staff

COUNT_CAP = 1000      # totals above this read "1000+"
MAX_PAGE = 50         # 50 pages of 20: past the first thousand results, a search needs more words
MAX_PER_PAGE = 100
# A search reads matching documents newest first in windows of up to this many, scopes each window to what the
# person may see, and stops once the page is full. So a word that half of a million documents contain costs about
# a thousand rows, not all of them; the results are ranked among the matches read — the newest thousand or so
# (every match of rarer words) — and the count says "1000+" (or "at least", see ``_collect``).
WINDOW = 1024
MAX_WINDOWS = 3
RARE = 8          # fewer matches than this in a window (PostgreSQL reads a fixed number of documents): rare words
REST = 5000       # at most this many more matches are read after the windows
SNIPPET_WIDTH = 200


@dataclass(frozen=True)
class Row:
    document: Document
    summary_html: str       # the summary, escaped, matches in <mark>
    snippet_html: str       # a piece of the extracted text around its first match, or ""
    url: str
    score: float | None = None
    symbol_html: str = ""   # the symbol, escaped, matches in <mark>


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    total_capped: bool      # true: at least ``total`` (more were not counted)
    page: int
    per_page: int
    has_next: bool
    query: index.Query = field(default_factory=index.Query)

    @property
    def total_label(self) -> str:
        return f"{self.total}+" if self.total_capped else str(self.total)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)




def _invalid(message: str, field_name: str) -> DomainError:
    return DomainError(ErrorCode.INVALID, message, field=field_name)


def _filters(actor: Staff, *, doc_type: str | None, direction: str | None, year: int | None,
             date_from: dt.date | None, date_to: dt.date | None, sender: str | None,
             state: str | None) -> index.Filters:
    """Checked filters; a value that cannot match anything is refused with what is allowed."""
    if direction and direction not in {d.value for d in Direction}:
        raise _invalid("Loại sổ phải là văn bản đến (incoming) hoặc văn bản đi (outgoing).", "direction")
    if state and state not in {s.value for s in State}:
        raise _invalid("Trạng thái văn bản không hợp lệ.", "state")
    if year is not None and not 1900 <= year <= 2200:
        raise _invalid("Năm của sổ không hợp lệ.", "year")
    if date_from and date_to and date_from > date_to:
        raise _invalid("“Từ ngày” phải trước hoặc bằng “đến ngày”.", "from")
    type_id = None
    if doc_type:
        type_id = DocumentType.objects.filter(code=doc_type).values_list("pk", flat=True).first()
        if type_id is None:
            raise _invalid("Không có loại văn bản này.", "type")
    return index.Filters(agency_id=actor.agency_id, direction=direction or None, year=year, doc_type_id=type_id,
                         state=state or None, sender=index.parse(sender or ""), date_from=date_from,
                         date_to=date_to)


def search(*, actor: Staff, q: str | None = None, doc_type: str | None = None, direction: str | None = None,
           year: int | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
           sender: str | None = None, state: str | None = None, page: int = 1, per_page: int = 20) -> Page:
    """The documents ``actor`` may see that match ``q`` (every word, in the summary, number and symbol, type,
    sender, signer or the files' text), best first, newest first among equals; without words, newest first.
    Filters: issue date from/to, type code, register direction and year, sender (words), state."""
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise _invalid(f"Mỗi trang có từ 1 đến {MAX_PER_PAGE} văn bản.", "per_page")
    if page < 1:
        raise _invalid("Số trang phải từ 1.", "page")
    page = min(page, MAX_PAGE)
    filters = _filters(actor, doc_type=doc_type, direction=direction, year=year, date_from=date_from,
                       date_to=date_to, sender=sender, state=state)
    query = index.parse(q)
    if query or filters.sender:
        return _search(actor, query, filters, page, per_page)
    return _newest(actor, filters, page, per_page)


def _id_list(ids: list[int]) -> RawSQL:
    """``ids`` as a one-parameter subquery: a thousand-element ``IN`` list costs Django ~10 ms to build."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def _narrowed(condition: Q, ids: RawSQL) -> Q:
    """``condition`` with each ``pk__in=<documents subquery>`` it holds narrowed to ``ids``.

    ``access.visibility`` puts what a person may see in an uncorrelated ``pk IN (SELECT …)``; SQLite builds that
    subquery's whole result at every statement — every document of every agency, 0.3–0.5 s at a million. The
    rows asked about here are ``ids`` only, and for them ``pk IN A`` and ``pk IN (A ∩ ids)`` are the same, so
    the subquery is told so and reads a thousand rows instead. (A correlated ``EXISTS`` in ``visibility`` would
    make this unnecessary; then nothing here matches and the condition is used as it is.)"""
    narrowed = Q()
    narrowed.connector, narrowed.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            child = _narrowed(child, ids)
        elif (isinstance(child, tuple) and child[0] in ("pk__in", "id__in") and isinstance(child[1], QuerySet)
              and child[1].model is Document):
            child = (child[0], child[1].filter(pk__in=ids))
        narrowed.children.append(child)
    return narrowed


def _visible_ids(rule: Q, ids: list[int]) -> set[int]:
    """Which of ``ids`` the ``rule`` (``access.visibility`` of the person) lets through."""
    if not ids:
        return set()
    listed = _id_list(ids)
    return set(Document.objects.filter(_narrowed(rule, listed), pk__in=listed).values_list("pk", flat=True))


Fetch = Callable[..., index.Window]


def _collect(actor: Staff, needed: int, fetch: Fetch) -> tuple[list[index.Candidate], bool]:
    """What ``fetch`` finds, newest first, that ``actor`` may see — at least ``needed`` (for the page) if there
    are that many — and whether that is everything (if not, the count says "at least").

    Windows are read and scoped in turn until the page is full; someone who sees most of the agency's documents
    is served by the first (on SQLite it holds ``WINDOW`` matches: "1000+").
    After ``MAX_WINDOWS`` — or at once when a window shows the words to be rare — the rest is asked for in one go
    if the page is not full yet (on PostgreSQL from the GIN index), up to ``REST`` more documents. Someone who may
    see few of them, if that still leaves the page short, gets the rest through the whole visibility subquery
    (which the database then builds for the whole table once: slow at a million documents, but only then)."""
    found: list[index.Candidate] = []
    rule = visibility(actor)
    before: int | None = None
    for _ in range(MAX_WINDOWS):
        window = fetch(before=before, size=WINDOW)
        seen = _visible_ids(rule, [c.document_id for c in window.candidates])
        found += [c for c in window.candidates if c.document_id in seen]
        if window.next_before is None:
            return found, True
        if len(found) >= needed:
            return found, False
        before = window.next_before
        if len(window.candidates) < RARE:  # a handful in thousands of documents: the words are rare
            break
    if len(found) >= needed:
        return found, False
    rest = fetch(before=before, size=REST, rest=True)
    seen = _visible_ids(rule, [c.document_id for c in rest.candidates])
    found += [c for c in rest.candidates if c.document_id in seen]
    if rest.next_before is None or len(found) >= needed:
        return found, rest.next_before is None
    last = fetch(before=rest.next_before, size=needed - len(found), rest=True,
                 within=Document.objects.filter(rule).values("pk").query.sql_with_params())
    return found + last.candidates, last.next_before is None


def _page(found: list[index.Candidate], exhausted: bool, query: index.Query, page: int, per_page: int) -> Page:
    if query:  # best first; among equals, newest first
        found = sorted(found, key=lambda c: (-c.score, -c.document_id))
    start = (page - 1) * per_page
    return Page(rows=_rows(found[start:start + per_page], query), total=min(len(found), COUNT_CAP),
                total_capped=len(found) > COUNT_CAP or not exhausted, page=page, per_page=per_page,
                has_next=len(found) > start + per_page and page < MAX_PAGE, query=query)


def _search(actor: Staff, query: index.Query, filters: index.Filters, page: int, per_page: int) -> Page:
    """Ranked among what was read (see ``WINDOW``), best first, newest first among equals."""

    def fetch(**window: Any) -> index.Window:
        return index.window(query, filters, **window)

    found, exhausted = _collect(actor, page * per_page + 1, fetch)
    return _page(found, exhausted, query, page, per_page)


def _rows(chosen: list[index.Candidate], query: index.Query) -> list[Row]:
    ids = [c.document_id for c in chosen]
    documents = Document.objects.select_related("doc_type", "register").in_bulk(ids)
    texts: dict[int, list[str]] = {}
    if query and ids:
        for document_id, text in (DocumentFile.objects.filter(document_id__in=ids).exclude(text="")
                                  .order_by("document_id", "uploaded_at", "id").values_list("document_id", "text")):
            texts.setdefault(document_id, []).append(text)
    exact, prefixes = query.exact_words, query.prefixes
    rows = []
    for c in chosen:
        document = documents.get(c.document_id)
        if document is None:  # deleted between the two reads
            continue
        found = ""
        for text in texts.get(c.document_id, ()):
            found = snippet(text[:index.MAX_BODY], exact, prefixes, width=SNIPPET_WIDTH)
            if found:
                break
        rows.append(Row(document=document, summary_html=highlight(document.summary, exact, prefixes),
                        snippet_html=found, url=document.get_absolute_url(), score=c.score,
                        symbol_html=highlight(document.symbol, exact, prefixes)))
    return rows


def _newest(actor: Staff, filters: index.Filters, page: int, per_page: int) -> Page:
    """Newest first, read in windows like the search (only the page and the capped count are needed)."""
    documents = Document.objects.filter(agency_id=filters.agency_id)
    if filters.direction:
        documents = documents.filter(direction=filters.direction)
    if filters.year:
        documents = documents.filter(register__year=filters.year)
    if filters.doc_type_id:
        documents = documents.filter(doc_type_id=filters.doc_type_id)
    if filters.state:
        documents = documents.filter(state=filters.state)
    if filters.date_from:
        documents = documents.filter(issued_on__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(issued_on__lte=filters.date_to)

    def fetch(*, before: int | None, size: int, rest: bool = False, within: object = None) -> index.Window:
        rows = documents if before is None else documents.filter(pk__lt=before)
        if within is not None:
            rows = rows.filter(visibility(actor))
        ids = list(rows.order_by("-pk").values_list("pk", flat=True)[:size + 1])
        return index.Window([index.Candidate(pk, 0.0) for pk in ids[:size]], ids[size - 1] if len(ids) > size else None)

    found, exhausted = _collect(actor, page * per_page + 1, fetch)
    return _page(found, exhausted, index.Query(), page, per_page)
