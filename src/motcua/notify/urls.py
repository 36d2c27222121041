"""Mounted at /thong-bao/ by the project's urls.py."""

from django.urls import path

from motcua.notify import views

urlpatterns = [
    path("", views.inbox, name="notify-inbox"),
    path("cai-dat/", views.preferences, name="notify-preferences"),
    path("da-doc/", views.mark_all_read, name="notify-read-all"),
    path("<int:message_id>/da-doc/", views.mark_read, name="notify-read"),
    path("<int:message_id>/mo/", views.open_message, name="notify-open"),
]
