"""The report pages, mounted at ``/bao-cao/``."""

from django.urls import path

from motcua.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.resolution, name="resolution"),
    path("tong-quan/", views.dashboard_page, name="dashboard"),
    path("quy-trinh/", views.process_page, name="process"),
    path("tinh/", views.province_page, name="province"),
]
