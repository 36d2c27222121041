"""The citizen's pages: register, confirm, log in, reset a password; file online (drafts kept), follow their
dossiers, answer a supplement request, withdraw, download the result, rate. Thin: the rules are in
``portal.services`` and ``dossiers.services``."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers import services as dossier_services
from motcua.dossiers.api import file_response
from motcua.dossiers.services import Upload
from motcua.portal import selectors, services
from motcua.portal.forms import (
    CitizenLoginForm,
    DraftForm,
    RatingForm,
    RegisterForm,
    ResetForm,
    SupplementForm,
    WithdrawForm,
)
from motcua.portal.models import DraftFile
from motcua.portal.rating import MEASURED_LABELS


def citizen_page(view):
    """Pages for a logged-in citizen: others go to the citizen login; a refusal becomes the error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return auth_views.redirect_to_login(request.get_full_path(), login_url=reverse("citizen-login"))
        try:
            request.citizen = services.citizen_of(request.user)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "error.html", {"error": exc}, status=exc.http_status)

    return wrapper


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


def _uploads(request: HttpRequest, prefix: str = "file_") -> list[tuple[int, Upload]]:
    return [(int(name[len(prefix):]), Upload(name=f.name, stream=f, size=f.size))
            for name, f in request.FILES.items() if name.startswith(prefix) and name[len(prefix):].isdigit()]


# --------------------------------------------------------------------------------------------------------
# Accounts


def _next(request: HttpRequest) -> str:
    """Where the citizen was going (a page of this site only), kept through registration and confirmation."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    return wanted if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()) else ""


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    next_url = _next(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register(registration=services.Registration(
                email=data["email"], password=data["password"], full_name=data["full_name"], phone=data["phone"]),
                site_url=_site_url(request), next_url=next_url)
            return render(request, "portal/register_sent.html", {"email": data["email"]})
        except DomainError as error:
            form.add_domain_error(error)
    return render(request, "portal/register.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        services.confirm_email(uidb64=uidb64, token=token)
    except DomainError as error:
        return render(request, "error.html", {"error": error}, status=400)
    messages.success(request, "Đã xác nhận thư điện tử. Mời đăng nhập.")
    next_url = _next(request)
    return redirect(reverse("citizen-login") + (f"?{urlencode({'next': next_url})}" if next_url else ""))


class CitizenLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    form_class = CitizenLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("my-dossiers")

    def get_context_data(self, **kwargs):
        # The single sign-on button (motcua.portal.sso), shown only when a provider is configured.
        return super().get_context_data(**kwargs) | {"sso_enabled": settings.OIDC_ENABLED,
                                                      "sso_label": settings.OIDC_LABEL}


class CitizenLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("home")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "portal/password_reset.html"
    email_template_name = "portal/mail/password_reset.txt"
    subject_template_name = "portal/mail/password_reset_subject.txt"
    success_url = reverse_lazy("citizen-password-reset-sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("citizen-login")

    def form_valid(self, form):
        messages.success(self.request, "Đã đặt mật khẩu mới. Mời đăng nhập.")
        return super().form_valid(form)


# --------------------------------------------------------------------------------------------------------
# Online submission


@citizen_page
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    """A procedure's online filing: what it needs and costs, drafts already begun, and the start button."""
    if request.method == "POST":
        draft = services.start_draft(account=request.user, procedure_code=code)
        return redirect("draft-edit", draft_id=draft.pk)
    procedure = selectors.filing_procedure(code)
    version = procedure.current_version()
    return render(request, "portal/start.html", {
        "procedure": procedure, "version": version,
        "documents": version.documents.order_by("order") if version else [],
        "fees": version.fees.order_by("order") if version else [],
        "online": procedure.offers_online,
        "drafts": selectors.drafts(request.user).filter(procedure=procedure)})


