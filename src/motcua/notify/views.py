"""A person's own notifications (staff and citizens alike are Django users): the inbox with its unread count,
marking read, and the channels they choose. Every query is filtered by the signed-in user, so another
person's message is simply not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.notify import selectors, services
from motcua.notify.forms import PreferenceForm
from motcua.notify.models import Message
from motcua.notify.preferences import Choice


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    try:
        before = int(request.GET["truoc"]) if request.GET.get("truoc") else None
    except ValueError:
        raise Http404 from None
    rows = selectors.inbox(request.user, before=before, limit=selectors.PAGE_SIZE + 1)
    more = len(rows) > selectors.PAGE_SIZE
    rows = rows[:selectors.PAGE_SIZE]
    return render(request, "notify/inbox.html", {
        "rows": rows, "unread": selectors.unread_count(request.user),
        "older": rows[-1].pk if more and rows else None, "first_page": before is None})


@login_required
@require_POST
def mark_read(request: HttpRequest, message_id: int) -> HttpResponse:
    get_object_or_404(Message, pk=message_id, user=request.user)
    services.mark_read(user=request.user, message_id=message_id)
    return redirect("notify-inbox")


@login_required
@require_POST
def open_message(request: HttpRequest, message_id: int) -> HttpResponse:
    """Marks the message read and opens what it is about (a path of this site only)."""
    message = get_object_or_404(Message, pk=message_id, user=request.user)
    services.mark_read(user=request.user, message_id=message_id)
    safe = url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return redirect(message.link if message.link and safe else "notify-inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    n = services.mark_all_read(user=request.user)
    if n:
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
    return redirect("notify-inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    choice, saved = selectors.choice_of(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None,
                          initial={"email": choice.email, "sms": choice.sms, "in_app": choice.in_app})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_preferences(user=request.user, choice=Choice(data["email"], data["sms"], data["in_app"]))
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notify-preferences")
    return render(request, "notify/preferences.html", {"form": form, "saved": saved})
