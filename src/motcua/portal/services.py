"""Use cases of the public portal: a citizen's account, their drafts and online submissions, their answers
to supplement requests, withdrawals and ratings. Each is one transaction with its audit event; the dossier's
own changes go through ``dossiers.services`` (the same rules as at the desk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode

from motcua.catalog.models import Procedure
from motcua.core import audit, clock
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.files import CheckedFile, check_upload, delete_if_rolled_back, use_case
from motcua.dossiers import applicants
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ALLOWED_UPLOADS, ComponentTick, Intake, Upload
from motcua.dossiers.states import Channel, State
from motcua.portal import rating, selectors
from motcua.portal.models import Citizen, DraftFile, Rating, SubmissionDraft

User = get_user_model()
MAX_DRAFTS = 20
DRAFT_FIELDS = ("type", "name", "id_number", "tax_code", "representative", "birth_date", "address", "phone",
                "email", "subject", "resolving_agency")


class _ConfirmationTokens(PasswordResetTokenGenerator):
    """Tokens for the confirmation e-mail: void once the account is active, so a link works once."""

    key_salt = "motcua.portal.confirm-email"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


confirmation_tokens = _ConfirmationTokens()


def _invalid(message: str, **details: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID, message, **details)


# --------------------------------------------------------------------------------------------------------
# Accounts


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    full_name: str
    phone: str = ""


def register(*, registration: Registration, site_url: str, next_url: str = "") -> None:
    """Create an inactive account and e-mail a confirmation link. An address already registered gets the same
    answer on screen (so the form cannot tell who has an account) and an e-mail saying so instead."""
    email = registration.email.strip().lower()
    problems: dict[str, str] = {}
    if not applicants.email_ok(email):
        problems["email"] = "Địa chỉ thư điện tử không đúng."
    if not registration.full_name.strip() or len(registration.full_name) > 150:
        problems["full_name"] = "Nhập họ và tên (tối đa 150 ký tự)."
    phone = applicants.normalise_phone(registration.phone)
    if phone and not applicants.phone_ok(phone):
        problems["phone"] = "Số điện thoại không đúng (10–11 chữ số, bắt đầu bằng 0 hoặc +84)."
    try:
        password_validation.validate_password(registration.password, User(username=email, email=email))
    except ValidationError as exc:
        problems["password"] = " ".join(exc.messages)
    if problems:
        raise _invalid("Thông tin đăng ký chưa đúng.", fields=problems)
    existing = User.objects.filter(username=email).first()
    if existing is not None:
        transaction.on_commit(lambda: _mail(email, "Tài khoản đã có", "mail/account_exists.txt",
                                            {"site_url": site_url}))
        return
    with transaction.atomic():
        try:
            user = User.objects.create_user(username=email, email=email, password=registration.password,
                                            is_active=False)
        except IntegrityError:  # the same address registered at the same moment: one account wins
            return
        citizen = Citizen.objects.create(user=user, full_name=registration.full_name.strip(), phone=phone,
                                         created_at=clock.now())
        audit.record(actor=user, action="portal.register", target=citizen, after={"email": email})
        link = f"{site_url}/cong-dan/xac-nhan/{urlsafe_base64_encode(force_bytes(user.pk))}/" \
               f"{confirmation_tokens.make_token(user)}/" + (f"?{urlencode({'next': next_url})}" if next_url else "")
        transaction.on_commit(lambda: _mail(email, "Xác nhận tài khoản", "mail/confirm_email.txt",
                                            {"name": citizen.full_name, "link": link}))


def _mail(to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    from django.template.loader import render_to_string

    send_mail(f"[motcua] {subject}", render_to_string(f"portal/{template}", context), None, [to],
              fail_silently=True)


@transaction.atomic
def confirm_email(*, uidb64: str, token: str) -> Any:
    """Activate the account of a valid, unused confirmation link."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        pk = None
    user = User.objects.select_for_update().filter(pk=pk).first() if pk else None
    if user is None or not confirmation_tokens.check_token(user, token):
        raise _invalid("Liên kết xác nhận không đúng hoặc đã dùng, đã hết hạn. Hãy đăng nhập, hoặc đăng ký lại.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    Citizen.objects.filter(user=user).update(email_confirmed_at=clock.now())
    audit.record(actor=user, action="portal.confirm_email", target=user.citizen, after={"active": True})
    return user


def citizen_of(user: Any) -> Citizen:
    citizen = Citizen.objects.filter(user=user).first() if user.is_authenticated else None
    if citizen is None:
        raise DomainError(ErrorCode.FORBIDDEN, "Trang này dành cho tài khoản công dân.")
    return citizen


# --------------------------------------------------------------------------------------------------------
# Drafts and online submission


def _procedure_online(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, status=Procedure.Status.ACTIVE).first()
    if procedure is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không có thủ tục này.")
    if not procedure.offers_online:
        raise _invalid("Thủ tục này chưa cung cấp dịch vụ công trực tuyến: hãy nộp tại bộ phận một cửa.")
    if procedure.current_version() is None:
        raise _invalid("Thủ tục chưa có phiên bản nào có hiệu lực.")
    return procedure


@transaction.atomic
def start_draft(*, account: Any, procedure_code: str) -> SubmissionDraft:
    """A new draft for a procedure, prefilled from the account."""
    citizen = citizen_of(account)
    procedure = _procedure_online(procedure_code)
    if SubmissionDraft.objects.filter(account=account).count() >= MAX_DRAFTS:
        raise _invalid(f"Ông/Bà đã có {MAX_DRAFTS} hồ sơ nháp; hãy nộp hoặc xóa bớt.")
    now = clock.now()
    individual = procedure.for_individuals
    data = {"type": "individual" if individual else "organisation", "name": citizen.full_name if individual else "",
            "id_number": citizen.id_number, "birth_date": citizen.birth_date.isoformat() if citizen.birth_date else "",
            "address": citizen.address, "phone": citizen.phone, "email": account.email, "tax_code": "",
            "representative": "" if individual else citizen.full_name, "subject": ""}
    draft = SubmissionDraft.objects.create(account=account, procedure=procedure, data=data, created_at=now,
                                           updated_at=now)
    audit.record(actor=account, action="portal.draft.start", target=draft, after={"procedure": procedure.code})
    return draft


def _draft(account: Any, draft_id: int) -> SubmissionDraft:
    draft = (SubmissionDraft.objects.select_for_update().select_related("procedure")
             .filter(pk=draft_id, account=account).first())
    if draft is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ nháp.")
    return draft


@use_case
def save_draft(*, account: Any, draft_id: int, data: dict[str, str],
               files: Sequence[tuple[int, Upload]] = ()) -> SubmissionDraft:
    """Keep what was typed and the files uploaded (each checked by content; one per required document, a new
    one replacing the old). Nothing is validated beyond the files: a draft may be incomplete."""
    draft = _draft(account, draft_id)
    version = draft.procedure.current_version()
    known = set(version.documents.values_list("pk", flat=True)) if version else set()
    if unknown := sorted({doc for doc, _ in files} - known):
        raise _invalid("Có giấy tờ không thuộc thành phần hồ sơ của thủ tục.", unknown=unknown)
    checked = []
    for doc, upload in files:
        result = check_upload(upload.name, upload.stream, upload.size,
                              max_bytes=settings.DOSSIER_MAX_UPLOAD_BYTES, allowed=ALLOWED_UPLOADS)
        if not isinstance(result, CheckedFile):
            raise _invalid(f"Tệp \u201c{upload.name}\u201d: {result.message}", field=f"file_{doc}")
        checked.append((doc, upload, result))
    now = clock.now()
    draft.data = {key: str(data.get(key, draft.data.get(key, "")))[:1000] for key in DRAFT_FIELDS}
    draft.updated_at = now
    draft.save(update_fields=["data", "updated_at"])
    for doc, upload, result in checked:
        old = DraftFile.objects.filter(draft=draft, required_document_id=doc).first()
        if old is not None:
            name = old.file.name
            old.delete()
            transaction.on_commit(lambda name=name: DraftFile.file.field.storage.delete(name))
        row = DraftFile(draft=draft, required_document_id=doc, name=upload.name[:255],
                        content_type=result.content_type, size=result.size, sha256=result.sha256, uploaded_at=now)
        upload.stream.seek(0)
        row.file.save(upload.name, File(upload.stream), save=False)
        delete_if_rolled_back(row.file)
        row.save()
    audit.record(actor=account, action="portal.draft.save", target=draft,
                 after={"files": [r.sha256 for _, _, r in checked]})
    return draft


@transaction.atomic
def delete_draft(*, account: Any, draft_id: int) -> None:
    draft = _draft(account, draft_id)
    names = list(draft.files.values_list("file", flat=True))
    audit.record(actor=account, action="portal.draft.delete", target=draft, after={"procedure": draft.procedure_id})
    draft.delete()
    storage = DraftFile.file.field.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _applicant(data: dict[str, str]) -> applicants.Applicant:
    try:
        birth = dt.date.fromisoformat(data.get("birth_date", "")) if data.get("birth_date") else None
    except ValueError:
        raise _invalid("Ngày sinh không hợp lệ.", fields={"birth_date": "Ngày sinh không hợp lệ."}) from None
    return applicants.Applicant(
        type=data.get("type", "individual"), name=data.get("name", ""), id_number=data.get("id_number", ""),
        tax_code=data.get("tax_code", ""), representative=data.get("representative", ""), birth_date=birth,
        address=data.get("address", ""), phone=data.get("phone", ""), email=data.get("email", ""))


@use_case
def submit_draft(*, account: Any, draft_id: int) -> Dossier:
    """Send a draft: every mandatory document must have its file; the dossier gets its code at once and waits
    for the desk's check. The draft goes; the account keeps the applicant's details for next time."""
    draft = _draft(account, draft_id)
    files = list(draft.files.select_related("required_document"))
    missing = selectors.missing_files(selectors.draft_checklist(draft))
    if missing:
        raise _invalid("Còn thiếu tệp của giấy tờ bắt buộc: " + "; ".join(missing) + ".", missing=missing,
                       field="files")
    applicant = _applicant(draft.data)
    handles = [f.file.open("rb") for f in files]
    try:
        intake = Intake(procedure_code=draft.procedure.code, applicant=applicant, channel=Channel.ONLINE,
                        components=tuple(ComponentTick(required_document_id=f.required_document_id)
                                         for f in files),
                        subject=draft.data.get("subject", ""),
                        resolving_agency=draft.data.get("resolving_agency", ""),
                        files=tuple((f.required_document_id, Upload(name=f.name, stream=h, size=f.size))
                                    for f, h in zip(files, handles, strict=True)))
        dossier = dossier_services.submit_as_applicant(account=account, intake=intake)
    finally:
        for handle in handles:
            handle.close()
    citizen = citizen_of(account)
    if applicant.type == "individual":
        citizen.id_number, citizen.birth_date = applicant.id_number, applicant.birth_date
        citizen.address = applicant.address.strip()[:500] or citizen.address
        citizen.save(update_fields=["id_number", "birth_date", "address"])
    names = [f.file.name for f in files]
    draft.delete()
    storage = DraftFile.file.field.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return dossier


# --------------------------------------------------------------------------------------------------------
# After submission


def rate(*, account: Any, code: str, answers: dict[str, Any], satisfied: bool, comment: str = "") -> Rating:
    """Rate a returned dossier, once."""
    with transaction.atomic():
        dossier = (Dossier.objects.select_for_update(of=("self",)).filter(code=code, applicant_account=account)
                   .first())
        if dossier is None:
            raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ.")
        if dossier.state != State.RETURNED:
            raise DomainError(ErrorCode.INVALID_STATE, "Chỉ đánh giá được sau khi đã nhận kết quả.")
        if Rating.objects.filter(dossier=dossier).exists():
            raise DomainError(ErrorCode.CONFLICT, "Hồ sơ này đã được đánh giá.")
        facts = rating.measured(
            outcome=dossier.outcome, late_steps=dossier.steps.filter(outcome="late").count(),
            supplement_requests=dossier.supplement_requests,
            agencies=1 + dossier.steps.exclude(other_agency=None).values("other_agency").distinct().count())
        try:
            scores = rating.score(answers, facts)
        except rating.RatingProblem as exc:
            raise _invalid(str(exc)) from None
        if len(comment) > 2000:
            raise _invalid("Góp ý dài quá 2000 ký tự.")
        row = Rating.objects.create(dossier=dossier, agency_id=dossier.agency_id, account=account, scores=scores,
                                    total=sum(scores.values()), maximum=rating.MAXIMUM, satisfied=satisfied,
                                    comment=comment.strip(), rated_at=clock.now())
        audit.record(actor=account, action="portal.rate", target=dossier,
                     after={"total": row.total, "satisfied": satisfied})
    return row