def _draft_page(request: HttpRequest, draft, form: DraftForm, status: int = 200) -> HttpResponse:
    return render(request, "portal/draft.html", {
        "draft": draft, "form": form, "files": draft.files.select_related("required_document"),
        "max_mb": settings.DOSSIER_MAX_UPLOAD_BYTES // (1024 * 1024)}, status=status)


def _draft_form(draft, data=None, files=None) -> DraftForm:
    version = draft.procedure.current_version()
    have = dict(DraftFile.objects.filter(draft=draft).values_list("required_document_id", "name"))
    form = (DraftForm(data, files, initial=draft.data).for_applicant_types(draft.procedure.applicant_types)
            .for_resolvers(selectors.resolvers(draft.procedure)))
    return form.with_documents(version.documents.order_by("order") if version else [], have)


@citizen_page
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.my_draft(request.user, draft_id)
    if request.method == "GET":
        return _draft_page(request, draft, _draft_form(draft))
    form = _draft_form(draft, request.POST, request.FILES)
    if not form.is_valid():
        return _draft_page(request, draft, form, status=400)
    data = {k: ("" if v is None else v.isoformat() if hasattr(v, "isoformat") else str(v))
            for k, v in form.cleaned_data.items() if not k.startswith("file_")}
    try:
        services.save_draft(account=request.user, draft_id=draft.pk, data=data, files=_uploads(request))
    except DomainError as error:
        form.add_domain_error(error)
        form.add_error(None, "Bản nháp chưa được lưu: hãy sửa mục được đánh dấu rồi lưu lại (chọn lại các tệp).")
        return _draft_page(request, draft, form, status=400)
    if "review" in request.POST:
        return redirect("draft-review", draft_id=draft.pk)
    messages.success(request, "Đã lưu hồ sơ nháp.")
    return redirect("draft-edit", draft_id=draft.pk)


@citizen_page
@require_http_methods(["GET", "POST"])
def draft_review(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Everything the applicant is about to send, the fee, and the confirmation."""
    draft = selectors.my_draft(request.user, draft_id)
    problem = None
    if request.method == "POST":
        try:
            dossier = services.submit_draft(account=request.user, draft_id=draft.pk)
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, f"Đã nộp hồ sơ. Mã hồ sơ của Ông/Bà: {dossier.code}. Bộ phận một cửa sẽ kiểm tra "
                                      "và báo kết quả qua thư điện tử.")
            return redirect("my-dossier", code=dossier.code)
    version = draft.procedure.current_version()
    rows = selectors.draft_checklist(draft)
    return render(request, "portal/draft_review.html", {
        "draft": draft, "rows": rows, "missing": selectors.missing_files(rows),
        "fees": version.fees.order_by("order") if version else [],
        "birth_date": _date(draft.data.get("birth_date", "")),
        "problem": problem, "type_label": dict(DraftForm.base_fields["type"].choices).get(draft.data.get("type")),
        "resolver": dict(selectors.resolvers(draft.procedure)).get(draft.data.get("resolving_agency", "")),
    }, status=400 if problem else 200)


@citizen_page
@require_POST
def draft_delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    services.delete_draft(account=request.user, draft_id=draft_id)
    messages.success(request, "Đã xóa hồ sơ nháp.")
    return redirect("my-dossiers")


# --------------------------------------------------------------------------------------------------------
# My dossiers


@citizen_page
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_dossiers(request.user), 20).get_page(request.GET.get("trang"))
    return render(request, "portal/my_dossiers.html", {
        "page": page, "drafts": selectors.drafts(request.user)})


def _detail_page(request: HttpRequest, code: str, *, supplement: SupplementForm | None = None,
                 withdraw: WithdrawForm | None = None, rate: RatingForm | None = None,
                 status: int = 200) -> HttpResponse:
    found = selectors.my_dossier(request.user, code)
    if supplement is None and found.can_supplement:
        supplement = SupplementForm().with_documents(found.documents)
    return render(request, "portal/my_dossier.html", {
        "found": found, "d": found.dossier, "s": found.status,
        "supplement_form": supplement if found.can_supplement else None,
        "withdraw_form": (withdraw or WithdrawForm()) if found.can_withdraw else None,
        "rating_form": (rate or RatingForm()) if found.can_rate else None,
        "measured_labels": MEASURED_LABELS}, status=status)


@citizen_page
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    return _detail_page(request, code)


def _act(request: HttpRequest, code: str, form, panel: str, do, done: str) -> HttpResponse:
    """One of the citizen's actions on their dossier: on success back to the dossier with ``done``; refused,
    the dossier page again with the form (``panel``) showing what was wrong."""
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, done)
            return redirect("my-dossier", code=code)
    return _detail_page(request, code, status=400, **{panel: form})


@citizen_page
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.my_dossier(request.user, code)
    form = SupplementForm(request.POST, request.FILES).with_documents(found.documents)
    return _act(request, code, form, "supplement", lambda data: dossier_services.supplement_as_applicant(
        account=request.user, code=code, version=_version(request), note=data["note"], files=_uploads(request)),
        "Đã gửi hồ sơ bổ sung. Bộ phận một cửa sẽ kiểm tra.")


@citizen_page
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, WithdrawForm(request.POST), "withdraw", lambda data: (
        dossier_services.withdraw_as_applicant(account=request.user, code=code, version=_version(request),
                                               reason=data["reason"])), "Đã rút hồ sơ.")


@citizen_page
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    form = RatingForm(request.POST)
    return _act(request, code, form, "rate", lambda data: services.rate(
        account=request.user, code=code, answers=form.answers(), satisfied=data["satisfied"],
        comment=data["comment"]), "Cảm ơn Ông/Bà đã đánh giá.")


@citizen_page
def my_file(request: HttpRequest, code: str, attachment_id: int) -> HttpResponse:
    return file_response(selectors.my_file(request.user, code, attachment_id))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _version(request: HttpRequest) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1
