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


@task()
def print_register(print_id: int) -> str:
    return run_register_print(print_id)


def enqueue_register_print(print_id: int) -> None:
    print_register.enqueue(print_id)


def run_register_print(print_id: int) -> str:
    """Lay the register out (a minute or two for a full year) and keep the PDF with the request."""
    from django.core.files.base import ContentFile

    from motcua.core import clock
    from motcua.documents import registers
    from motcua.documents.models import RegisterPrint

    job = RegisterPrint.objects.select_related("register").filter(pk=print_id, finished_at__isnull=True).first()
    if job is None:
        return "skipped"
    try:
        pdf, rows = registers.register_pdf(job.register, job.month)
    except Exception as exc:  # recorded on the request for the page to show; the clerk may ask again
        log.exception("register print %s failed", print_id)
        RegisterPrint.objects.filter(pk=print_id).update(error=f"{type(exc).__name__}: {exc}"[:2000],
                                                         finished_at=clock.now())
        return "failed"
    job.file.save(registers.filename(job.register, job.month), ContentFile(pdf), save=False)
    job.rows, job.finished_at = rows, clock.now()
    job.save(update_fields=["file", "rows", "finished_at"])
    return "done"


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
