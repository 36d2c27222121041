"""A draft written on screen, laid out as an official document (NĐ 30/2020 Phụ lục I: agency header, national
motto, number and symbol left blank for the clerk, place and date, type and summary, body, recipients, signer).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from motcua.core import clock
from motcua.core.pdf import pdf_from_html
from motcua.documents.models import Document


def draft_pdf(document: Document, body: str) -> bytes:
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = render_to_string("documents/draft_layout.html", {
        "document": document, "agency": document.agency, "paragraphs": paragraphs,
        "today": timezone.localdate(clock.now()), "parent": document.agency.parent,
        "abbreviation": document.doc_type.abbreviation,
        "recipients": [r.strip() for r in document.recipients_text.splitlines() if r.strip()],
    })
    return pdf_from_html(html)
