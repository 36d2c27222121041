"""A draft written on screen, laid out as an official document (NĐ 30/2020 Phụ lục I: agency header, national
motto, number and symbol left blank for the clerk, place and date, type and summary, body, recipients, signer).
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import timezone

from motcua.core import clock
from motcua.core.pdf import pdf_from_html
from motcua.documents.models import Document

_ABOUT = re.compile(r"^\s*(v/v|về việc)\s*", re.IGNORECASE)


def draft_pdf(document: Document, body: str) -> bytes:
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = render_to_string("documents/draft_layout.html", {
        "document": document, "agency": document.agency, "paragraphs": paragraphs,
        "today": timezone.localdate(clock.now()), "parent": document.agency.parent,
        "abbreviation": document.doc_type.abbreviation,
        "about": _ABOUT.sub("", document.summary),  # printed after "V/v" on a công văn
        "recipients": [r.strip() for r in document.recipients_text.splitlines() if r.strip()],
    })
    return pdf_from_html(html)
