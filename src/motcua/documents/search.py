"""The full-text index of official documents: what goes into it, how a query is read, and the look-up of
matches newest first that ``selectors.search`` scopes to the person and ranks.

One folding rule decides every match on both databases: text is folded in Python (``highlight.words``:
``core.text.fold``, lower case, đ → d, cut into words at everything that is not a letter or digit) before the
database sees it, and so is the query. "cong van so 12" finds "Công văn số 12", "Công văn" finds "cong van".
Symbols are also indexed as one word each ("12/UBND-NC" → "12ubndnc", ``highlight.symbols``), so "12/UBND" finds
"12/UBND-NC" (not "120/UBND-NC") by looking up one rare word. PostgreSQL's ``unaccent`` is not used: it would be a
second folding rule, and Python's already handles đ/Đ and decomposed text.

- SQLite: an FTS5 table ``documents_search`` (rowid = document id) with columns ``title`` (type, symbol, summary,
  signer, number), ``sender``, ``body`` (the text extracted from the document's files) and ``tags`` (filter words
  such as ``đag12`` for agency 12, see ``tag``); prefix indexes for 2–6 letters (a Vietnamese syllable has at most
  7; without them "chinh*" merges the lists of every word starting so: 10 ms at a million documents).
- PostgreSQL: a table ``documents_search(document_id, agency_id, tsv)``, ``tsv`` built by
  ``to_tsvector('simple', …)`` from the same folded words with weights A (title), C (sender: ranked as A, but
  separable for the sender filter), B (body) and D (tags, never ranked); a GIN index on ``tsv`` and a btree on
  (``agency_id``, ``document_id``).

How matches are read and ranked on each (and why not ``bm25()`` nor ``ts_rank_cd``): ``window``. Filters
(agency, direction, register year, type, state) are words of the index, so the database intersects them with the
words of the query. The entry of a document is rewritten by ``reindex`` in the transaction of every change
(``services._event``) and after text extraction (``tasks``); ``rebuild`` (``motcua reindex_documents``) rewrites
all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from motcua.core.text import fold
from motcua.documents.highlight import SYMBOL, symbol_word, symbols, words

MAX_QUERY = 200       # characters of a query that are read
MAX_TERMS = 8         # words (or phrases) of a query that are looked up
MAX_BODY = 300_000    # characters of extracted text indexed per document
TITLE_WEIGHT, SENDER_WEIGHT = 10.0, 10.0  # SQLite: per match in the title, in the sender (the body counts 0)
PG_WEIGHTS = "{0.0, 1.0, 0.1, 1.0}"  # ts_rank's {D, C, B, A}: tags, sender, body, title
BATCH = 5000

# --------------------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of adjacent words (quoted, or written as one such as "hành-chính"); the last word
    of the last term of a query may be the beginning of a word (typing is not finished). A symbol ("12/UBND") is
    looked up as the beginning of one word (``symbol``, "12ubnd"; ``highlight.symbols``), its ``words`` are
    what is highlighted."""

    words: tuple[str, ...]
    prefix: bool = False
    symbol: str = ""


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def exact_words(self) -> list[str]:
        """Words to highlight as they are (every word but a prefix)."""
        out = []
        for term in self.terms:
            out += term.words[:-1] if term.prefix and term.words[-1][-1:].isalpha() else term.words
        return out

    @property
    def prefixes(self) -> list[str]:
        return [term.words[-1] for term in self.terms if term.prefix and term.words[-1][-1:].isalpha()]


_QUOTED = re.compile(r'"([^"]*)"')
_SEPARATORS_AT_ENDS = re.compile(r"^[\W_]+|[\W_]+$")


