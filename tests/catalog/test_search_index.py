from motcua.catalog.search_index import Index, Row, padded


def row(pk: int, name: str, other: str = "", field: str = "CCVC", status: str = "active") -> Row:
    return Row(pk, f"C{pk}", name, padded(name).strip(), field, field, "A", "A", "none", status, padded(name),
               padded(name + " " + other))


INDEX = Index([row(1, "Bổ nhiệm ngạch công chức"), row(2, "Thôi việc đối với chuyên viên"),
               row(3, "Cho phép thành lập hội", field="HOI"), row(4, "Đăng ký hoạt động", other="bổ nhiệm ngạch"),
               row(5, "Bổ nhiệm lại, chuyển ngạch", status="abolished"), row(6, "Báo cáo đại hội của hội từ thiện")])


def codes(q: str, **kw) -> list[str]:
    return [r.code for r in INDEX.search(q, **kw)]


def test_words_match_at_the_start_of_words_only():
    assert codes("hội") == ["C6", "C3"]  # by name; not "Thôi việc"
    assert codes("thi") == ["C6"]  # "thiện" starts with it; "chuyên" / "thành" do not


def test_punctuation_and_marks_are_ignored():
    assert codes("bổ nhiệm, ngạch!") == codes("BO NHIEM NGACH") == ["C1", "C4"]
    assert codes("đăng ký") == codes("DANG KY") == ["C4"]


def test_the_whole_phrase_in_the_name_ranks_first_then_all_words_in_the_name_then_other_text():
    assert codes("bo nhiem ngach", public=False) == ["C1", "C5", "C4"]


def test_filters_and_abolished_procedures():
    assert codes("", field="HOI") == ["C3"]
    assert "C5" not in codes("")
    assert codes("") == ["C6", "C1", "C3", "C4", "C2"]  # by name without marks
