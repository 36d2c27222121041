from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua import views
from motcua.api import api
from motcua.catalog import views as catalog_views
from motcua.core.views import healthz

admin.site.site_header = _("motcua — Quản trị")
admin.site.site_title = _("motcua")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", views.home_or_login, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("danh-ba/", views.directory, name="directory"),
    path("lich-lam-viec/", views.calendar_page, name="calendar"),
    path("nhat-ky/", views.audit_log, name="audit-log"),
    path("thu-tuc/", catalog_views.procedure_list, name="procedure-list"),
    path("thu-tuc/<str:code>/", catalog_views.procedure_detail, name="procedure-detail"),
    path("thu-tuc/<str:code>/mau/<int:document_id>/", catalog_views.blank_form, name="procedure-blank-form"),
    path("don-gian-hoa/<str:identifier>/", catalog_views.simplification_report, name="simplification-report"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
