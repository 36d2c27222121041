"""Formats of identifiers used across the system (pure rules, no Django).

Agency identifiers follow QĐ 20/2020/QĐ-TTg Art. 4 (at most 35 characters of ``.``, 0–9 and A–Z, in
dot-separated groups) and its legacy QCVN 102:2016 form used in dossier codes and edXML, where the
level-1 group (``MX1X2``: a letter A–Y and two digits, or ``Z01``–``Z99`` for other organisations) comes
last, as in ``000.00.12.H22``. The exact reading of each group is unverified, so only the shape is checked.
"""

from __future__ import annotations

import re

_GROUPS = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)*$")
_LEVEL1 = re.compile(r"^[A-Z][0-9]{2}$")
_SHORT_NAME = re.compile(r"^[A-ZĐ0-9]{2,20}$")


def is_agency_identifier(value: str) -> bool:
    if not value or len(value) > 35 or not _GROUPS.match(value):
        return False
    groups = value.split(".")
    return bool(_LEVEL1.match(groups[0]) or _LEVEL1.match(groups[-1]))


def is_short_name(value: str) -> bool:
    """The agency's short name used in document symbols (``123/QĐ-SNV``): capitals (Đ included) and digits."""
    return bool(value) and bool(_SHORT_NAME.match(value))
