from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua import views
from motcua.api import api
from motcua.catalog import views as catalog_views
from motcua.core.views import healthz
from motcua.dossiers import views as dossier_views
from motcua.portal import citizen_views as citizen
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
    # The staff portal: the agency's announcements and weekly work schedule (not /thong-bao/, the notification
    # inbox, nor /lich-lam-viec/, the working-day calendar)
    path("thong-bao-co-quan/", views.announcements, name="announcements"),
    path("thong-bao-co-quan/<int:pk>/sua/", views.announcement_edit, name="announcement-edit"),
    path("thong-bao-co-quan/<int:pk>/go/", views.announcement_withdraw, name="announcement-withdraw"),
    path("lich-cong-tac/", views.schedule, name="schedule"),
    path("lich-cong-tac/<int:pk>/sua/", views.schedule_edit, name="schedule-edit"),
    path("lich-cong-tac/<int:pk>/xoa/", views.schedule_delete, name="schedule-delete"),
    path("ho-so/", dossier_views.dossier_list, name="dossier-list"),
    path("ho-so/tiep-nhan/", dossier_views.intake, name="dossier-intake"),
    path("ho-so/so-theo-doi/", dossier_views.dossier_log, name="dossier-log"),
    path("ho-so/<str:code>/", dossier_views.dossier_detail, name="dossier-detail"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_views.dossier_action, name="dossier-action"),
    path("ho-so/<str:code>/dinh-kem/", dossier_views.dossier_attach, name="dossier-attach"),
    path("ho-so/<str:code>/tep/<int:attachment_id>/", dossier_views.dossier_file, name="dossier-file"),
    path("ho-so/<str:code>/mau/<str:form>.<str:fmt>", dossier_views.dossier_form, name="dossier-form"),
    path("bao-cao/", include("motcua.reports.urls")),
    path("van-ban/", include("motcua.documents.urls")),
    path("tra-cuu/", portal_views.dossier_lookup, name="dossier-lookup"),
    # The citizen's side of the public portal
    path("cong-dan/dang-ky/", citizen.register, name="citizen-register"),
    path("cong-dan/xac-nhan/<str:uidb64>/<str:token>/", citizen.confirm_email, name="citizen-confirm"),
    path("cong-dan/dang-nhap/", citizen.CitizenLoginView.as_view(), name="citizen-login"),
    path("cong-dan/dang-xuat/", citizen.CitizenLogoutView.as_view(), name="citizen-logout"),
    path("cong-dan/quen-mat-khau/", citizen.PasswordResetView.as_view(), name="citizen-password-reset"),
    path("cong-dan/quen-mat-khau/da-gui/", citizen.auth_views.PasswordResetDoneView.as_view(
        template_name="portal/password_reset_sent.html"), name="citizen-password-reset-sent"),
    path("cong-dan/dat-lai-mat-khau/<str:uidb64>/<str:token>/", citizen.PasswordResetConfirmView.as_view(),
         name="citizen-password-reset-confirm"),
    path("cong-dan/ho-so/", citizen.my_dossiers, name="my-dossiers"),
    path("cong-dan/ho-so/<str:code>/", citizen.my_dossier, name="my-dossier"),
    path("cong-dan/ho-so/<str:code>/bo-sung/", citizen.supplement, name="my-dossier-supplement"),
    path("cong-dan/ho-so/<str:code>/rut/", citizen.withdraw, name="my-dossier-withdraw"),
    path("cong-dan/ho-so/<str:code>/danh-gia/", citizen.rate, name="my-dossier-rate"),
    path("cong-dan/ho-so/<str:code>/tep/<int:attachment_id>/", citizen.my_file, name="my-dossier-file"),
    path("cong-dan/nop/<str:code>/", citizen.start, name="submit-start"),
    path("cong-dan/ban-nhap/<int:draft_id>/", citizen.draft_edit, name="draft-edit"),
    path("cong-dan/ban-nhap/<int:draft_id>/xem-lai/", citizen.draft_review, name="draft-review"),
    path("cong-dan/ban-nhap/<int:draft_id>/xoa/", citizen.draft_delete, name="draft-delete"),
    path("thu-tuc/", catalog_views.procedure_list, name="procedure-list"),
    path("thu-tuc/<str:code>/", catalog_views.procedure_detail, name="procedure-detail"),
    path("thu-tuc/<str:code>/mau/<int:document_id>/", catalog_views.blank_form, name="procedure-blank-form"),
    path("don-gian-hoa/<str:identifier>/", catalog_views.simplification_report, name="simplification-report"),
    path("thong-bao/", include("motcua.notify.urls")),  # notify: in-app inbox and channel preferences
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# === sso: citizens' single sign-on by OpenID Connect, only when OIDC_ENABLED (owner: sso) ===
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
# === end sso ===
