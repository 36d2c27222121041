"""The printed forms (TT 01/2018/TT-VPCP, Mẫu 01–06) as an officer and a citizen get them: real PDFs and
Word documents, read back with pypdf and python-docx, carrying the applicant, the dossier code and the
times the dossier's records hold."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from urllib.parse import unquote

import docx
import pytest
import segno
import weasyprint
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx.oxml.ns import qn
from pypdf import PdfReader

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import printing, services
from motcua.dossiers.models import Dossier, FormTemplate, Handoff
from motcua.org.models import Assignment
from tests.dossiers.conftest import at, intake

BASE = "https://motcua.example.gov.vn"
NAME = "Trần Thị Mai"


def act(fn, staff, dossier, instant, **kwargs) -> Dossier:
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_text(content: bytes) -> str:
    """Every paragraph of the document, tables (and tables in tables) included, a line break as a space."""
    document = docx.Document(io.BytesIO(content))
    lines = []
    for paragraph in document.element.body.iter(qn("w:p")):
        parts = [node.text or "" if node.tag == qn("w:t") else " "
                 for node in paragraph.iter(qn("w:t"), qn("w:br"))]
        lines.append(" ".join("".join(parts).split()))
    return " ".join(line for line in lines if line)


def pdf_strokes(content: bytes) -> set[tuple[float, float, float]]:
    """Horizontal strokes drawn on the pages (x from, x to, y): WeasyPrint draws an SVG QR code as one
    stroke per run of dark modules, in module units."""
    strokes = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for x1, y1, x2, y2 in re.findall(r"([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l", stream):
            if float(y1) == float(y2):
                strokes.add((float(x1), float(x2), float(y1)))
    return strokes


def qr_runs(url: str) -> set[tuple[float, float, float]]:
    """The runs of dark modules of the QR code of ``url``, as the receipt draws it."""
    border, runs = printing.QR_BORDER, set()
    for r, row in enumerate(segno.make(url, error=printing.QR_ERROR, micro=False).matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            runs.add((float(border + start), float(border + c), border + r + 0.5))
    return runs


def every_form(world) -> Dossier:
    """A dossier that has all five forms: received, asked for a supplement, apologised for, rejected."""
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.request_supplement, world.desk, d, at(3, 9), reason="Thiếu bản sao có chứng thực",
            items=[services.MissingItem("Quyết định tuyển dụng", "Bản sao chưa chứng thực")])
    d = act(services.provide_supplement, world.desk, d, at(4, 9))
    d = act(services.apologize, world.desk, d, at(16, 9), reason="Chờ ý kiến cơ quan quản lý",
            new_due_at=at(20, 16))
    return act(services.reject, world.leader, d, at(17, 10), reason="Không đủ điều kiện bổ nhiệm")


# --------------------------------------------------------------------------------------------------------
# Mẫu 01: the receipt


def test_the_receipt_shows_the_code_the_appointment_and_who_received_it(world, now, settings):
    settings.PUBLIC_BASE_URL = ""
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    printed = printing.render(d, "receipt", "pdf", base_url=BASE)
    assert printed.content_type == "application/pdf"
    assert printed.filename == "mau-01-000.00.12.H22-260302-0001.pdf"
    text = pdf_text(printed.content)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "SỞ NỘI VỤ TỈNH HÀ GIANG", "Số: 1",
        f"Mã hồ sơ: {d.code}", NAME, "Tổ 5, phường Nguyễn Trãi", "0912345678", "mai@example.vn",
        "Đề nghị bổ nhiệm ngạch chuyên viên", "Bổ nhiệm ngạch công chức",
        "Tờ trình đề nghị", "Bản sao có chứng thực", "Giấy tờ ưu tiên",
        "Số lượng hồ sơ: 1 (bộ)", "10 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02/03/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 16/03/2026",
        "Văn phòng Sở", "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Lê Minh Đạt", "Hà Giang, ngày 02 tháng 3 năm 2026",
        "Quét mã QR",
    ):
        assert expected in text, expected


def test_the_receipt_carries_a_qr_code_of_the_public_look_up(world, now, settings):
    settings.PUBLIC_BASE_URL = ""
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    url = f"{BASE}/tra-cuu/?ma={d.code}"
    page = printing.html(d, "receipt", base_url=BASE + "/")
    src = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page)
    assert src is not None and "<svg" in unquote(src[1])
    assert url in page
    pdf = printing.render(d, "receipt", "pdf", base_url=BASE).content
    # The PDF draws exactly this QR code: every run of dark modules of the look-up address's code.
    assert qr_runs(url) <= pdf_strokes(pdf)
    assert not qr_runs(f"{BASE}/tra-cuu/?ma=000.00.12.H22-260302-0002") <= pdf_strokes(pdf)
    document = docx.Document(io.BytesIO(printing.render(d, "receipt", "docx", base_url=BASE).content))
    assert len(document.inline_shapes) == 1  # the QR code as a picture Word can show


def test_the_configured_public_address_wins_and_without_any_the_receipt_has_no_qr_code(world, now, settings):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    settings.PUBLIC_BASE_URL = "https://dichvucong.hagiang.gov.vn"
    assert f"https://dichvucong.hagiang.gov.vn/tra-cuu/?ma={d.code}" in printing.html(d, "receipt", base_url=BASE)
    settings.PUBLIC_BASE_URL = ""
    page = printing.html(d, "receipt", base_url="")
    assert "<img" not in page and "Quét mã QR" not in page


# --------------------------------------------------------------------------------------------------------
# Every form, both formats


@pytest.mark.parametrize("form", printing.FORMS)
def test_each_form_prints_as_a_pdf_with_the_applicant_and_the_code(world, now, form):
    d = every_form(world)
    printed = printing.render(d, form, "pdf", base_url=BASE)
    text = pdf_text(printed.content)
    assert NAME in text and d.code in text
    assert printed.filename.startswith("mau-0") and printed.filename.endswith(f"{d.code}.pdf")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", printed.filename)


@pytest.mark.parametrize("form", printing.FORMS)
def test_each_form_prints_as_a_word_document_with_the_applicant_and_the_code(world, now, form):
    d = every_form(world)
    printed = printing.render(d, form, "docx", base_url=BASE)
    assert printed.content_type == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert printed.filename.endswith(".docx")
    text = docx_text(printed.content)
    assert NAME in text and d.code in text


def test_each_form_says_what_it_records(world, now):
    d = every_form(world)
    receipt = pdf_text(printing.render(d, "receipt", "pdf", base_url=BASE).content)
    # Reprinted after the supplement and the apology: today's appointment, and the one first given.
    assert ("16 giờ 00 phút, ngày 20/03/2026 (hẹn lần đầu khi tiếp nhận: 09 giờ 00 phút, ngày 16/03/2026)"
            in receipt)

    supplement = pdf_text(printing.render(d, "supplement", "pdf", base_url=BASE).content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in supplement
    assert "Quyết định tuyển dụng" in supplement and "Bản sao chưa chứng thực" in supplement
    assert "Thiếu bản sao có chứng thực" in supplement and "09 giờ 00 phút, ngày 03/03/2026" in supplement
    assert "NGƯỜI HƯỚNG DẪN" in supplement and "Lê Minh Đạt" in supplement
    assert "ngày 03 tháng 3 năm 2026" in supplement

    refusal = pdf_text(printing.render(d, "refusal", "pdf", base_url=BASE).content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal
    assert "Không đủ điều kiện bổ nhiệm" in refusal and "Nguyễn Văn Hùng" in refusal
    assert "10 giờ 00 phút, ngày 17/03/2026" in refusal and "ngày 17 tháng 3 năm 2026" in refusal

    apology = pdf_text(printing.render(d, "apology", "pdf", base_url=BASE).content)
    entry = d.deadlines.get(kind="reappointment")
    assert entry.previous_due_at == at(18) and entry.due_at == at(20, 16)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology and f"Kính gửi: {NAME}" in apology
    assert "Ngày 02/03/2026" in apology
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 18/03/2026" in apology
    assert "Chờ ý kiến cơ quan quản lý" in apology and "xin lỗi" in apology
    assert "16 giờ 00 phút, ngày 20/03/2026" in apology and "THỦ TRƯỞNG CƠ QUAN" in apology


def test_the_apology_names_the_head_of_the_agency_in_post_that_day_or_leaves_the_line_blank(world, now):
    d = every_form(world)
    assert "Nguyễn Văn Hùng" in pdf_text(printing.render(d, "apology", "pdf", base_url=BASE).content)  # Giám đốc
    Assignment.objects.filter(staff=world.leader).update(end_date=dt.date(2026, 3, 10))
    page = printing.html(d, "apology", base_url=BASE)
    assert "THỦ TRƯỞNG CƠ QUAN" in page and "Nguyễn Văn Hùng" not in page


def test_a_refusal_at_the_desk_prints_with_the_officer_and_the_reason(world, now):
    d = services.refuse_at_desk(actor=world.desk, intake=intake(), reason="Không thuộc thẩm quyền của Sở")
    text = pdf_text(printing.render(d, "refusal", "pdf", base_url=BASE).content)
    assert "Không thuộc thẩm quyền của Sở" in text and "từ chối tiếp nhận" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Lê Minh Đạt" in text
    assert "09 giờ 00 phút, ngày 02/03/2026" in text


def test_the_supplement_form_prints_the_request_asked_for_or_the_latest(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    for day, reason in ((3, "Lần đầu: thiếu tờ trình"), (5, "Lần hai: thiếu quyết định")):
        d = act(services.request_supplement, world.desk, d, at(day), reason=reason,
                items=[services.MissingItem("Tờ trình đề nghị")])
        d = act(services.provide_supplement, world.desk, d, at(day, 14))
    latest = printing.html(d, "supplement", base_url=BASE)
    assert "Lần hai" in latest and "Lần đầu" not in latest
    first = printing.render(d, "supplement", "pdf", base_url=BASE, number=1)
    assert "Lần đầu" in pdf_text(first.content) and first.filename == f"mau-02-{d.code}-lan-1.pdf"
    with pytest.raises(DomainError) as refused:
        printing.render(d, "supplement", "pdf", base_url=BASE, number=3)
    assert refused.value.code == "invalid_state" and "lần 3" in refused.value.message


def test_a_form_guided_at_the_desk_before_receipt_says_the_dossier_is_not_received(world, now):
    d = services.guide_at_desk(actor=world.desk, intake=intake(provided="none"), reason="Thiếu giấy tờ",
                               missing=[services.MissingItem("Tờ trình đề nghị")])
    text = pdf_text(printing.render(d, "supplement", "pdf", base_url=BASE).content)
    assert "chưa đủ điều kiện tiếp nhận" in text and "Tờ trình đề nghị" in text and NAME in text
    with pytest.raises(DomainError) as refused:
        printing.render(d, "receipt", "pdf", base_url=BASE)
    assert refused.value.code == "invalid_state"


# --------------------------------------------------------------------------------------------------------
# Mẫu 05: the control sheet


def test_the_control_sheet_lists_every_hand_off_with_who_gave_and_who_received(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.forward, world.desk, d, at(2, 10))
    d = act(services.forward, world.division_leader, d, at(2, 11), assignee_id=world.specialist.pk)
    d = act(services.forward, world.specialist, d, at(5, 10), note="Đủ điều kiện")
    d = act(services.forward, world.division_leader, d, at(5, 14))
    d = act(services.approve, world.leader, d, at(6, 9), result=services.Result(number="123/QĐ-SNV"))
    handoffs = list(Handoff.objects.filter(dossier=d).order_by("seq"))
    assert len(handoffs) == 6

    page = printing.html(d, "control-sheet", base_url=BASE)
    positions = [page.index(f"{h.seq}. Giao:") for h in handoffs]
    assert positions == sorted(positions)  # in the order they happened
    text = pdf_text(printing.render(d, "control-sheet", "pdf", base_url=BASE).content)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "THỜI GIAN GIAO, NHẬN HỒ SƠ" in text
    for h in handoffs:
        assert h.giver_name and h.receiver_name
        assert f"{printing.clock_text(h.at)} – {h.giver_name}" in text
        assert f"{printing.clock_text(h.at)} – {h.receiver_name}" in text
    for name in ("Lê Minh Đạt", "Hoàng Đức Long", "Vũ Ngọc Quỳnh", "Nguyễn Văn Hùng", "Phòng Công chức, viên chức"):
        assert name in text
    assert "Trước hạn" in text and "Đủ điều kiện" in text and "Phê duyệt, ký kết quả" in text

    document = docx.Document(io.BytesIO(printing.render(d, "control-sheet", "docx", base_url=BASE).content))
    sheet = next(t for t in document.tables if "THỜI GIAN GIAO, NHẬN HỒ SƠ" in t.rows[0].cells[1].text)
    assert len(sheet.rows) == 1 + len(handoffs)
    assert "Vũ Ngọc Quỳnh" in sheet.rows[4].cells[1].text  # the specialist received the 3rd forwarding (seq 3)


# --------------------------------------------------------------------------------------------------------
# Refusals


def test_a_form_the_dossier_does_not_have_yet_is_refused(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    for form in ("apology", "supplement", "refusal"):
        assert printing.available(d, form)
        with pytest.raises(DomainError) as refused:
            printing.render(d, form, "pdf", base_url=BASE)
        assert refused.value.code == "invalid_state" and refused.value.message == printing.available(d, form)
    assert printing.available(d, "receipt") is None and printing.available(d, "control-sheet") is None
    online = services.submit_online(actor=world.desk, intake=intake(channel="online"))
    assert "chưa được tiếp nhận" in printing.available(online, "receipt")


def test_an_unknown_format_or_form_is_refused(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    with pytest.raises(DomainError) as refused:
        printing.render(d, "receipt", "odt", base_url=BASE)
    assert refused.value.code == "invalid" and "pdf hoặc docx" in refused.value.message
    with pytest.raises(DomainError) as refused:
        printing.render(d, "mau-99", "pdf", base_url=BASE)
    assert refused.value.code == "not_found"


# --------------------------------------------------------------------------------------------------------
# Template versions


def test_a_newer_template_applies_from_its_date_and_older_dossiers_keep_the_old_one(world, now):
    FormTemplate.objects.create(
        form="receipt", circular="TT 99/2026/TT-VPCP", number="01", title="Giấy biên nhận hồ sơ",
        effective_from=dt.date(2026, 3, 5),
        body='{% extends "dossiers/forms/tt01_2018/base_form.html" %}{% block content %}'
             "<h1>GIẤY BIÊN NHẬN HỒ SƠ</h1><p>Theo {{ form.circular }}: {{ applicant.name }}, mã {{ code }}, "
             "hẹn trả {{ due_at }}</p>{% endblock %}")
    before = services.receive_at_desk(actor=world.desk, intake=intake())  # Monday 2 March
    with clock.at(at(9)):
        after = services.receive_at_desk(actor=world.desk, intake=intake())

    old = pdf_text(printing.render(before, "receipt", "pdf", base_url=BASE).content)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in old and "TT 99/2026" not in old
    new = pdf_text(printing.render(after, "receipt", "pdf", base_url=BASE).content)
    assert "GIẤY BIÊN NHẬN HỒ SƠ" in new and "Theo TT 99/2026/TT-VPCP" in new
    assert f"{NAME}, mã {after.code}, hẹn trả 09 giờ 00 phút, ngày 23/03/2026" in new
    assert "GIẤY BIÊN NHẬN HỒ SƠ" in docx_text(printing.render(after, "receipt", "docx", base_url=BASE).content)
    assert printing.template_for("receipt", dt.date(2026, 3, 4)).circular == "TT 01/2018/TT-VPCP"


def test_a_broken_pasted_template_is_refused_with_a_message_for_the_administrator(world, now):
    FormTemplate.objects.create(form="receipt", circular="TT 99/2026/TT-VPCP", number="01", title="Lỗi",
                                effective_from=dt.date(2026, 1, 1), body="{% if %}<p>{{ code }}</p>")
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    with pytest.raises(DomainError) as refused:
        printing.render(d, "receipt", "pdf", base_url=BASE)
    assert refused.value.code == "conflict" and "quản trị viên" in refused.value.message


def test_a_pasted_template_cannot_make_the_server_read_a_file(world, now, tmp_path):
    image = tmp_path / "secret.png"
    image.write_bytes(base64.b64decode(segno.make("bí mật").png_data_uri().split(",", 1)[1]))
    unguarded = weasyprint.HTML(string=f'<img src="{image.as_uri()}">').write_pdf()
    assert len(PdfReader(io.BytesIO(unguarded)).pages[0].images) == 1  # WeasyPrint alone would read it
    FormTemplate.objects.create(
        form="receipt", circular="TT 99/2026/TT-VPCP", number="01", title="Thử", effective_from=dt.date(2026, 1, 1),
        body=f'<p>{{{{ code }}}}</p><img src="{image.as_uri()}"><img src="http://127.0.0.1:9/x.png">')
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    pdf = PdfReader(io.BytesIO(printing.render(d, "receipt", "pdf", base_url=BASE).content))
    assert d.code in pdf.pages[0].extract_text() and len(pdf.pages[0].images) == 0


def test_the_forms_stay_in_vietnamese_for_a_reader_using_english(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    with translation.override("en"):
        text = pdf_text(printing.render(d, "receipt", "pdf", base_url=BASE).content)
        log = docx_text(printing.render_log(world.agency, [d], dt.date(2026, 3, 1), dt.date(2026, 3, 31),
                                            "docx").content)
    assert "Bản sao có chứng thực" in text and "10 ngày làm việc" in text
    assert "Bổ nhiệm ngạch công chức" in log


def test_the_shipped_set_starts_in_2018_and_earlier_dates_have_no_template(db):
    rows = FormTemplate.objects.filter(circular="TT 01/2018/TT-VPCP").order_by("number")
    assert [(r.form, r.number, r.page_size, r.landscape) for r in rows] == [
        ("receipt", "01", "A4", False), ("supplement", "02", "A4", False), ("refusal", "03", "A4", False),
        ("apology", "04", "A4", False), ("control-sheet", "05", "A4", False), ("log", "06", "A4", True)]
    with pytest.raises(DomainError) as refused:
        printing.template_for("receipt", dt.date(2018, 6, 20))
    assert refused.value.code == "not_found"


# --------------------------------------------------------------------------------------------------------
# Mẫu 06: the log


def _month(world) -> list[Dossier]:
    first = services.receive_at_desk(actor=world.desk, intake=intake())
    first = act(services.forward, world.desk, first, at(2, 10))
    with clock.at(at(3)):
        second = services.receive_at_desk(actor=world.desk, intake=intake())
    second = act(services.reject, world.leader, second, at(4), reason="Không đủ điều kiện")
    with clock.at(at(4)):
        third = services.receive_at_desk(actor=world.desk, intake=intake())
    return [first, second, third]


def test_the_log_lists_the_dossiers_of_a_period_in_landscape(world, now):
    dossiers = _month(world)
    queryset = Dossier.objects.filter(agency=world.agency).order_by("-id")
    printed = printing.render_log(world.agency, queryset, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "pdf")
    assert printed.filename == "mau-06-so-theo-doi-SNV-20260301-20260331.pdf"
    page = PdfReader(io.BytesIO(printed.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = pdf_text(printed.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    for d in dossiers:
        assert d.code in text
    assert "Phòng Công chức, viên chức" in text and "Từ chối giải quyết: Không đủ điều kiện" in text
    document = docx.Document(io.BytesIO(
        printing.render_log(world.agency, dossiers, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "docx").content))
    table = document.tables[-1]
    assert [row.cells[0].text for row in table.rows][1:] == ["1", "2", "3"]  # by log number, whatever the order
    assert [row.cells[1].text for row in table.rows][1:] == [d.code for d in dossiers]
    assert document.sections[0].page_width > document.sections[0].page_height


def test_the_log_takes_a_fixed_number_of_queries_however_many_dossiers(world, now):
    _month(world)
    queryset = Dossier.objects.filter(agency=world.agency)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            printing.render_log(world.agency, queryset, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "docx")
        return len(queries)

    three = count()
    _month(world)
    assert count() == three


def test_the_log_refuses_another_agencys_dossier_and_a_reversed_period(world, now):
    dossiers = _month(world)
    with pytest.raises(DomainError) as refused:
        printing.render_log(world.province, dossiers, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "pdf")
    assert refused.value.code == "invalid"
    with pytest.raises(DomainError) as refused:
        printing.render_log(world.agency, dossiers, dt.date(2026, 3, 31), dt.date(2026, 3, 1), "pdf")
    assert refused.value.code == "invalid"
    empty = printing.render_log(world.agency, [], dt.date(2026, 3, 1), dt.date(2026, 3, 31), "pdf")
    assert "Không có hồ sơ nào trong kỳ" in pdf_text(empty.content)


# --------------------------------------------------------------------------------------------------------
# Words and times


def test_times_are_written_in_vietnam_time_and_the_date_line_as_official_papers_write_it():
    utc = dt.datetime(2026, 3, 2, 2, 5, tzinfo=dt.UTC)
    assert printing.clock_text(utc) == "09 giờ 05 phút, ngày 02/03/2026"
    assert printing.date_line("Hà Giang", dt.date(2026, 2, 5)) == "Hà Giang, ngày 05 tháng 02 năm 2026"
    assert printing.date_line("Hà Giang", dt.date(2026, 11, 25)) == "Hà Giang, ngày 25 tháng 11 năm 2026"
    assert printing.date_line("", dt.date(2026, 3, 2)).startswith("…")
