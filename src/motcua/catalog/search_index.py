"""Searching the catalogue (pure): words are matched at the start of words of the folded text, so
"hội" finds "Hội …" but not "thôi", punctuation is ignored, and the name ranks before other text.

A province's catalogue is a few thousand procedures, so each process keeps the whole index in memory
and searches it in microseconds; ``selectors`` rebuilds it when the catalogue's revision changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.core.text import fold_key

_WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 8


def words(text: str) -> list[str]:
    return _WORD.findall(fold_key(text))


def padded(text: str) -> str:
    """ " w1 w2 … " — so that " " + word finds a word's start and " " + phrase a run of whole words."""
    return " " + " ".join(words(text)) + " "


@dataclass(frozen=True)
class Row:
    pk: int
    code: str
    name: str
    sort_key: str
    field_code: str
    field_name: str
    agency: str
    agency_short: str
    online_level: str
    status: str
    name_words: str
    all_words: str
    resolvers: frozenset[str] = frozenset()  # identifiers of the agencies that resolve it
    resolver_kinds: frozenset[str] = frozenset()  # their kinds: "commune" for a commune-level procedure


class Index:
    def __init__(self, rows: list[Row]) -> None:
        self.rows = sorted(rows, key=lambda r: (r.sort_key, r.pk))

    def search(self, q: str = "", *, field: str = "", agency: str = "", kind: str = "",
               public: bool = True) -> list[Row]:
        """``agency``: led or resolved by that agency; ``kind``: resolved by an agency of that kind."""
        terms = words(q[:200])[:MAX_WORDS]
        found = self.rows  # already in name order; each step below keeps it
        if public:
            found = [r for r in found if r.status != "abolished"]
        if field:
            found = [r for r in found if r.field_code == field]
        if agency:
            found = [r for r in found if r.agency == agency or agency in r.resolvers]
        if kind:
            found = [r for r in found if kind in r.resolver_kinds]
        starts = [" " + t for t in terms]
        for start in starts:  # narrow word by word: a substring test per row, in C
            found = [r for r in found if start in r.all_words]
        if not terms:
            return found
        phrase = " " + " ".join(terms) + " "

        def rank(row: Row) -> int:
            if phrase in row.name_words:
                return 0
            return 1 if all(s in row.name_words for s in starts) else 2

        return sorted(found, key=rank)  # stable: name order within a rank