def parse(text: str | None) -> Query:
    """Words (and "quoted phrases") → folded terms. Never fails: any syntax a search engine might read (quotes,
    parentheses, AND, NEAR, *, :) is either a quote pair or dropped with the punctuation around the words; an
    unpaired quote is ignored. At most ``MAX_QUERY`` characters and ``MAX_TERMS`` terms are read. The last term
    is a prefix when it ends a word of two letters or more (numbers are always whole: "số 12" is not 120). A
    symbol such as "12/UBND" finds the symbols that begin so ("12/UBND-NC", not "120/UBND-NC")."""
    text = (text or "")[:MAX_QUERY]
    chunks: list[tuple[str, bool]] = []
    position = 0
    for m in _QUOTED.finditer(text):
        chunks += [(w, False) for w in text[position:m.start()].split()]
        chunks.append((m.group(1), True))
        position = m.end()
    chunks += [(w, False) for w in text[position:].replace('"', " ").split()]
    terms: list[Term] = []
    for chunk, quoted in chunks:
        found = tuple(words(chunk))
        if not found:
            continue
        if quoted:
            found = found[:MAX_TERMS]
        folded = _SEPARATORS_AT_ENDS.sub("", fold(chunk).lower())
        term = Term(found, prefix=True, symbol=symbol_word(folded)) if (
            not quoted and SYMBOL.fullmatch(folded)) else Term(found)
        if term not in terms:
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    if terms and not chunks[-1][1] and not terms[-1].symbol:
        last = terms[-1]
        word = last.words[-1]
        if len(word) >= 2 and not word.isdigit() and text.rstrip() == text:
            terms[-1] = Term(last.words, prefix=True)
    return Query(tuple(terms))


# --------------------------------------------------------------------------------------------------------
# Entries


@dataclass(frozen=True)
class Entry:
    """A document's row in the index: space-separated folded words per column."""

    document_id: int
    agency_id: int
    title: str
    sender: str
    body: str
    tags: str


def tag(kind: str, value: object) -> str:
    """A filter word: "đ" (which a folded query never contains, so no typed word matches a filter word — and the
    search needs no FTS5 column filter, which doubles the cost of a query of many words), a kind, the value's
    letters and digits (the tokenizers cut at anything else)."""
    return "đ" + kind + re.sub(r"[\W_]", "", str(value)).lower()


def tags_of(*, agency_id: int, direction: str, year: int | None, doc_type_id: int, state: str) -> list[str]:
    out = [tag("ag", agency_id), tag("dr", direction), tag("ty", doc_type_id), tag("st", state)]
    if year:
        out.append(tag("yr", year))
    return out


def entry(row: dict, texts: Iterable[str] = ()) -> Entry:
    """The entry of a document from its values (``ENTRY_FIELDS``) and its files' extracted texts."""
    title = " ".join(str(v) for v in (row["doc_type__name"], row["symbol"], row["summary"], row["signer_name"],
                                     row["number"] or "") if v)
    body_parts, size = [], 0
    for text in texts:
        if size >= MAX_BODY:
            break
        body_parts.append(text[:MAX_BODY - size])
        size += len(body_parts[-1])
    body = " ".join(body_parts)
    return Entry(
        document_id=row["id"], agency_id=row["agency_id"], title=" ".join(words(title) + symbols(title)),
        sender=" ".join(words(row["sender_name"])), body=" ".join(words(body) + symbols(body)),
        tags=" ".join(tags_of(agency_id=row["agency_id"], direction=row["direction"], year=row["register__year"],
                              doc_type_id=row["doc_type_id"], state=row["state"])))


ENTRY_FIELDS = ("id", "agency_id", "direction", "state", "doc_type_id", "doc_type__name", "register__year", "number",
                "symbol", "summary", "sender_name", "signer_name")


def _entries(rows: Sequence[dict]) -> list[Entry]:
    from motcua.documents.models import DocumentFile

    if not rows:
        return []
    texts: dict[int, list[str]] = {}
    ids = [r["id"] for r in rows]
    files = (DocumentFile.objects.filter(document_id__gte=min(ids), document_id__lte=max(ids)).exclude(text="")
             .order_by("document_id", "uploaded_at", "id").values_list("document_id", "text"))
    for document_id, text in files.iterator(chunk_size=500):
        texts.setdefault(document_id, []).append(text)
    return [entry(r, texts.get(r["id"], ())) for r in rows]


