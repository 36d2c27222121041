from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua import views
from motcua.api import api
from motcua.catalog import views as catalog_views
from motcua.core.views import healthz
from motcua.dossiers import views as dossier_views
from motcua.portal import views as portal_views

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
    path("ho-so/", dossier_views.dossier_list, name="dossier-list"),
    path("ho-so/tiep-nhan/", dossier_views.intake, name="dossier-intake"),
    path("ho-so/so-theo-doi/", dossier_views.dossier_log, name="dossier-log"),
    path("ho-so/<str:code>/", dossier_views.dossier_detail, name="dossier-detail"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_views.dossier_action, name="dossier-action"),
    path("ho-so/<str:code>/dinh-kem/", dossier_views.dossier_attach, name="dossier-attach"),
    path("ho-so/<str:code>/tep/<int:attachment_id>/", dossier_views.dossier_file, name="dossier-file"),
    path("ho-so/<str:code>/mau/<str:form>.<str:fmt>", dossier_views.dossier_form, name="dossier-form"),
    path("tra-cuu/", portal_views.dossier_lookup, name="dossier-lookup"),
    path("thu-tuc/", catalog_views.procedure_list, name="procedure-list"),
    path("thu-tuc/<str:code>/", catalog_views.procedure_detail, name="procedure-detail"),
    path("thu-tuc/<str:code>/mau/<int:document_id>/", catalog_views.blank_form, name="procedure-blank-form"),
    path("don-gian-hoa/<str:identifier>/", catalog_views.simplification_report, name="simplification-report"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
