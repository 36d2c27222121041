"""A one-stop dossier filed in a work file (hồ sơ công việc): the one use case that needs both ``documents`` and
``dossiers``, kept at the composition root so that neither app imports the other."""

from __future__ import annotations

from django.db import transaction

from motcua.core import audit, clock
from motcua.core.errors import DomainError, ErrorCode
from motcua.documents import services as document_services
from motcua.documents.models import CaseFile
from motcua.dossiers.access import access_dossier, actor_of
from motcua.models import CaseFileDossier
from motcua.org.models import Staff


@transaction.atomic
def add_dossier(*, actor: Staff, case_file_id: int, dossier_code: str) -> CaseFileDossier:
    """The owner of an open work file puts in it a one-stop dossier they may see."""
    case_file = document_services.access_case_file(actor, case_file_id, for_update=True)
    if case_file.owner_id != actor.pk:
        raise DomainError(ErrorCode.FORBIDDEN, "Chỉ người lập hồ sơ được thay đổi hồ sơ.")
    if case_file.status != CaseFile.Status.OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, "Hồ sơ đã đóng.")
    code = (dossier_code or "").strip()
    if not code:
        raise DomainError(ErrorCode.INVALID, "Hãy nhập mã hồ sơ một cửa.", field="dossier_code")
    try:
        dossier = access_dossier(actor_of(actor), code)
    except DomainError as error:
        raise DomainError(error.code, error.message, field="dossier_code") from None
    if CaseFileDossier.objects.filter(case_file=case_file, dossier=dossier).exists():
        raise DomainError(ErrorCode.CONFLICT, f"Hồ sơ {dossier.code} đã có trong hồ sơ công việc này.",
                          field="dossier_code")
    link = CaseFileDossier.objects.create(case_file=case_file, dossier=dossier, added_at=clock.now(), added_by=actor)
    audit.record(actor=actor.user, action="documents.casefile.add_dossier", target=case_file,
                 after={"dossier": dossier.code})
    return link
