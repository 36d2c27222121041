"""Vietnamese text folding (pure): strip tone and vowel marks, đ/Đ → d/D, so that "Đặng" matches "dang".

Django's ``slugify`` drops đ/Đ instead of folding them; use this first.
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_key(text: str) -> str:
    """Lower-case, folded, single-spaced: the form two strings are compared in."""
    return re.sub(r"\s+", " ", fold(text).lower()).strip()
