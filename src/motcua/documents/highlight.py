"""Search matches marked in the original text (pure, no Django): the word rule the index uses, ``highlight`` and
``snippet``.

The index stores folded words (``motcua.core.text.fold`` then lower case: no tone or vowel marks, đ → d), so a
match is found in folded text but must be shown in the text as written, with its diacritics. Folding works
character by character — a precomposed Vietnamese letter folds to one letter, a decomposed one to its base letter
followed by marks that fold to nothing, a few scripts (Hangul) to several letters — so each original character
knows where its folded form starts, and a folded match maps back to whole original characters. Everything else
is HTML-escaped: the output is safe to insert into a page as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from motcua.core.text import fold

# A word of the index: letters and digits (any script), cut at everything else — punctuation, "/" and "-" of a
# symbol such as "12/UBND-NC", underscores. SQLite's unicode61 tokenizer and PostgreSQL's parser cut the same
# places on the space-separated words we give them.
WORD = re.compile(r"[^\W_]+")
MAX_WORD = 100  # longer "words" (base64, garbage from OCR) are neither indexed nor searched
# A document's number and symbol as written in the folded text: "12/ubnd-nc", "138/2020/nd-cp", "15/3/2026".
SYMBOL = re.compile(r"(?<![^\W_])\d+(?:/[^\W_]+)+(?:-[^\W_]+)*")
_SEPARATORS = re.compile(r"[\W_]+")
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"

_cache: dict[str, str] = {}
# Latin letters (Vietnamese precomposed ones included), punctuation, currency and letter-like symbols: each folds to
# exactly one character, so such a text folds with one ``str.translate`` and positions are the same in both.
_ONE_TO_ONE_RANGES = ((0x0, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20A0, 0x20C0), (0x2100, 0x2150))
_ONE_TO_ONE = {cp: fold(chr(cp)).lower() for a, b in _ONE_TO_ONE_RANGES for cp in range(a, b)}
_OTHER = re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b - 1:08x}" for a, b in _ONE_TO_ONE_RANGES) + "]")


def words(text: str) -> list[str]:
    """The folded words of ``text``, as the index stores and the query looks them up."""
    return [w for w in WORD.findall(fold(text).lower()) if len(w) <= MAX_WORD]


def symbol_word(symbol: str) -> str:
    """A folded symbol as one word: "12/ubnd-nc" → "12ubndnc"."""
    return _SEPARATORS.sub("", symbol)


def symbols(text: str) -> list[str]:
    """The symbols in ``text``, each as one word, so that "12/UBND" (the beginning of "12/UBND-NC") is one
    rare word to look up instead of a phrase of two common ones."""
    return [w for w in (symbol_word(m) for m in SYMBOL.findall(fold(text).lower())) if len(w) <= MAX_WORD]


def _fold_char(ch: str) -> str:
    folded = _cache.get(ch)
    if folded is None:
        folded = fold(ch).lower()  # lower() never changes the length of folded text (checked for all of Unicode)
        if len(_cache) < 20_000:
            _cache[ch] = folded
    return folded


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The folded text, and where each original character's folded form starts (plus the end); None when every
    character folds to exactly one (positions are the same)."""
    if _OTHER.search(text) is None:
        return text.translate(_ONE_TO_ONE), None
    starts, parts, position = [], [], 0
    for ch in text:
        starts.append(position)
        folded = _fold_char(ch)
        parts.append(folded)
        position += len(folded)
    starts.append(position)
    return "".join(parts), starts


def _pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words equal to a term, or starting with a prefix (longest alternatives first)."""
    alternatives = [re.escape(t) for t in sorted(terms, key=len, reverse=True)]
    alternatives += [re.escape(p) + r"[^\W_]*" for p in sorted(prefixes, key=len, reverse=True)]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _original_spans(text: str, terms: Iterable[str], prefixes: Iterable[str], *,
                    first: bool = False) -> list[tuple[int, int]]:
    """Original (start, end) of each match (only the first with ``first``): whole characters, marks that fold
    to nothing kept with their letter."""
    term_set = frozenset(t for t in terms if t)
    prefix_tuple = tuple(p for p in prefixes if p)
    if not text or not (term_set or prefix_tuple):
        return []
    folded, starts = _folded(text)
    pattern = _pattern(term_set, prefix_tuple)
    found = pattern.finditer(folded)
    if starts is None:
        if first:
            m = next(found, None)
            return [m.span()] if m else []
        return [m.span() for m in found]
    spans: list[tuple[int, int]] = []
    index, n = 0, len(text)
    for m in found:
        a, b = m.span()
        # the character whose folded form contains position a
        while index < n and starts[index + 1] <= a:
            index += 1
        start = index
        end = start
        while end < n and starts[end] < b:
            end += 1
        while end < n and starts[end + 1] == starts[end]:  # combining marks (fold to nothing) stay with the letter
            end += 1
        if spans and start < spans[-1][1]:  # one multi-letter character holding two words: one mark
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        elif end > start:
            spans.append((start, end))
        if first and spans:
            break
    return spans


def highlight(text: str, terms: Iterable[str], prefixes: Iterable[str] = ()) -> str:
    """``text`` HTML-escaped, each word that folds to one of ``terms`` (or starts with one of ``prefixes``) in
    ``<mark>``: highlight("Công văn số 12", ["cong", "12"]) == "<mark>Công</mark> văn số <mark>12</mark>"."""
    out, last = [], 0
    for start, end in _original_spans(text, terms, prefixes):
        out += [html.escape(text[last:start]), MARK_OPEN, html.escape(text[start:end]), MARK_CLOSE]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, terms: Iterable[str], prefixes: Iterable[str] = (), width: int = 200) -> str:
    """About ``width`` characters of ``text`` around its first match, highlighted, with "…" where it was cut;
    "" when nothing matches (the match was elsewhere: the summary, the sender)."""
    terms, prefixes = list(terms), list(prefixes)
    spans = _original_spans(text, terms, prefixes, first=True)
    if not spans:
        return ""
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start > 0:  # begin at a word
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(spans[0][1], start), end)
        end = space if space > spans[0][1] else max(end, spans[0][1])
    window = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + highlight(window, terms, prefixes) + ("…" if end < len(text) else "")
