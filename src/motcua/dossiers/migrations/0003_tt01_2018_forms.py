"""The printed forms of TT 01/2018/TT-VPCP (Mẫu 01–06), shipped as template files, so that a new installation
can print receipts at once. A newer circular's set is added by an administrator as new rows with a later
effective date; dossiers keep the set in force on the date of the event each form records.

Effective from 21/06/2018, the date the one-stop rules of 0002 use (NĐ 61/2018/NĐ-CP); the circular's own
effective date is unverified. The circular prints Mẫu 01–05 on A5 and Mẫu 06 on A4 (legal-reference.md
§2); we print every form on A4 (asked for the receipt, and what office printers hold) and the log in
landscape. An agency that wants A5 sets ``page_size`` of a row to A5 in the admin: the templates follow it.
"""

import datetime as dt

from django.db import migrations

CIRCULAR = "TT 01/2018/TT-VPCP"
EFFECTIVE_FROM = dt.date(2018, 6, 21)  # the circular's own effective date is unverified
FOLDER = "dossiers/forms/tt01_2018"

# (form code, number, title, template file, landscape)
FORMS = [
    ("receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "receipt.html", False),
    ("supplement", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "supplement.html", False),
    ("refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "refusal.html", False),
    ("apology", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "apology.html", False),
    ("control-sheet", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "control_sheet.html", False),
    ("log", "06", "Sổ theo dõi hồ sơ", "log.html", True),
]


def add_forms(apps, schema_editor):
    form_template = apps.get_model("dossiers", "FormTemplate")
    for form, number, title, filename, landscape in FORMS:
        form_template.objects.get_or_create(
            form=form, effective_from=EFFECTIVE_FROM,
            defaults={"circular": CIRCULAR, "number": number, "title": title, "page_size": "A4",
                      "landscape": landscape, "template_name": f"{FOLDER}/{filename}", "body": ""})


def remove_forms(apps, schema_editor):
    form_template = apps.get_model("dossiers", "FormTemplate")
    form_template.objects.filter(
        effective_from=EFFECTIVE_FROM, circular=CIRCULAR,
        template_name__in=[f"{FOLDER}/{filename}" for *_, filename, _ in FORMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_default_rules")]
    operations = [migrations.RunPython(add_forms, remove_forms)]
