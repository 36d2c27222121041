"""The document search figures: ``GET /api/v1/documents?q=…`` over a million generated official documents, against
``GET /healthz`` measured the same way in the same run.

Two halves, as in ``bench/dossiers.py``:

- **Inside the project** (``motcua shell -c …``, in a throw-away database): ``generate`` bulk-loads N documents
  (``COPY`` on PostgreSQL, multi-row ``INSERT`` on SQLite) over the demo's agencies and 29 more, 5 years, 40 % of
  them in the demo's Sở Nội vụ (the agency searched), incoming and outgoing, with registers, numbers, symbols such
  as "123/UBND-NC" and "45/QĐ-UBND", summaries built from a vocabulary of real administrative phrases ("Về việc
  tuyển dụng công chức", "Báo cáo kết quả công tác thi đua, khen thưởng"), senders ("UBND tỉnh Hà Giang", "Bộ Nội
  vụ"), signers, 1 % secret; 10 % have a scanned file whose extracted text (1–3 KB of the sentences such letters
  are made of) is searched too. ``index`` builds the full-text index with ``documents.search.rebuild`` (what
  ``motcua reindex_documents`` runs), timed. ``describe`` runs every query once through the selector in-process
  (counts, and the candidate query's plan for the commonest words).
- **In the bench process**: a fresh DATA_DIR and database (``run.throwaway_database``: SQLite, or PostgreSQL when
  DATABASE_URL says so), ``migrate``, ``motcua demo`` (the agencies and the logins), the province's other agencies
  (``dossiers.create_agencies``), the two halves above, then ``motcua serve`` and wrk: ``SEARCH_QUERIES`` (20
  realistic queries, with and without diacritics, one of them "cong van", which half of the documents contain)
  rotating, as the demo's agency leader (bearer token; sees every document of the agency, secret ones included),
  in interleaved rounds against ``/healthz``: at 1 connection (the latency a request takes; target p95 under
  50 ms) and at ``--connections`` (8) for requests/s and p95 under moderate load.

Alone: ``.venv/bin/python bench/documents.py [--documents 1000000] [--duration 10] [--connections 8]
[--output bench/results.json]`` (``make bench-documents``; ``--documents 20000`` for a quick check); the figures
go into the output file under ``"documents_search"`` → ``"sqlite"`` or ``"postgresql"``, beside what is there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SEED = 20260101
DOCUMENTS = 1_000_000           # the figure: `make bench-documents`
MAKE_BENCH_DOCUMENTS = 200_000  # inside `make bench`, which has the dossiers' and the reports' millions to load
SNV = "000.00.12.H22"
SNV_SHARE = 0.40           # the searched agency's slice: 400,000 of 1,000,000
YEARS = 5
TEXT_SHARE = 0.10          # documents with an extracted text
SECRET_SHARE = 0.01
INCOMING_SHARE = 0.60
TARGET_P95_MS = 50.0
CHUNK = 50_000             # rows built and loaded at a time
ROUNDS = 3
DEMO_LOGIN = "leader"

# The queries a clerk or a leader types: words of summaries, symbols, senders, words only in the files' text;
# with and without diacritics; "cong van" (the type of half the documents) is the costliest.
SEARCH_QUERIES = (
    "cong van", "tuyển dụng công chức", "tuyen dung cong chuc", "báo cáo kết quả thi đua", "khen thuong",
    "12/UBND", "Bộ Nội vụ", "bo noi vu nang luong", "kế hoạch cải cách hành chính", "cai cach hanh ch",
    "quyết định bổ nhiệm", "quyet dinh dieu dong vien chuc", "đào tạo, bồi dưỡng", "chuyen doi so",
    "tinh giản biên chế", "Nghị định 138", "phong chong thien tai", "45/KH-UBND", "lich tiep cong dan",
    "kê khai tài sản thu nhập",
)

# ---------------------------------------------------------------------------------------------------------
# Vocabulary: real administrative phrases (the combinations are illustrative)

ACTIONS = ("tuyển dụng", "bổ nhiệm", "bổ nhiệm lại", "điều động", "luân chuyển", "nâng bậc lương", "nâng ngạch",
           "đào tạo, bồi dưỡng", "khen thưởng", "xử lý kỷ luật", "thẩm định", "phê duyệt", "triển khai thực hiện",
           "tổ chức kiểm tra", "rà soát", "góp ý dự thảo", "hướng dẫn thực hiện", "tăng cường", "đôn đốc thực hiện",
           "tổng hợp số liệu", "giao chỉ tiêu", "sắp xếp", "kiện toàn", "đánh giá, xếp loại")
OBJECTS = ("công chức", "viên chức", "cán bộ, công chức cấp xã", "đề án vị trí việc làm", "chỉ tiêu biên chế",
           "công tác cải cách hành chính", "chuyển đổi số", "công tác thi đua, khen thưởng",
           "công tác văn thư, lưu trữ", "công tác phòng, chống tham nhũng", "công tác phòng, chống thiên tai",
           "tinh giản biên chế", "đơn vị hành chính cấp xã", "quy chế dân chủ ở cơ sở", "công tác tín ngưỡng, tôn giáo",
           "đơn vị sự nghiệp công lập", "chế độ, chính sách đối với người có công", "kê khai tài sản, thu nhập",
           "an toàn thông tin mạng", "dịch vụ công trực tuyến", "lãnh đạo cấp phòng", "hợp đồng lao động",
           "thanh niên xung phong", "người hoạt động không chuyên trách")
QUALIFIERS = ("", "", "năm {year}", "quý {quarter} năm {year}", "6 tháng đầu năm {year}", "trên địa bàn tỉnh",
              "giai đoạn 2021 - 2025", "của Sở Nội vụ", "tại các cơ quan, đơn vị", "đợt {quarter} năm {year}")
AREAS = ("thi đua, khen thưởng", "cải cách hành chính", "công tác tổ chức, cán bộ", "thực hiện dân chủ ở cơ sở",
         "công tác văn thư, lưu trữ", "chuyển đổi số", "tiếp công dân, giải quyết khiếu nại, tố cáo",
         "phòng, chống tham nhũng, tiêu cực", "công tác thanh niên", "quản lý biên chế")
MEETINGS = ("hội nghị tổng kết công tác năm {year}", "hội nghị sơ kết 6 tháng đầu năm {year}",
            "buổi làm việc với Đoàn kiểm tra của Bộ Nội vụ", "hội nghị tập huấn nghiệp vụ văn thư, lưu trữ",
            "lễ trao tặng Huân chương Lao động", "hội nghị triển khai Nghị định 178/2024/NĐ-CP")
NOTICES = ("lịch tiếp công dân tháng {month} năm {year}", "kết luận của Giám đốc Sở tại cuộc họp giao ban",
           "kết quả thi tuyển công chức năm {year}", "danh sách thí sinh đủ điều kiện dự tuyển viên chức",
           "lịch nghỉ Tết Nguyên đán năm {year}", "phân công nhiệm vụ lãnh đạo Sở")
# name, abbreviation (for the symbol), units that sign its letters
SENDERS = (("UBND tỉnh Hà Giang", "UBND", ("NC", "VP", "TH", "KT", "KGVX")),
           ("Bộ Nội vụ", "BNV", ("CCVC", "TCBC", "VP")), ("Văn phòng Chính phủ", "VPCP", ("KSTT", "TCCV")),
           ("Ban Tổ chức Tỉnh ủy", "BTCTU", ("CB",)), ("Sở Tài chính tỉnh Hà Giang", "STC", ("NS", "HCSN")),
           ("Sở Y tế tỉnh Hà Giang", "SYT", ("TCCB", "NVY")),
           ("Sở Giáo dục và Đào tạo tỉnh Hà Giang", "SGDĐT", ("TCCB",)),
           ("Thanh tra tỉnh Hà Giang", "TTr", ("NV1",)), ("UBND xã Vị Xuyên", "UBND", ("VP",)),
           ("Ban Thi đua - Khen thưởng Trung ương", "BTĐKT", ("VP", "NV2")),
           ("Cục Văn thư và Lưu trữ nhà nước", "VTLTNN", ("NVĐP",)),
           ("Hội đồng nhân dân tỉnh Hà Giang", "HĐND", ("VP",)),
           ("Công an tỉnh Hà Giang", "CAT", ("PV01",)), ("Kho bạc Nhà nước Hà Giang", "KBHG", ("KSC",)),
           ("Bảo hiểm xã hội tỉnh Hà Giang", "BHXH", ("TCCB",)))
TYPE_WEIGHTS = (("cong-van", 50), ("quyet-dinh", 15), ("bao-cao", 8), ("ke-hoach", 6), ("thong-bao", 6),
                ("to-trinh", 5), ("giay-moi", 5), ("huong-dan", 2), ("chuong-trinh", 1), ("bien-ban", 1),
                ("de-an", 1))
POSTS = ("Giám đốc", "Phó Giám đốc", "Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng", "Trưởng phòng", "Bộ trưởng",
         "Thứ trưởng")
SENTENCES = (
    "Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008 và Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, "
    "công chức và Luật Viên chức ngày 25 tháng 11 năm 2019;",
    "Căn cứ Nghị định số 138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ quy định về tuyển dụng, sử dụng và "
    "quản lý công chức;",
    "Căn cứ Nghị định số 115/2020/NĐ-CP ngày 25 tháng 9 năm 2020 của Chính phủ quy định về tuyển dụng, sử dụng và "
    "quản lý viên chức;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Thực hiện Kế hoạch số 45/KH-UBND ngày 10 tháng 02 năm 2025 của UBND tỉnh về cải cách hành chính,",
    "Thực hiện chỉ đạo của Chủ tịch UBND tỉnh tại Văn bản số 1234/UBND-NC,",
    "Sở Nội vụ đề nghị các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày 15 hằng tháng.",
    "Trong quá trình triển khai, nếu có khó khăn, vướng mắc, đề nghị phản ánh về Sở Nội vụ (qua Phòng Công chức, "
    "viên chức) để tổng hợp, báo cáo UBND tỉnh xem xét, giải quyết.",
    "Các cơ quan, đơn vị chịu trách nhiệm về tính chính xác của số liệu báo cáo.",
    "Giao Phòng Tổ chức, biên chế chủ trì, phối hợp với các phòng chuyên môn tham mưu thực hiện.",
    "Hồ sơ gửi về Sở Nội vụ qua Hệ thống quản lý văn bản và điều hành, đồng thời gửi bản giấy để lưu trữ theo quy "
    "định.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Chánh Văn phòng Sở, Trưởng các phòng, đơn vị thuộc Sở và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
    "hành Quyết định này.",
    "Tổng số biên chế công chức được giao năm nay giảm 5% so với năm trước theo lộ trình tinh giản biên chế.",
    "Kinh phí thực hiện được bố trí trong dự toán ngân sách năm của cơ quan, đơn vị.",
    "Nơi nhận: Như trên; Lãnh đạo Sở; Lưu: VT, CCVC.",
    "Đề nghị Thủ trưởng các cơ quan, đơn vị quan tâm, chỉ đạo thực hiện.",
)


def _fill(template: str, rng: random.Random, year: int) -> str:
    return template.format(year=year, quarter=rng.choice(("I", "II", "III", "IV")), month=rng.randint(1, 12))


def summary_of(type_code: str, rng: random.Random, year: int) -> str:
    """A trích yếu in the shape its type has."""
    topic = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)}"
    qualifier = _fill(rng.choice(QUALIFIERS), rng, year)
    topic = f"{topic} {qualifier}".strip()
    if type_code == "bao-cao":
        return _fill(f"Báo cáo {rng.choice(('kết quả', 'tình hình'))} {rng.choice(AREAS)} "
                     f"{rng.choice(('năm {year}', '6 tháng đầu năm {year}', 'quý {quarter} năm {year}'))}", rng, year)
    if type_code in ("ke-hoach", "chuong-trinh", "de-an"):
        return f"{rng.choice(('Triển khai', 'Thực hiện', 'Tổ chức'))} {rng.choice(AREAS)} năm {year}"
    if type_code == "thong-bao":
        return _fill(rng.choice(NOTICES), rng, year).capitalize()
    if type_code == "giay-moi":
        return "Mời dự " + _fill(rng.choice(MEETINGS), rng, year)
    if type_code == "to-trinh":
        return f"Đề nghị {topic}"
    if type_code == "quyet-dinh":
        return f"Về việc {topic}"
    return f"V/v {topic}" if rng.random() < 0.2 else f"Về việc {topic}"


def body_of(rng: random.Random) -> str:
    """1–3 KB of the sentences official letters are made of."""
    target, parts, size = rng.randint(1000, 3000), [], 0
    while size < target:
        sentence = rng.choice(SENTENCES) if rng.random() < 0.7 else (
            f"Đề nghị các cơ quan, đơn vị {rng.choice(ACTIONS)} {rng.choice(OBJECTS)} theo đúng quy định.")
        parts.append(sentence)
        size += len(sentence.encode()) + 1
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------------------
# The generator (inside the project)

DOC_COLUMNS = ("id", "agency_id", "direction", "state", "register_id", "number", "symbol", "doc_type_id", "summary",
               "issued_on", "sender_name", "sender_identifier", "signer_name", "signer_position", "urgency", "secrecy",
               "received_at", "registered_at", "due_at", "completed_at", "direction_note", "directed_by_id",
               "drafting_division_id", "recipients_text", "copies", "page_count", "issued_at", "reply_to_id",
               "exchange_id", "created_by_id", "created_at", "version")
FILE_COLUMNS = ("document_id", "agency_id", "kind", "file", "name", "content_type", "size", "sha256", "uploaded_at",
                "uploaded_by_id", "text", "text_status", "text_method")


def _check_columns(model: Any, columns: Sequence[str]) -> None:
    """The generator fills every column of ``model``: a column added later stops the bench with its name."""
    names = {f.column for f in model._meta.concrete_fields if not f.primary_key or "id" in columns}
    if missing := names - set(columns):
        raise RuntimeError(f"{model._meta.db_table} has columns the bench does not fill: {sorted(missing)}")
    if unknown := set(columns) - names:
        raise RuntimeError(f"{model._meta.db_table} no longer has columns the bench fills: {sorted(unknown)}")


def _load(connection: Any, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """COPY (PostgreSQL) or multi-row INSERT (SQLite) of ``rows``."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for start in range(0, len(rows), 5000):
                    copy.write("".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n"
                                       for row in rows[start:start + 5000]))
            return
        raw = connection.connection.cursor()
        per = max(1, 30_000 // len(columns))  # under SQLite's 32,766 host parameters a statement
        one = "(" + ", ".join("?" * len(columns)) + ")"
        sql = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608 - our own table and column names
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            raw.execute(sql + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


def generate(n: int, seed: int = SEED) -> None:
    """``n`` documents (and the files of 10 % of them) in one transaction, ids in date order (the newest document
    has the highest id, as in use); prints ``bench-documents-generated {json}``. The register counters of
    ``core.sequences`` are not moved: the bench registers nothing afterwards."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    import dossiers
    from motcua.documents.models import Document, DocumentFile, DocumentType, Register
    from motcua.org.models import Agency, Staff

    started = time.perf_counter()
    _check_columns(Document, DOC_COLUMNS)
    _check_columns(DocumentFile, FILE_COLUMNS)
    rng = random.Random(seed)
    agencies = []
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        creator = Staff.objects.filter(agency=agency).order_by("pk").values_list("pk", flat=True).first()
        if creator:
            agencies.append((agency.pk, agency.short_name or "CQ", creator, agency.identifier == SNV))
    if not any(a[3] for a in agencies) or len(agencies) < 2:
        raise RuntimeError("the demo's Sở Nội vụ and at least one more agency with staff are needed")
    weights = [SNV_SHARE if a[3] else (1 - SNV_SHARE) / (len(agencies) - 1) for a in agencies]
    types = {t.code: t for t in DocumentType.objects.all()}
    type_codes = [code for code, _ in TYPE_WEIGHTS if code in types]
    type_weights = [w for code, w in TYPE_WEIGHTS if code in types]
    today = timezone.localdate()
    first = today - dt.timedelta(days=365 * YEARS - 1)
    years = range(first.year, today.year + 1)
    registers: dict[tuple[int, str, bool, int], int] = {}
    with transaction.atomic():
        for agency_id, _short, _creator, _snv in agencies:
            for direction in ("incoming", "outgoing"):
                for secret in (False, True):
                    for year in years:
                        register, _ = Register.objects.get_or_create(agency_id=agency_id, direction=direction,
                                                                     secret=secret, year=year)
                        registers[agency_id, direction, secret, year] = register.pk
    next_id = (Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    people = [f"{rng.choice(dossiers.SURNAMES)} {rng.choice(dossiers.MIDDLE[f])} {rng.choice(dossiers.GIVEN[f])}"
              for f in (True, False) * 200]
    cumulative = list(itertools.accumulate(weights))
    numbers = dict(Document.objects.filter(register__isnull=False).values_list("register_id")
                   .annotate(m=Max("number")).values_list("register_id", "m"))  # the demo's own documents
    counters = {key: numbers.get(pk) or 0 for key, pk in registers.items()}
    span = (today - first).days + 1
    stats = {"incoming": 0, "outgoing": 0, "secret": 0, "with_text": 0, "snv": 0, "text_bytes": 0, "files": 0}
    postgresql = connection.vendor == "postgresql"
    utc = "+00" if postgresql else ""  # COPY's text format takes the zone; Django's SQLite columns are naive UTC

    def chunk(begin: int, end: int) -> tuple[list[tuple], list[tuple]]:
        documents, files = [], []
        for i in range(begin, end):
            day = first + dt.timedelta(days=i * span // n)
            agency_id, short, creator, is_snv = rng.choices(agencies, cum_weights=cumulative)[0]
            incoming = rng.random() < INCOMING_SHARE
            direction = "incoming" if incoming else "outgoing"
            type_code = rng.choices(type_codes, type_weights)[0]
            doc_type = types[type_code]
            secret = rng.random() < SECRET_SHARE
            at = dt.datetime.combine(day, dt.time(1 + rng.randrange(9), rng.randrange(60), rng.randrange(60)))
            recent = (today - day).days < 30
            if incoming:
                state = rng.choice(("registered", "in_handling", "completed")) if recent else (
                    "completed" if rng.random() < 0.95 else "in_handling")
            else:
                state = "draft" if recent and rng.random() < 0.3 else ("archived" if rng.random() < 0.05 else "issued")
            register_id = number = None
            if state != "draft":
                key = (agency_id, direction, secret, day.year)
                number = counters[key] = counters.get(key, 0) + 1
                register_id = registers[key]
            if incoming:
                sender, abbreviation, units = SENDERS[min(int(rng.paretovariate(1.2)) - 1, len(SENDERS) - 1)]
                issued_on: dt.date | None = day - dt.timedelta(days=rng.randrange(6))
                serial = rng.randint(1, 500)
            else:
                sender, abbreviation, units, issued_on, serial = "", short, ("VP", "CCVC", "TCBC", "XDCQ"), day, number
            if not doc_type.abbreviation:
                symbol = f"{serial}/{abbreviation}-{rng.choice(units)}"
            else:
                symbol = f"{serial}/{doc_type.abbreviation}-{abbreviation}"
            if state == "draft":
                symbol, issued_on = "", None
            signer = rng.choice(people) if state != "draft" else ""
            created = at.isoformat(" ") + utc
            documents.append((
                next_id + i, agency_id, direction, state, register_id, number, symbol, doc_type.pk,
                summary_of(type_code, rng, day.year), issued_on.isoformat() if issued_on else None, sender, "",
                signer, rng.choice(POSTS) if signer else "", "urgent" if rng.random() < 0.08 else "normal",
                "confidential" if secret else "normal", created if incoming else None,
                created if state != "draft" else None, None,
                (at + dt.timedelta(days=3)).isoformat(" ") + utc if state == "completed" else None, "", None, None,
                "" if incoming else "Như trên; Lưu: VT.", 1, rng.randint(1, 6),
                created if state in ("issued", "archived") else None, None, "", creator, created, 1))
            stats[direction] += 1
            stats["secret"] += secret
            stats["snv"] += is_snv
            if rng.random() < TEXT_SHARE:
                text = body_of(rng)
                digest = f"{rng.getrandbits(256):064x}"
                files.append((next_id + i, agency_id, "main", f"documents/{day:%Y/%m}/{next_id + i}/{digest[:32]}.pdf",
                              "scan.pdf", "application/pdf", 100_000 + len(text) * 20, digest, created, None, text,
                              "done", "ocr"))
                stats["files"] += 1
                stats["text_bytes"] += len(text.encode())
        return documents, files

    build = load = 0.0
    with transaction.atomic():
        if not postgresql:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for the index pages while loading
        for begin in range(0, n, CHUNK):
            t0 = time.perf_counter()
            documents, files = chunk(begin, min(n, begin + CHUNK))
            t1 = time.perf_counter()
            _load(connection, "documents_document", DOC_COLUMNS, documents)
            _load(connection, "documents_documentfile", FILE_COLUMNS, files)
            build, load = build + t1 - t0, load + time.perf_counter() - t1
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("VACUUM (ANALYZE) documents_document")
            cursor.execute("VACUUM (ANALYZE) documents_documentfile")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finished = time.perf_counter()
    stats["with_text"] = stats["files"]
    print("bench-documents-generated " + json.dumps({
        "documents": n, "files": stats["files"], "stats": stats, "agencies": len(agencies),
        "build_seconds": round(build, 1), "load_seconds": round(load, 1),
        "analyse_seconds": round(finished - loaded, 1),
        "seconds": round(finished - started, 1), "vendor": connection.vendor,
        "method": "COPY FROM STDIN" if connection.vendor == "postgresql" else "multi-row INSERT",
    }))


def index() -> None:
    """``search.rebuild`` (what ``motcua reindex_documents`` runs), timed; prints ``bench-documents-indexed``."""
    from django.db import connection

    from motcua.documents import search

    started = time.perf_counter()
    count = search.rebuild()
    rebuilt = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE) documents_search")
            cursor.execute("SELECT pg_total_relation_size('documents_search'), "
                           "pg_total_relation_size('documents_document'), pg_database_size(current_database())")
            index_bytes, table_bytes, database_bytes = cursor.fetchone()
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
            sizes = dict(cursor.fetchall())
            index_bytes = sum(v for k, v in sizes.items() if k.startswith("documents_search"))
            table_bytes = sizes.get("documents_document", 0)
            database_bytes = sum(sizes.values())
    print("bench-documents-indexed " + json.dumps({
        "documents": count, "seconds": round(rebuilt - started, 1), "analyse_seconds": round(time.perf_counter()
                                                                                           - rebuilt, 1),
        "index_bytes": index_bytes, "table_bytes": table_bytes, "database_bytes": database_bytes}))


def describe(username: str = DEMO_LOGIN) -> None:
    """Every query once through ``selectors.search`` as ``username`` (its count, in-process time after a warm-up),
    and the plan of the candidate query for "cong van"; prints ``bench-documents-described``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.documents import search, selectors
    from motcua.documents.models import Document
    from motcua.org.models import Staff

    actor = Staff.objects.select_related("agency", "user").get(user__username=username)
    out: dict[str, Any] = {"queries": {}}
    for q in SEARCH_QUERIES:
        selectors.search(actor=actor, q=q)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                page = selectors.search(actor=actor, q=q)
            times.append((time.perf_counter() - started) * 1e3)
        out["queries"][q] = {"count": page.total_label, "ms": round(statistics.median(times), 1),
                             "sql": len(captured)}
    query = search.parse("cong van")
    filters = search.Filters(agency_id=actor.agency_id)
    with CaptureQueriesContext(connection) as captured:
        search.window(query, filters, size=selectors.WINDOW)
    first = captured.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + first)
            out["plan"] = first + "\n" + "\n".join(r[0] for r in cursor.fetchall())
            cursor.execute("SELECT count(*) FROM documents_search s WHERE s.agency_id = %s AND s.tsv @@ %s::tsquery",
                           [actor.agency_id, search.tsquery(query, filters)])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + first)
            out["plan"] = first + "\n" + "\n".join(str(r) for r in cursor.fetchall())
            cursor.execute("SELECT count(*) FROM documents_search WHERE documents_search MATCH %s",
                           [search.fts5_expression(query, filters)])
        out["cong_van_matches"] = cursor.fetchone()[0]
    out["agency_documents"] = Document.objects.filter(agency_id=actor.agency_id).count()
    print("bench-documents-described " + json.dumps(out, ensure_ascii=False))


