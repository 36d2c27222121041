"""The province model on dossiers, migrated in place: every existing dossier was received, resolved and handed
back by one agency (receiving = resolving = delivery = the old agency, its desk the agency's one-stop desk);
an open one is in that agency's queues; it takes part in nothing else. The ledger's rows gain the receiving
point (the same agency), so every existing figure reads exactly as before."""

import django.db.models.deletion
from django.db import migrations, models

FILL_DOSSIERS = """
UPDATE dossiers_dossier SET
  receiving_agency_id = agency_id,
  delivery_agency_id = agency_id,
  current_agency_id = CASE WHEN is_open THEN agency_id ELSE NULL END,
  receiving_desk_id = (SELECT MIN(d.id) FROM org_division d
                        WHERE d.agency_id = dossiers_dossier.agency_id AND d.is_one_stop_desk)
"""
FILL_PARTIES = """
INSERT INTO dossiers_dossieragency (dossier_id, agency_id, partner)
SELECT id, agency_id, FALSE FROM dossiers_dossier
"""
FILL_TALLY = "UPDATE dossiers_tally SET receiving_agency_id = agency_id"

OPEN = models.Q(("is_open", True))


def queue_index(field, name):
    return models.Index(condition=OPEN, fields=["current_agency", field, "current_due_at", "id"], name=name)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_tally_years"), ("org", "0005_province"), ("catalog", "0004_province")]

    operations = [
        migrations.AddField(
            model_name="dossier", name="receiving_agency",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="org.agency", verbose_name="nơi tiếp nhận"),
        ),
        migrations.AddField(
            model_name="dossier", name="delivery_agency",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="org.agency", verbose_name="nơi trả kết quả"),
        ),
        migrations.AddField(
            model_name="dossier", name="receiving_desk",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="org.division", verbose_name="bộ phận tiếp nhận"),
        ),
        migrations.AddField(
            model_name="dossier", name="applicant_commune",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="org.agency", verbose_name="xã, phường của người nộp"),
        ),
        migrations.AddField(
            model_name="dossier", name="current_agency",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="org.agency", verbose_name="cơ quan đang xử lý"),
        ),
        migrations.CreateModel(
            name="DossierAgency",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("partner", models.BooleanField(default=False, verbose_name="cơ quan liên thông")),
                ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                             to="org.agency")),
                ("dossier", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="parties",
                                              to="dossiers.dossier")),
            ],
            options={
                "verbose_name": "cơ quan tham gia hồ sơ", "verbose_name_plural": "cơ quan tham gia hồ sơ",
                "indexes": [models.Index(fields=["agency", "dossier"], name="dossier_agency_lookup")],
                "constraints": [models.UniqueConstraint(fields=("dossier", "agency"), name="dossier_agency_unique")],
            },
        ),
        migrations.RunSQL(FILL_DOSSIERS, migrations.RunSQL.noop),
        migrations.RunSQL(FILL_PARTIES, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="dossier", name="receiving_agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.agency",
                                    verbose_name="nơi tiếp nhận"),
        ),
        migrations.AlterField(
            model_name="dossier", name="delivery_agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.agency",
                                    verbose_name="nơi trả kết quả"),
        ),
        migrations.AlterField(
            model_name="dossier", name="agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="dossiers",
                                    to="org.agency", verbose_name="cơ quan giải quyết"),
        ),
        migrations.RemoveIndex(model_name="dossier", name="dossier_queue_division"),
        migrations.RemoveIndex(model_name="dossier", name="dossier_queue_unit"),
        migrations.RemoveIndex(model_name="dossier", name="dossier_queue_assignee"),
        migrations.RemoveIndex(model_name="dossier", name="dossier_queue_role"),
        migrations.AddIndex(model_name="dossier", index=queue_index("current_division", "dossier_queue_division")),
        migrations.AddIndex(model_name="dossier", index=queue_index("current_unit", "dossier_queue_unit")),
        migrations.AddIndex(model_name="dossier", index=queue_index("current_assignee", "dossier_queue_assignee")),
        migrations.AddIndex(model_name="dossier", index=queue_index("current_role", "dossier_queue_role")),
        migrations.AddField(
            model_name="tally", name="receiving_agency",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="org.agency", help_text="Nơi tiếp nhận."),
        ),
        migrations.RunSQL(FILL_TALLY, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="tally", name="receiving_agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.agency",
                                    help_text="Nơi tiếp nhận."),
        ),
        migrations.AlterField(
            model_name="tally", name="agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.agency",
                                    help_text="Cơ quan giải quyết."),
        ),
        migrations.RemoveConstraint(model_name="tally", name="tally_key"),
        migrations.AddConstraint(
            model_name="tally",
            constraint=models.UniqueConstraint(fields=("agency", "receiving_agency", "procedure", "grain", "day"),
                                               name="tally_key"),
        ),
        migrations.AddIndex(
            model_name="tally",
            index=models.Index(fields=["receiving_agency", "grain", "day"], name="tally_receiving_period"),
        ),
        migrations.AlterModelOptions(
            name="dossier",
            options={"permissions": [
                ("view_agency_dossiers", "Xem mọi hồ sơ của cơ quan"),
                ("view_province_dossiers", "Xem mọi hồ sơ của tỉnh (chỉ đọc)"),
                ("view_personal_data", "Xem đầy đủ thông tin cá nhân của người nộp"),
                ("receive_dossier", "Tiếp nhận, trả kết quả hồ sơ (bộ phận một cửa)"),
                ("handle_dossier", "Xử lý, chuyển hồ sơ"),
                ("assign_dossier", "Phân công xử lý hồ sơ"),
                ("approve_dossier", "Phê duyệt, ký kết quả"),
                ("reject_dossier", "Từ chối giải quyết, dừng xử lý hồ sơ"),
                ("apologize_dossier", "Xin lỗi và hẹn lại ngày trả kết quả"),
            ], "verbose_name": "hồ sơ", "verbose_name_plural": "hồ sơ"},
        ),
    ]