_PG_TSV = ("setweight(to_tsvector('simple', {0}), 'A') || setweight(to_tsvector('simple', {1}), 'C') || "
           "setweight(to_tsvector('simple', {2}), 'B') || setweight(to_tsvector('simple', {3}), 'D')")


def write_entries(entries: Sequence[Entry], *, replace: bool = False, using: object = None) -> None:
    """Insert (or with ``replace``, overwrite) entries; ``using`` is a database connection (default: the
    default one — a migration passes its own)."""
    conn = using or connection
    if not entries:
        return
    with conn.cursor() as cursor:  # type: ignore[attr-defined]
        if conn.vendor == "postgresql":  # type: ignore[attr-defined]
            tsv = _PG_TSV.format("t.title", "t.sender", "t.body", "t.tags")
            sql = (f"INSERT INTO documents_search (document_id, agency_id, tsv) SELECT t.id, t.agency, {tsv} "  # noqa: S608
                   "FROM unnest(%s::bigint[], %s::integer[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                   "AS t(id, agency, title, sender, body, tags)")
            if replace:
                sql += " ON CONFLICT (document_id) DO UPDATE SET agency_id = EXCLUDED.agency_id, tsv = EXCLUDED.tsv"
            cursor.execute(sql, [[e.document_id for e in entries], [e.agency_id for e in entries],
                                 [e.title for e in entries], [e.sender for e in entries], [e.body for e in entries],
                                 [e.tags for e in entries]])
            return
        if replace:
            cursor.executemany("DELETE FROM documents_search WHERE rowid = %s", [(e.document_id,) for e in entries])
        cursor.executemany("INSERT INTO documents_search (rowid, title, sender, body, tags) "
                           "VALUES (%s, %s, %s, %s, %s)",
                           [(e.document_id, e.title, e.sender, e.body, e.tags) for e in entries])


def _delete(document_id: int) -> None:
    column = "document_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM documents_search WHERE {column} = %s", [document_id])  # noqa: S608


def reindex(document_id: int) -> None:
    """Refresh one document's entry from the database, in the caller's transaction (so the index never says
    something the documents table does not, and a rolled-back change leaves no trace in it)."""
    from motcua.documents.models import Document

    rows = list(Document.objects.filter(pk=document_id).values(*ENTRY_FIELDS))
    if not rows:
        _delete(document_id)
        return
    write_entries(_entries(rows), replace=True)


