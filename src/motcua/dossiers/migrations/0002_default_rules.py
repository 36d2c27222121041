"""The one-stop time rules of NĐ 61/2018/NĐ-CP and TT 01/2018/TT-VPCP, so that a new installation can
receive dossiers at once. Their continuation under NĐ 118/2025 is unverified: an administrator adds a
newer row, with its effective date, when the rules change."""

import datetime as dt

from django.db import migrations

SOURCE = ("NĐ 61/2018/NĐ-CP Điều 18–19, TT 01/2018/TT-VPCP, QĐ 766/QĐ-TTg (ngày hiệu lực và việc NĐ 118/2025 "
          "giữ nguyên chưa được kiểm chứng)")


def add_rules(apps, schema_editor):
    rules = apps.get_model("dossiers", "OneStopRules")
    rules.objects.get_or_create(effective_from=dt.date(2018, 6, 21), defaults={"source": SOURCE})


def remove_rules(apps, schema_editor):
    rules = apps.get_model("dossiers", "OneStopRules")
    rules.objects.filter(effective_from=dt.date(2018, 6, 21), dossiers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
