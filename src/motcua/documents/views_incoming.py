"""Incoming documents, their handling and the registers (pages)."""

from django.http import HttpResponse
from django.urls import path


def incoming_list(request) -> HttpResponse:  # replaced by the incoming pages
    return HttpResponse("")


urlpatterns = [path("den/", incoming_list, name="incoming-list")]
