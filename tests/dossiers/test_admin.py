"""The administrator sets the one-stop rules and adds a newer circular's forms, never rewriting what dossiers
were handled under."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.dossiers.models import FormTemplate, OneStopRules
from motcua.org.roles import Role
from tests.factories import ensure_dossier_defaults, make_staff


def admin_client(client, roles):
    ensure_dossier_defaults()
    client.force_login(make_staff(role=Role.ADMINISTRATOR).user)
    return client


def test_rules_in_force_are_read_only_and_new_rules_start_after_today(client, roles):
    c = admin_client(client, roles)
    rules = OneStopRules.objects.get()
    page = c.get(f"/admin/dossiers/onestoprules/{rules.pk}/change/")
    assert page.status_code == 200 and "Lưu" not in page.content.decode().split("submit-row")[-1][:200]
    assert c.post(f"/admin/dossiers/onestoprules/{rules.pk}/change/", {}).status_code == 403
    form = {"effective_from": timezone.localdate().isoformat(), "supplement_window_days": 3, "supplement_limit": 2,
            "supplements_on_time": 1, "apology_notice_days": 1, "reappointment_limit": 1, "source": "NĐ 118/2025"}
    refused = c.post("/admin/dossiers/onestoprules/add/", form)
    assert refused.status_code == 200 and "sau hôm nay" in refused.content.decode()
    later = timezone.localdate() + dt.timedelta(days=30)
    done = c.post("/admin/dossiers/onestoprules/add/", form | {"effective_from": later.isoformat()})
    assert done.status_code == 302 and OneStopRules.objects.filter(effective_from=later).exists()
    assert AuditEvent.objects.filter(action="dossiers.onestoprules.create").exists()


def test_a_newer_circulars_form_is_added_with_a_checked_body(client, roles):
    c = admin_client(client, roles)
    form = {"form": "receipt", "circular": "TT 03/2025/TT-VPCP", "number": "01",
            "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "effective_from": "2025-09-15", "page_size": "A4",
            "body": "<p>{% if dossier %}{{ dossier.code }}</p>"}
    broken = c.post("/admin/dossiers/formtemplate/add/", form)
    assert broken.status_code == 200 and "lỗi cú pháp" in broken.content.decode()
    ok = c.post("/admin/dossiers/formtemplate/add/", form | {"body": "<p>{{ dossier.code }}</p>"})
    assert ok.status_code == 302
    assert FormTemplate.objects.filter(circular="TT 03/2025/TT-VPCP", form="receipt").exists()
    shipped = FormTemplate.objects.get(form="receipt", circular="TT 01/2018/TT-VPCP")
    assert c.post(f"/admin/dossiers/formtemplate/{shipped.pk}/delete/", {"post": "yes"}).status_code == 403
