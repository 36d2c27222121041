"""The roles of an agency and what each may do: one table, read by the group sync and by the tests.

A role is a Django group holding these permissions; an administrator may grant more in the admin, but
``sync_role_groups`` restores what this table says each role needs. Agency (and, where a feature asks for
it, division) scoping is checked separately by ``access.ensure_can``.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    DESK_OFFICER = "desk_officer"
    SPECIALIST = "specialist"
    DIVISION_LEADER = "division_leader"
    AGENCY_LEADER = "agency_leader"
    CLERK = "clerk"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    # Province-level roles: read every agency's dossiers, reports and dashboards; write nothing on them.
    PROVINCE_LEADER = "province_leader"
    PROVINCE_AUDITOR = "province_auditor"


ROLE_LABELS: dict[Role, str] = {  # lazy: shown in the reader's language
    Role.DESK_OFFICER: _("Cán bộ một cửa"),
    Role.SPECIALIST: _("Chuyên viên"),
    Role.DIVISION_LEADER: _("Lãnh đạo phòng"),
    Role.AGENCY_LEADER: _("Lãnh đạo cơ quan"),
    Role.CLERK: _("Văn thư"),
    Role.ADMINISTRATOR: _("Quản trị hệ thống"),
    Role.AUDITOR: _("Kiểm tra, giám sát (chỉ xem)"),
    Role.PROVINCE_LEADER: _("Lãnh đạo tỉnh (xem toàn tỉnh)"),
    Role.PROVINCE_AUDITOR: _("Kiểm tra, giám sát toàn tỉnh (chỉ xem)"),
}

ALL_ROLES = frozenset(Role)
PROVINCE_ROLES = frozenset({Role.PROVINCE_LEADER, Role.PROVINCE_AUDITOR})
# The roles a procedure's step can name (the province's readers perform no step).
STEP_ROLES = tuple(role for role in Role if role not in PROVINCE_ROLES)
_ORG_MODELS = ("agency", "division", "unit", "position", "staff", "assignment")
_CALENDAR_MODELS = ("workcalendar", "calendaroverride", "officehourspolicy")
_DOSSIER = "dossiers.{}_dossier".format
_DOSSIER_SETUP_MODELS = ("onestoprules", "formtemplate")
_CATALOG_MODELS = ("field", "procedure", "procedureversion", "requireddocument", "fee", "legalbasis", "processstep")


def _model_perms(app: str, models: tuple[str, ...], verbs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f"{app}.{verb}_{model}" for model in models for verb in verbs)


_VIEW_EVERYTHING = (
    _model_perms("org", _ORG_MODELS, ("view",))
    | _model_perms("core", _CALENDAR_MODELS, ("view",))
    | _model_perms("catalog", _CATALOG_MODELS, ("view",))
    | _model_perms("dossiers", _DOSSIER_SETUP_MODELS, ("view",))
    | _model_perms("notify", ("messagetemplate", "notification", "delivery"), ("view",))
    | _model_perms("portal", ("citizen", "rating"), ("view",))
    | {"core.view_auditevent", "auth.view_user", "auth.view_group"}
)
_DOSSIER_VIEW = frozenset({_DOSSIER("view")})

# Permission strings ("app_label.codename") each role holds.
GRANTS: dict[Role, frozenset[str]] = {
    Role.DESK_OFFICER: frozenset({"org.view_staff", "dossiers.view_agency_dossiers", "dossiers.view_reports"})
    | _DOSSIER_VIEW
    | {_DOSSIER(verb) for verb in ("receive", "handle", "apologize")},
    Role.SPECIALIST: frozenset({"org.view_staff"}) | _DOSSIER_VIEW | {_DOSSIER("handle")},
    Role.DIVISION_LEADER: frozenset({"org.view_staff", "org.view_division_work", "dossiers.view_reports"})
    | _DOSSIER_VIEW
    | {_DOSSIER(verb) for verb in ("handle", "assign", "approve", "reject", "apologize")},
    Role.AGENCY_LEADER: frozenset({"org.view_staff", "org.view_division_work", "org.view_agency_work",
                                   "dossiers.view_agency_dossiers", "dossiers.view_reports"}) | _DOSSIER_VIEW
    | {_DOSSIER(verb) for verb in ("handle", "approve", "reject", "apologize")},
    Role.CLERK: frozenset({"org.view_staff"}),
    Role.ADMINISTRATOR: (
        _model_perms("org", _ORG_MODELS, ("view", "add", "change", "delete"))
        | _model_perms("core", _CALENDAR_MODELS, ("view", "add", "change", "delete"))
        | _model_perms("catalog", _CATALOG_MODELS, ("view", "add", "change", "delete"))
        | _model_perms("dossiers", _DOSSIER_SETUP_MODELS, ("view", "add", "change"))
        # the notification texts, and re-sending a failed notification; citizens' accounts (to deactivate one)
        | _model_perms("notify", ("messagetemplate",), ("view", "add", "change"))
        | _model_perms("notify", ("notification",), ("view", "change")) | {"notify.view_delivery"}
        | _model_perms("portal", ("citizen",), ("view", "change")) | {"portal.view_rating"}
        | {"org.manage_organisation", "core.manage_calendar", "core.view_auditevent", "core.verify_audit",
           "catalog.manage_catalog"}
        | _model_perms("auth", ("user", "group"), ("view", "add", "change"))
    ),
    Role.AUDITOR: _VIEW_EVERYTHING | _DOSSIER_VIEW | {"core.verify_audit", "dossiers.view_agency_dossiers",
                                                      "dossiers.view_personal_data", "dossiers.view_reports"},
    Role.PROVINCE_LEADER: frozenset({"org.view_staff", "dossiers.view_province_dossiers", "dossiers.view_reports",
                                     "dossiers.view_province_reports"}) | _DOSSIER_VIEW,
    Role.PROVINCE_AUDITOR: _DOSSIER_VIEW | {"org.view_staff", "dossiers.view_province_dossiers",
                                            "dossiers.view_personal_data", "dossiers.view_reports",
                                            "dossiers.view_province_reports"},
}

# Official documents: who registers, directs, handles, drafts, approves and issues them (documents app).
_DOC = "documents.{}".format
DOCUMENT_GRANTS: dict[Role, frozenset[str]] = {
    Role.DESK_OFFICER: frozenset({_DOC("handle_document"), _DOC("draft_outgoing")}),
    Role.SPECIALIST: frozenset({_DOC("handle_document"), _DOC("draft_outgoing")}),
    Role.DIVISION_LEADER: frozenset({_DOC(p) for p in ("handle_document", "draft_outgoing", "assign_document",
                                                        "review_outgoing")}),
    Role.AGENCY_LEADER: frozenset({_DOC(p) for p in ("direct_document", "approve_outgoing", "view_all_documents",
                                                      "view_secret_documents", "draft_outgoing")}),
    # The clerk registers secret documents too, so sees them; an administrator may move that to one named clerk.
    Role.CLERK: frozenset({_DOC(p) for p in ("register_incoming", "issue_outgoing", "view_all_documents",
                                              "view_secret_documents", "exchange_documents", "manage_registers")}),
    Role.ADMINISTRATOR: _model_perms("documents", ("documenttype",), ("view", "add", "change")),
    Role.AUDITOR: frozenset({_DOC("view_all_documents")}),
}
GRANTS = {role: perms | DOCUMENT_GRANTS.get(role, frozenset()) for role, perms in GRANTS.items()}

# The staff portal (org.office): the office (văn thư) and the agency's leaders post announcements and keep the
# weekly work schedule; everyone of the agency reads both.
OFFICE_GRANTS: dict[Role, frozenset[str]] = {
    Role.CLERK: frozenset({"org.publish_announcements", "org.manage_schedule"}),
    Role.AGENCY_LEADER: frozenset({"org.publish_announcements", "org.manage_schedule"}),
}
GRANTS = {role: perms | OFFICE_GRANTS.get(role, frozenset()) for role, perms in GRANTS.items()}

# Roles whose members may open the Django admin (the auditor only reads there).
ADMIN_SITE_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})


def roles_allowed(permission: str) -> frozenset[Role]:
    return frozenset(role for role, perms in GRANTS.items() if permission in perms)