def _batches(batch: int) -> Iterator[list[dict]]:
    from motcua.documents.models import Document

    last = 0
    while True:
        rows = list(Document.objects.filter(pk__gt=last).order_by("pk").values(*ENTRY_FIELDS)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def rebuild(*, batch: int = BATCH, progress: object = None) -> int:
    """Rewrite the whole index from the documents table (after a restore, a bulk load, or a change of the
    indexing rule) in one transaction; the number of documents indexed. ``progress`` (a callable) is told the
    count after each batch."""
    count = 0
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        with connection.cursor() as cursor:
            if postgresql:  # a GIN index built once after the rows is many times faster than one grown row by row
                cursor.execute("TRUNCATE documents_search")
                cursor.execute("DROP INDEX IF EXISTS documents_search_tsv")
            else:
                cursor.execute("DELETE FROM documents_search")
        for rows in _batches(batch):
            write_entries(_entries(rows))
            count += len(rows)
            if callable(progress):
                progress(count)
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute("CREATE INDEX documents_search_tsv ON documents_search USING gin (tsv)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE documents_search")
        else:  # one b-tree per term instead of the many segments a bulk insert leaves
            cursor.execute("INSERT INTO documents_search (documents_search) VALUES ('optimize')")
    return count


# --------------------------------------------------------------------------------------------------------
# Look-up


@dataclass(frozen=True)
class Filters:
    """What narrows a search inside the index (the actor's agency always; dates are checked on the documents)."""

    agency_id: int
    direction: str | None = None
    year: int | None = None
    doc_type_id: int | None = None
    state: str | None = None
    sender: Query = field(default_factory=Query)
    date_from: object = None
    date_to: object = None

    def tags(self) -> list[str]:
        """The filter words every match must have (the agency's included)."""
        out = [tag("ag", self.agency_id)]
        if self.direction:
            out.append(tag("dr", self.direction))
        if self.year:
            out.append(tag("yr", self.year))
        if self.doc_type_id:
            out.append(tag("ty", self.doc_type_id))
        if self.state:
            out.append(tag("st", self.state))
        return out


def _fts_term(term: Term) -> str:
    if term.symbol:
        return f'"{term.symbol}"*'
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def fts5_expression(query: Query, filters: Filters) -> str:
    """The MATCH expression: words only ever appear inside double quotes, so no FTS5 syntax from the user."""
    parts = [_fts_term(t) for t in query.terms]
    if filters.sender:
        parts.append("sender : (" + " AND ".join(_fts_term(t) for t in filters.sender.terms) + ")")
    parts += [f'"{t}"' for t in filters.tags()]
    return " AND ".join(parts)


def _pg_term(term: Term, weights: str) -> str:
    if term.symbol:
        return f"'{term.symbol}':*{weights}"
    last = len(term.words) - 1
    return "(" + " <-> ".join(f"'{w}':" + ("*" if term.prefix and i == last else "") + weights
                              for i, w in enumerate(term.words)) + ")"


def tsquery(query: Query, filters: Filters) -> str:
    """The tsquery text (cast with ``::tsquery``: the words are already folded; quotes keep them lexemes)."""
    parts = [_pg_term(t, "ABC") for t in query.terms]
    parts += [_pg_term(t, "C") for t in filters.sender.terms]
    parts += [f"'{t}':D" for t in filters.tags()[1:]]  # the agency is a column there
    return " & ".join(parts) if parts else ""


@dataclass(frozen=True)
class Candidate:
    document_id: int
    score: float  # higher is better


@dataclass(frozen=True)
class Window:
    """Matching documents, newest first, and where to go on from (None: there is nothing more below)."""

    candidates: list[Candidate]
    next_before: int | None


def window(query: Query, filters: Filters, *, size: int, before: int | None = None, rest: bool = False,
           within: tuple[str, Sequence[object]] | None = None) -> Window:
    """The next matches of the agency's documents newest (highest id) first, below ``before``, each with its
    relevance: at most ``size`` (SQLite: exactly ``size`` unless there are fewer left).

    Newest first lets the database stop early even on a word that half a million documents contain; the caller
    ranks what it read (``selectors.search``).

    - SQLite: FTS5 reads its posting lists in document order, so a window costs about ``size`` matches. The
      relevance is the matches FTS5 finds in the title and the sender (``highlight()``), weighted
      ``TITLE_WEIGHT``/``SENDER_WEIGHT``: not ``bm25()``, which counts every word's documents over the whole
      index at each query (70–100 ms at a million documents as soon as one word is common, whatever the result).
    - PostgreSQL: a GIN index gives matches in no order, and its planner misjudges how many documents several
      words together match (words of one phrase come together: it guesses 8 where there are 55,000), so the plan
      is chosen here. A window reads the agency's ``PG_SCAN`` newest documents (through the (agency, id) index,
      or the primary key for a large agency) and keeps those that match, ranked by ``ts_rank`` with the weights
      (``ts_rank_cd`` costs 10 µs a match, 7 ms for a window of 750: the cover density adds little to weights
      when every word must match); ``rest`` asks the GIN index for every remaining match (for words too rare to
      be met in the newest documents) and sorts them.

    ``within`` (SQL selecting document ids, and its parameters) keeps only those documents.
    """
    if connection.vendor == "postgresql":
        return _pg_window(query, filters, size=size, before=before, rest=rest, within=within)
    extra, params = _dates(filters)
    if before is not None:
        extra += " AND f.rowid < %s"
        params.append(before)
    if within is not None:
        extra += f" AND f.rowid IN ({within[0]})"
        params += list(within[1])
    join = " JOIN documents_document d ON d.id = f.rowid " if filters.date_from or filters.date_to else " "
    marks = ("highlight(documents_search, 0, char(1), ''), highlight(documents_search, 1, char(1), '')"
             if query else "'', ''")
    sql = (f"SELECT f.rowid, {marks} FROM documents_search f{join}WHERE documents_search MATCH %s{extra} "  # noqa: S608
           "ORDER BY f.rowid DESC LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_expression(query, filters), *params, size + 1])
        rows = [Candidate(int(pk), TITLE_WEIGHT * title.count("\x01") + SENDER_WEIGHT * sender.count("\x01"))
                for pk, title, sender in cursor.fetchall()]
    return Window(rows[:size], rows[size - 1].document_id if len(rows) > size else None)


PG_SCAN = 8192  # documents a PostgreSQL window reads (~5 ms)


def _dates(filters: Filters) -> tuple[str, list[object]]:
    extra, params = "", []
    if filters.date_from:
        extra += " AND d.issued_on >= %s"
        params.append(filters.date_from)
    if filters.date_to:
        extra += " AND d.issued_on <= %s"
        params.append(filters.date_to)
    return extra, params


def _pg_window(query: Query, filters: Filters, *, size: int, before: int | None, rest: bool,
               within: tuple[str, Sequence[object]] | None) -> Window:
    scan = PG_SCAN
    text = tsquery(query, filters)
    score = f"ts_rank('{PG_WEIGHTS}', m.tsv, %s::tsquery)" if query else "0"
    scores = [text] if query else []
    dated = filters.date_from or filters.date_to
    join = " JOIN documents_document d ON d.id = m.document_id" if dated else ""
    dates, date_params = _dates(filters)
    below = " AND document_id < %s" if before is not None else ""
    below_params: list[object] = [before] if before is not None else []
    if within is not None:
        below += f" AND document_id IN ({within[0]})"
        below_params += list(within[1])
    with connection.cursor() as cursor:
        if rest or within is not None:  # materialised: no ORDER BY … LIMIT inside, so the planner uses the GIN index
            cursor.execute(
                f"WITH m AS MATERIALIZED (SELECT document_id, tsv FROM documents_search WHERE agency_id = %s "  # noqa: S608
                f"AND tsv @@ %s::tsquery{below}) SELECT m.document_id, {score} FROM m{join} WHERE true{dates} "
                "ORDER BY m.document_id DESC LIMIT %s",
                [filters.agency_id, text, *below_params, *scores, *date_params, size + 1])
            rows = [Candidate(int(pk), float(s)) for pk, s in cursor.fetchall()]
            return Window(rows[:size], rows[size - 1].document_id if len(rows) > size else None)
        newest = (f"SELECT document_id, tsv FROM documents_search WHERE agency_id = %s{below} "  # noqa: S608
                  "ORDER BY document_id DESC LIMIT %s")
        cursor.execute(
            f"SELECT m.document_id, {score} FROM ({newest}) m{join} WHERE m.tsv @@ %s::tsquery{dates} "  # noqa: S608
            "ORDER BY m.document_id DESC LIMIT %s",
            [*scores, filters.agency_id, *below_params, scan, text, *date_params, size + 1])
        rows = [Candidate(int(pk), float(s)) for pk, s in cursor.fetchall()]
        if len(rows) > size:
            return Window(rows[:size], rows[size - 1].document_id)
        cursor.execute(f"SELECT count(*), min(document_id) FROM ({newest}) m",  # noqa: S608
                       [filters.agency_id, *below_params, scan])
        scanned, lowest = cursor.fetchone()
        return Window(rows, lowest if scanned == scan else None)
