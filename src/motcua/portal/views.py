"""Public pages: the dossier look-up (no login). The receipt's QR code opens it with the code filled in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.portal import limits, lookup
from motcua.portal.forms import LookupForm

NOT_FOUND = ("Không tìm thấy hồ sơ khớp với mã và 4 số đã nhập. Hãy kiểm tra lại mã trên giấy tiếp nhận và "
             "4 số cuối số điện thoại hoặc số định danh của người nộp.")


@never_cache
@require_http_methods(["GET", "POST"])
def dossier_lookup(request: HttpRequest) -> HttpResponse:
    found = None
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            wait = limits.retry_after(request, form.cleaned_data["ma"])
            if wait is not None:
                form.add_error(None, f"{limits.LIMITED}; hãy thử lại sau {_minutes(wait)}.")
                response = render(request, "portal/lookup.html", {"form": form}, status=429)
                response["Retry-After"] = str(wait)
                return response
            found = lookup.find(form.cleaned_data["ma"], form.cleaned_data["kiem_tra"])
            if found is None:
                limits.record_failure(request, form.cleaned_data["ma"])
                form.add_error(None, NOT_FOUND)
                status = 404
        else:
            status = 400
    else:
        form = LookupForm(initial={"ma": request.GET.get("ma", "")[:64]})
        if form.initial["ma"]:  # opened from the receipt's QR code: only the 4 digits are left to type
            form.fields["kiem_tra"].widget.attrs["autofocus"] = True
    return render(request, "portal/lookup.html", {"form": form, "found": found}, status=status)


def _minutes(seconds: int) -> str:
    return f"{seconds // 60 + (1 if seconds % 60 else 0)} phút" if seconds >= 60 else f"{seconds} giây"
