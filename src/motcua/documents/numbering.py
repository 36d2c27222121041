"""Numbers and symbols of official documents (pure; NĐ 30/2020 Art 15 and Phụ lục III).

Each agency numbers its documents per register and calendar year from 1; secret documents have their own
series. An outgoing document's symbol is ``<number>/<type abbreviation>-<agency short name>`` (123/QĐ-SNV);
a công văn, which has no abbreviation, is ``<number>/<agency>-<drafting division>`` (123/SNV-VP, unverified
pattern: the division code is the agency's own).
"""

from __future__ import annotations

SERIES = {
    ("incoming", False): "doc.in",
    ("incoming", True): "doc.in.secret",
    ("outgoing", False): "doc.out",
    ("outgoing", True): "doc.out.secret",
}


def series(direction: str, secret: bool) -> str:
    return SERIES[(direction, secret)]


def symbol(number: int, *, type_abbreviation: str, agency_short: str, division_code: str = "") -> str:
    if number < 1:
        raise ValueError("document numbers start at 1")
    if type_abbreviation:
        return f"{number}/{type_abbreviation}-{agency_short}"
    if division_code:
        return f"{number}/{agency_short}-{division_code}"
    return f"{number}/{agency_short}"


def notation(symbol_text: str) -> tuple[str, str]:
    """``123/QĐ-SNV`` → (``123``, ``QĐ-SNV``): the edXML Code's CodeNumber and CodeNotation."""
    number, _, rest = symbol_text.partition("/")
    return number.strip(), rest.strip()
