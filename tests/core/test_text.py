from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, fold_key


def test_fold_removes_marks_and_folds_d_with_stroke():
    assert fold("Đặng Thị Hường") == "Dang Thi Huong"
    assert fold_key("  BỔ NHIỆM   ngạch ") == "bo nhiem ngach"
    assert fold_key("Bổ nhiệm ngạch công chức") == fold_key("bo nhiem ngach cong chuc")


@given(st.text())
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
