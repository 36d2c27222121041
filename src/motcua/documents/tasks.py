"""Background work of the documents app: the text of a file (its text layer, or Vietnamese OCR), then the
search index. Runs after the registering transaction commits; a failure is recorded on the file, never
rolled back into the clerk's action."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from motcua.documents.models import DocumentFile

log = logging.getLogger(__name__)
KINDS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


@task()
def extract_text(file_id: int) -> str:
    return run_extraction(file_id)


def enqueue_extraction(file_id: int) -> None:
    extract_text.enqueue(file_id)


def run_extraction(file_id: int) -> str:
    from motcua.documents import extract, search

    row = DocumentFile.objects.filter(pk=file_id, text_status=DocumentFile.TextStatus.PENDING).first()
    if row is None:
        return "skipped"
    kind = KINDS.get(row.content_type)
    try:
        if kind is None:
            raise extract.ExtractionError("Không trích được văn bản từ loại tệp này.")
        with row.file.open("rb") as fh:
            result = extract.text_of(fh.read(), kind)
        text, status, method = result.text, DocumentFile.TextStatus.DONE, result.method
    except extract.ExtractionError as exc:
        log.warning("text extraction failed for document file %s: %s", file_id, exc)
        text, status, method = "", DocumentFile.TextStatus.FAILED, ""
    with transaction.atomic():
        DocumentFile.objects.filter(pk=file_id).update(text=text, text_status=status, text_method=method)
        search.reindex(row.document_id)
    return status
