"""Search ignores diacritics and case both ways, đ/Đ included, and ranks name matches first."""

from __future__ import annotations

import pytest

from motcua.catalog import selectors, services
from tests.catalog.conftest import as_bytes, document, procedure


@pytest.fixture
def catalogue(department):
    other = procedure(code="1.000001", name="Thuyên chuyển công chức ra ngoài tỉnh")
    other["versions"][0]["documents"][0]["name"] = "Quyết định bổ nhiệm ngạch gần nhất"
    services.import_catalog(actor=None, data=as_bytes(document(
        procedure(), other, procedure(code="1.000002", name="Đăng ký thuyên chuyển chức sắc, chức việc"))))


@pytest.mark.parametrize("q", ["bo nhiem ngach", "BỔ NHIỆM NGẠCH", "bổ nhiệm", "Bo Nhiem", "ngạch công"])
def test_the_name_is_found_however_it_is_typed(catalogue, q):
    assert selectors.search(q=q)[0].name == "Bổ nhiệm ngạch công chức"


def test_d_with_stroke_is_folded_both_ways(catalogue):
    assert [p.code for p in selectors.search(q="dang ky")] == ["1.000002"]
    assert [p.code for p in selectors.search(q="ĐĂNG KÝ")] == ["1.000002"]


def test_name_matches_rank_before_matches_in_other_text(catalogue):
    codes = [p.code for p in selectors.search(q="bổ nhiệm ngạch")]
    assert codes == ["1.005384", "1.000001"]  # the second only has it in a document's name


def test_every_word_must_match_and_filters_apply(catalogue):
    assert [p.code for p in selectors.search(q="thuyen chuyen tinh")] == ["1.000001"]
    assert list(selectors.search(q="khong co thu tuc nay")) == []
    assert len(selectors.search(q="", field="CCVC")) == 3
    assert selectors.search(q="", field="TG") == []


def test_every_kind_of_write_is_seen_by_the_next_search(catalogue):
    from motcua.catalog.models import Field, Procedure

    assert selectors.search(q="doi ten") == []
    procedure_row = Procedure.objects.get(code="1.000002")
    procedure_row.name = "Đổi tên hội"  # e.g. through the admin
    procedure_row.save()
    services.reindex(procedure_row)
    assert [r.code for r in selectors.search(q="doi ten")] == ["1.000002"]
    Field.objects.filter(code="CCVC").update(name="x")  # a queryset update sends no signal …
    field = Field.objects.get(code="CCVC")
    field.name = "Công chức"
    field.save()  # … a save does
    assert selectors.search(q="doi ten")[0].field_name == "Công chức"


def test_punctuation_and_word_starts(catalogue):
    assert selectors.search(q="bổ nhiệm, ngạch!")[0].code == "1.005384"
    assert selectors.search(q="ngach cong chuc") and not selectors.search(q="gach")