# ---------------------------------------------------------------------------------------------------------
# The bench process


def shell(env: dict[str, str], code: str, marker: str, timeout: float) -> Any:
    import run as bench

    return bench.project_shell(env, "documents", code, marker, timeout)


def search_paths(base: str, bearer: str) -> tuple[list[str], dict[str, str]]:
    """The paths of the queries, and what each found (each must find something, or the bench measures empty
    answers)."""
    import run as bench

    paths, counts = [], {}
    for q in SEARCH_QUERIES:
        path = "/api/v1/documents?" + urllib.parse.urlencode({"q": q})
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {bearer}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        if not body["count"]:
            raise bench.BenchError(f"the search {q!r} finds nothing: were the documents generated?")
        paths.append(path)
        counts[q] = body["count_label"]
    return paths, counts


def measure(wrk_bin: str, base: str, data_dir: Path, bearer: str, levels: Sequence[int], duration: int) -> dict:
    """At each number of connections, interleaved rounds of /healthz and the search, measured the same way."""
    import dossiers
    import run as bench

    paths, counts = search_paths(base, bearer)
    script = data_dir / "rotate.lua"
    headers = {"Authorization": f"Bearer {bearer}"}
    seconds = {1: max(3, duration * 3 // 10)}
    bench.wrk_paths(wrk_bin, base, ["/healthz"], script, max(levels), 2)  # warm-up of both
    bench.wrk_paths(wrk_bin, base, paths, script, max(levels), 2, headers)
    out: dict[str, Any] = {"counts": counts, "levels": {}}
    for connections in levels:
        length = seconds.get(connections, max(2, duration // 4))
        rounds = dossiers._interleaved(ROUNDS, [
            ("healthz", lambda c=connections, s=length: bench.wrk_paths(wrk_bin, base, ["/healthz"], script, c, s)[0]),
            ("search", lambda c=connections, s=length: bench.wrk_paths(wrk_bin, base, paths, script, c, s,
                                                                         headers)[0])])
        figures = {("" if name == "search" else "base_") + key: statistics.median(r[key] for r in rounds[name])
                   for name in rounds for key in ("p50", "p95", "rps")}
        figures["requests"] = sum(r["requests"] for r in rounds["search"])
        figures["base_requests"] = sum(r["requests"] for r in rounds["healthz"])
        figures["seconds"] = length
        figures["ratio"] = statistics.median(s["p95"] / h["p95"] for s, h in zip(rounds["search"], rounds["healthz"],
                                                                               strict=True))
        out["levels"][connections] = figures
    return out


def bench_documents(n: int = DOCUMENTS, duration: int = 10, connections: int = 8,
                    machine: dict | None = None) -> dict:
    """The whole documents bench in a database and DATA_DIR of its own: ``{"results": [run.result rows], …}``."""
    import shutil
    import subprocess

    import dossiers
    import run as bench

    wrk_bin = shutil.which("wrk")
    if not wrk_bin:
        raise bench.BenchError("wrk is not installed: run `make sysdeps-bench` (or apt-get install wrk)")
    motcua = str(bench.BIN / "motcua")
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="motcua-bench-documents-") as tmp:
        data_dir = Path(tmp)
        with bench.throwaway_database(data_dir) as (database_url, kind, version):
            if machine is not None:
                machine["database"], machine["database_version"] = kind, version
            env = os.environ | {"MOTCUA_ENV": "local", "DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
                                "DEBUG": "false", "LOG_LEVEL": "WARNING", "ACCESS_LOG": ""}
            env.pop("DJANGO_SETTINGS_MODULE", None)
            bench.run([motcua, "migrate", "--noinput", "-v", "0"], env, timeout=300)
            bench.run([motcua, "demo"], env, timeout=600)
            shell(env, "import dossiers; dossiers.create_agencies(); print('bench-agencies 1')", "bench-agencies",
                  timeout=600)
            print(f"documents: {n:,} generated documents", flush=True)
            started = time.perf_counter()
            generated = shell(env, f"documents.generate({n}, {SEED})", "bench-documents-generated", timeout=3 * 3600)
            generated["wall_seconds"] = time.perf_counter() - started
            print(f"  generated {n:,} documents and {generated['files']:,} files in {generated['seconds']:.0f} s "
                  f"({n / generated['seconds']:,.0f} documents/s inside the command)", flush=True)
            started = time.perf_counter()
            indexed = shell(env, "documents.index()", "bench-documents-indexed", timeout=3 * 3600)
            indexed["wall_seconds"] = time.perf_counter() - started
            print(f"  indexed {indexed['documents']:,} documents in {indexed['seconds']:.0f} s "
                  f"(index {indexed['index_bytes'] / 1e6:,.0f} MB)", flush=True)
            described = shell(env, "documents.describe()", "bench-documents-described", timeout=1800)
            for q, figures in described["queries"].items():
                print(f"  {q!r}: {figures['count']} found, {figures['ms']} ms in-process, {figures['sql']} queries",
                      flush=True)
            port = bench.free_port()
            log = data_dir / "server.log"
            cmd = [motcua, "serve", "--host", bench.LOOPBACK, "--port", str(port)]
            print("  $", " ".join(cmd), flush=True)
            with log.open("wb") as log_file:
                server = subprocess.Popen(cmd, env=env, cwd=data_dir, stdin=subprocess.DEVNULL, stdout=log_file,
                                          stderr=subprocess.STDOUT, start_new_session=True)
            try:
                base = f"http://{bench.LOOPBACK}:{port}"
                bench.wait_until_ready(base + "/healthz", server, log)
                bench.wrk(wrk_bin, base + "/healthz", connections, 2)  # every worker up
                workers = len(subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True, text=True,
                                             check=False).stdout.split()) - 1
                bearer = dossiers.token(base, DEMO_LOGIN)
                print(f"documents: the search against /healthz, same method, at 1 and {connections} connections",
                      flush=True)
                try:
                    measured = measure(wrk_bin, base, data_dir, bearer, sorted({1, connections}), duration)
                except bench.BenchError as error:
                    raise bench.BenchError(f"{error}\n{log.read_text()[-4000:]}") from None
            finally:
                bench.stop(server)
    measured["loadavg"] = {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]}
    server = (f"`motcua serve` (gunicorn gthread, {workers} workers × 4 threads) on {bench.LOOPBACK}, {kind} "
              f"{version}, wrk on the same machine")
    return {"results": results(generated, indexed, described, measured, n, connections, server, kind),
            "generated": generated, "indexed": indexed, "described": described, "measured": measured}


def results(generated: dict, indexed: dict, described: dict, measured: dict, n: int, connections: int, server: str,
            kind: str) -> list[dict]:
    import run as bench

    one, many = measured["levels"][1], measured["levels"][connections]
    stats = generated["stats"]
    data = (f"{n:,} generated documents over {generated['agencies']} agencies and {YEARS} years "
            f"({stats['snv']:,} in the searched agency, {stats['incoming']:,} incoming, {stats['secret']:,} secret, "
            f"{stats['with_text']:,} with 1–3 KB of extracted text); full-text index "
            f"{indexed['index_bytes'] / 1e6:,.0f} MB (documents table {indexed['table_bytes'] / 1e6:,.0f} MB); "
            f"\"cong van\" matches {described['cong_van_matches']:,} of the agency's "
            f"{described['agency_documents']:,} documents")

    def setup(c: int, figures: dict) -> str:
        return (f"GET /api/v1/documents?q=… (first page of 20, ranked and highlighted, count capped at 1000) as the "
                f"demo's agency leader (bearer token), rotating over {len(SEARCH_QUERIES)} queries with and without "
                f"diacritics ({', '.join(repr(q) for q in SEARCH_QUERIES[:6])}, …), found: "
                f"{', '.join(f'{q!r} {k}' for q, k in list(measured['counts'].items())[:6])}, …; {data}; {server}; "
                f"wrk -t{min(2, c)} -c{c}, {ROUNDS} interleaved rounds of {figures['seconds']} s for /healthz and for "
                f"the search (after 2 s warm-ups), a Lua script rotating the paths and printing wrk's exact p50/p95; "
                f"medians of the rounds; {figures['requests']:.0f} search and {figures['base_requests']:.0f} "
                f"/healthz requests, 0 errors; load average {measured['loadavg']['before']} → "
                f"{measured['loadavg']['after']}.")

    latency = "One connection: each request waits for the previous answer (the time a request takes). "
    met = one["p95"] < TARGET_P95_MS
    out = [
        bench.result("documents.search p50 latency", one["p50"], "ms", one["base_p50"],
                     f"{latency}{setup(1, one)} Baseline: /healthz p50 by the same method.", lower_is_better=True),
        bench.result("documents.search p95 latency", one["p95"], "ms", one["base_p95"],
                     f"{latency}{setup(1, one)} Baseline: /healthz p95 by the same method; ratio is the median "
                     f"per-round ratio. Target: p95 under {TARGET_P95_MS:.0f} ms ({'met' if met else 'NOT met'}).",
                     lower_is_better=True),
        bench.result(f"documents.search p95 at {connections} conns", many["p95"], "ms", many["base_p95"],
                     f"{setup(connections, many)} Includes queueing when the server's cores are busy. Baseline: "
                     "/healthz p95 by the same method; ratio is the median per-round ratio.", lower_is_better=True),
        bench.result("documents.search requests/s", many["rps"], "req/s", many["base_rps"],
                     f"At {connections} connections. {setup(connections, many)} Baseline: /healthz requests/s by the "
                     "same method."),
        bench.result(f"documents.generate {n:,} documents", generated["wall_seconds"], "s", generated["wall_seconds"],
                     f"bench/documents.py's generator inside `motcua shell` ({generated['method']}; rows built "
                     f"{generated['build_seconds']:.0f} s, loaded {generated['load_seconds']:.0f} s with the tables' "
                     f"indexes in place, {generated['files']:,} of them with a file and its text "
                     f"({stats['text_bytes'] / 1e6:,.0f} MB), "
                     f"{'VACUUM ANALYZE' if kind == 'postgresql' else 'WAL checkpoint'} "
                     f"{generated['analyse_seconds']:.0f} s); wall time of the command. Baseline: itself.",
                     lower_is_better=True),
        bench.result(f"documents.reindex {n:,} documents", indexed["wall_seconds"], "s", indexed["wall_seconds"],
                     f"documents.search.rebuild (`motcua reindex_documents`): every document's entry (folded words "
                     f"of type, symbol, summary, signer, number, sender and files' text, and filter tags) in one "
                     f"transaction, {indexed['seconds']:.0f} s"
                     + (", GIN index built after the rows" if kind == "postgresql" else ", then FTS5 'optimize'")
                     + f", then {'VACUUM ANALYZE' if kind == 'postgresql' else 'WAL checkpoint'} "
                     f"{indexed['analyse_seconds']:.0f} s; {indexed['documents'] / max(indexed['seconds'], 0.1):,.0f} "
                     "documents/s; wall time of the command. Baseline: itself.", lower_is_better=True),
    ]
    out[1]["ratio"] = round(one["ratio"], 3)
    out[2]["ratio"] = round(many["ratio"], 3)
    out[1]["target"] = {"p95_ms_below": TARGET_P95_MS, "met": met}
    out[1]["in_process_ms"] = {q: f["ms"] for q, f in described["queries"].items()}
    out[1]["plan"] = described["plan"]
    return out


def save(output: Path, kind: str, payload: dict) -> None:
    """Under ``"documents_search"`` → ``kind`` in ``output``, keeping what else the file holds."""
    data = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    data.setdefault("documents_search", {})[kind] = payload
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def check_args(documents: int, duration: int, connections: int) -> str | None:
    if not 1000 <= documents <= 5_000_000:
        return "--documents must be 1,000–5,000,000"
    if not 1 <= duration <= 60:
        return "--duration must be 1–60 seconds"
    if not 1 <= connections <= 64:
        return "--connections must be 1–64"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run as bench

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DOCUMENTS,
                        help=f"generated documents (default {DOCUMENTS:,}; e.g. 20000 for a quick check)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk load per level (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections besides 1 (default 8)")
    parser.add_argument("--output", type=Path, default=bench.BENCH_DIR / "results.json",
                        help="JSON file the figures are added to (default bench/results.json)")
    args = parser.parse_args(argv)
    if error := check_args(args.documents, args.duration, args.connections):
        parser.error(error)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-self-") as own_dir:
        os.environ["DATA_DIR"] = own_dir
        os.environ.setdefault("MOTCUA_ENV", "local")
        machine = bench.machine_info()
        try:
            payload = bench_documents(args.documents, args.duration, args.connections, machine)
        except bench.BenchError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 1
    machine["seconds"] = round(time.monotonic() - started, 1)
    save(args.output, machine["database"], {"machine": machine, **payload})
    bench.print_table(machine, payload["results"])
    print(f"wrote {args.output} (documents_search → {machine['database']}) in {machine['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.modules.setdefault("documents", sys.modules[__name__])
    sys.exit(main())
