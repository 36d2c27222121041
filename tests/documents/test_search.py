"""Searching official documents: Vietnamese without diacritics (and with, both ways), symbols, the files' text,
filters, ranking, highlighting, what a person may not see, queries that try to break the search, the page."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.documents import search, selectors, services
from motcua.documents.highlight import highlight, snippet, words
from motcua.documents.models import Secrecy
from motcua.org.roles import Role
from tests.documents.conftest import make_office, pdf_bytes, upload
from tests.factories import AgencyFactory, make_staff

TODAY = timezone.localdate()


@functools.cache
def _pdf(text: str = "Bản quét") -> bytes:
    return pdf_bytes(text)


def register(office, summary: str, symbol: str, **overrides):
    fields = dict(actor=office.clerk, doc_type="cong-van", summary=summary, sender_name="UBND tỉnh", symbol=symbol,
                  issued_on=TODAY, files=[upload(data=_pdf())])
    fields.update(overrides)
    return services.register_incoming(**fields)


def found(actor, q="", **filters) -> list[int]:
    return [r.document.pk for r in selectors.search(actor=actor, q=q, **filters).rows]


# --------------------------------------------------------------------------------------------------------
# The search (database)


@pytest.mark.django_db
def test_diacritics_case_and_d_are_ignored_both_ways(office):
    with_marks = register(office, "Công văn số 12 về việc tuyển dụng công chức", "12/UBND-NC")
    without = register(office, "cong van ve viec dieu dong can bo", "7/SYT-TCCB", sender_name="So Y te")
    d_word = register(office, "Đề nghị cử cán bộ đi đào tạo", "3/BNV-ĐT", sender_name="Bộ Nội vụ", doc_type="to-trinh")
    clerk = office.clerk
    assert found(clerk, "cong van so 12") == [with_marks.pk]
    assert set(found(clerk, "CÔNG VĂN")) == {with_marks.pk, without.pk}
    assert found(clerk, "điều động") == [without.pk]
    assert found(clerk, "de nghi dao tao") == found(clerk, "ĐỀ NGHỊ ĐÀO TẠO") == [d_word.pk]
    assert found(clerk, "bo noi vu") == [d_word.pk]  # the sender
    assert found(clerk, "tuyen dun") == [with_marks.pk]  # the last word may be unfinished
    assert found(clerk, "khong co tu nay") == []


@pytest.mark.django_db
def test_a_symbol_finds_its_document_and_a_number_is_whole(office):
    twelve = register(office, "Về việc tuyển dụng", "12/UBND-NC")
    other = register(office, "Về việc tuyển dụng", "120/UBND-NC")
    last = register(office, "Về việc tuyển dụng", "13/SNV-VP")
    assert found(office.clerk, "12/UBND") == [twelve.pk]
    assert found(office.clerk, "12/ubnd-nc") == [twelve.pk]
    assert found(office.clerk, '"12 UBND NC"') == [twelve.pk]
    assert found(office.clerk, "tuyen dung") == [last.pk, other.pk, twelve.pk]  # equal matches: newest first


@pytest.mark.django_db
def test_the_files_text_is_searched_and_a_summary_match_ranks_above_it(office, django_capture_on_commit_callbacks):
    in_summary = register(office, "Báo cáo tình hình biên chế năm 2026", "5/SNV-TCBC")
    with django_capture_on_commit_callbacks(execute=True):  # the text of the file, after the commit
        in_text = register(office, "Về việc rà soát số liệu", "6/UBND-VP", files=[upload(data=_pdf(
            "Thực hiện Văn bản 1234/UBND-NC, đề nghị các cơ quan báo cáo số lượng biên chế được giao trước ngày 15"))])
    assert in_text.files.get().text_status == "done"
    page = selectors.search(actor=office.clerk, q="bien che")
    assert [r.document.pk for r in page.rows] == [in_summary.pk, in_text.pk]  # the newer one matched the file only
    assert page.rows[0].summary_html == "Báo cáo tình hình <mark>biên</mark> <mark>chế</mark> năm 2026"
    assert page.rows[0].snippet_html == ""
    assert "<mark>biên</mark> <mark>chế</mark> được giao" in page.rows[1].snippet_html
    assert page.rows[1].summary_html == "Về việc rà soát số liệu"
    assert found(office.clerk, "so luong bien che duoc giao") == [in_text.pk]
    assert found(office.clerk, "1234/UBND") == [in_text.pk]  # a symbol quoted in the text


@pytest.mark.django_db
def test_filters_narrow_the_search_and_the_list(office):
    older = register(office, "Kế hoạch tuyển dụng viên chức", "1/SYT-KH", doc_type="ke-hoach",
                      issued_on=TODAY - dt.timedelta(days=40), sender_name="Sở Y tế")
    newer = register(office, "Công văn về tuyển dụng viên chức", "2/UBND-VP")
    directed = services.direct(actor=office.director, document_id=newer.pk, note="Giao TCCB",
                               lead_division_id=office.personnel.pk)
    clerk, year = office.clerk, TODAY.year
    assert set(found(clerk, "tuyen dung")) == {newer.pk, older.pk}
    assert found(clerk, "tuyen dung", doc_type="ke-hoach") == [older.pk]
    assert found(clerk, "tuyen dung", date_to=TODAY - dt.timedelta(days=30)) == [older.pk]
    assert found(clerk, "tuyen dung", date_from=TODAY - dt.timedelta(days=30)) == [newer.pk]
    assert found(clerk, "tuyen dung", sender="so y te") == [older.pk]
    assert found(clerk, "tuyen dung", state=directed.state) == [newer.pk]  # the index follows every change
    assert found(clerk, "tuyen dung", direction="outgoing") == []
    assert set(found(clerk, "tuyen dung", direction="incoming", year=year)) == {newer.pk, older.pk}
    assert found(clerk, "tuyen dung", year=year - 1) == []
    # without words: newest first, same filters
    assert found(clerk) == [newer.pk, older.pk]
    assert found(clerk, doc_type="ke-hoach") == found(clerk, sender="Sở Y tế") == [older.pk]
    assert found(clerk, state="registered", year=year) == [older.pk]
    with pytest.raises(DomainError, match="Từ ngày"):
        selectors.search(actor=clerk, q="x", date_from=TODAY, date_to=TODAY - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="loại văn bản"):
        selectors.search(actor=clerk, doc_type="khong-co")


@pytest.mark.django_db
def test_secret_documents_never_show_to_whom_may_not_see_them_not_even_in_the_count(office, monkeypatch):
    normal = register(office, "Về việc tuyển dụng công chức", "21/UBND-NC")
    secret = register(office, "Về việc tuyển dụng công chức (mật)", "22/CA-PV", secrecy=Secrecy.CONFIDENTIAL)
    newest = register(office, "Về việc tuyển dụng công chức (tối mật)", "23/CA-PV", secrecy=Secrecy.SECRET)
    auditor = make_staff(role=Role.AUDITOR, agency=office.agency)  # sees all but secret documents
    outsider = make_office(AgencyFactory(name="Sở Tài chính"))
    scoped_in_sql, real_window = [], search.window

    def spy(*args, **kwargs):
        scoped_in_sql.append("within" in kwargs)
        return real_window(*args, **kwargs)

    monkeypatch.setattr(search, "window", spy)
    # as it runs, and reading one document at a time: the few a person may see are then found by the last step
    for window, windows, rest in ((selectors.WINDOW, selectors.MAX_WINDOWS, selectors.REST), (1, 1, 1)):
        scoped_in_sql.clear()
        monkeypatch.setattr(selectors, "WINDOW", window)
        monkeypatch.setattr(selectors, "MAX_WINDOWS", windows)
        monkeypatch.setattr(selectors, "REST", rest)
        for actor, expected in ((office.director, [newest.pk, secret.pk, normal.pk]), (auditor, [normal.pk]),
                                (office.specialist, []), (outsider.clerk, [])):
            for q in ("tuyen dung", ""):
                page = selectors.search(actor=actor, q=q)
                assert sorted(r.document.pk for r in page.rows) == sorted(expected), (window, actor, q)
                assert (page.total, page.total_label) == (len(expected), str(len(expected)))
        assert any(scoped_in_sql) == (window == 1)  # that last step ran only when reading one at a time
    assert found(auditor, "mat") == [] and found(auditor, "22/CA") == []


HOSTILE = ['"', '""', "AND (", "(", ")", "NEAR(a b", "*", "a*", '"cong" OR', "title:abc", "{title}: x", "^x", "'",
           "\\", "-", "OR NOT", "NOT", "%", "_", "'; DROP TABLE documents_search; --", "x" * 1000, "cong " * 50,
           "\x00", "🙂", "ꞌ", "&", "<script>", ":*", "a:b", "' & '", "!", "<->", "đ " * 20]


@pytest.mark.django_db
def test_queries_that_look_like_search_syntax_return_results_or_nothing(office):
    register(office, "Công văn về việc tuyển dụng", "31/UBND-VP")
    for q in HOSTILE:
        page = selectors.search(actor=office.clerk, q=q, sender=q)
        assert page.total <= 1, q
    assert found(office.clerk, '"cong van') == found(office.clerk, "cong van (") != []
    assert len(search.parse("a b c d e f g h i j k").terms) == search.MAX_TERMS


@pytest.mark.django_db
def test_rebuilding_the_index_keeps_every_document_findable(office, capsys):
    first = register(office, "Về việc nâng lương", "41/UBND-NC")
    call_command("reindex_documents")
    assert "1 văn bản" in capsys.readouterr().out
    assert found(office.clerk, "nang luong") == [first.pk]


# --------------------------------------------------------------------------------------------------------
# The page


@pytest.mark.django_db
def test_the_search_page_shows_marked_results_pages_and_an_empty_state(client, office):
    document = register(office, "Về việc tuyển dụng <công chức> & viên chức", "51/UBND-NC")
    client.force_login(office.clerk.user)
    response = client.get("/van-ban/tim-kiem/", {"q": "cong chuc"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;<mark>công</mark> <mark>chức</mark>&gt; &amp; viên <mark>chức</mark>" in body
    assert f'href="{document.get_absolute_url()}"' in body and "51/UBND-NC" in body
    empty = client.get("/van-ban/tim-kiem/", {"q": "khong co", "tu-ngay": "2026-13-01"}).content.decode()
    assert "không phải một ngày" in empty
    assert "Không tìm thấy văn bản nào" in client.get("/van-ban/tim-kiem/", {"q": "khong co"}).content.decode()
    client.logout()
    assert client.get("/van-ban/tim-kiem/").status_code == 302


# --------------------------------------------------------------------------------------------------------
# Highlighting (pure)


def test_highlight_marks_words_as_written_whatever_their_diacritics():
    assert highlight("Công văn số 12", ["cong", "12"]) == "<mark>Công</mark> văn số <mark>12</mark>"
    assert highlight("ĐỀ NGHỊ đào tạo", ["de", "dao"]) == "<mark>ĐỀ</mark> NGHỊ <mark>đào</mark> tạo"
    assert highlight("tuyển dụng, tuyên truyền", [], ["tuy"]) == (
        "<mark>tuyển</mark> dụng, <mark>tuyên</mark> truyền")
    decomposed = unicodedata.normalize("NFD", "Công văn")
    assert highlight(decomposed, ["cong"]) == f"<mark>{decomposed[:5]}</mark>{html.escape(decomposed[5:])}"
    assert highlight("a<b & 12/UBND", ["12", "ubnd"]) == "a&lt;b &amp; <mark>12</mark>/<mark>UBND</mark>"
    assert highlight("한국 cong", ["cong"]) == "한국 <mark>cong</mark>"


def test_a_snippet_is_cut_around_the_first_match():
    text = "Mở đầu. " + "chữ " * 100 + "Đề nghị báo cáo biên chế được giao " + "đuôi " * 100
    cut = snippet(text, ["bien", "che"], width=120)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>biên</mark> <mark>chế</mark>" in cut
    assert len(html.unescape(re.sub("</?mark>", "", cut))) <= 130
    assert snippet("không khớp", ["bien"]) == ""


@given(text=st.text(max_size=80), terms=st.lists(st.text(max_size=6), max_size=3),
       prefixes=st.lists(st.text(max_size=4), max_size=2))
@example(text="<mark>x</mark> <b>", terms=["x", "b"], prefixes=[])
@example(text="e\u0301\u0302 ﬁ 한 İ", terms=["e", "i"], prefixes=["fi"])
def test_highlighting_is_always_safe_html_of_the_same_text(text, terms, prefixes):
    terms = [w for t in terms for w in words(t)]
    prefixes = [w for p in prefixes for w in words(p)]
    for out in (highlight(text, terms, prefixes), snippet(text, terms, prefixes, width=30)):
        bare = re.sub("</?mark>", "", out)
        assert "<" not in bare and ">" not in bare
        assert out.count("<mark>") == out.count("</mark>")
    assert html.unescape(re.sub("</?mark>", "", highlight(text, terms, prefixes))) == text
    for marked in re.findall("<mark>(.*?)</mark>", highlight(text, terms, prefixes)):
        found_words = words(html.unescape(marked))
        assert found_words and all(w in terms or w.startswith(tuple(prefixes)) for w in found_words)
