"""The province model in the catalogue: a procedure is resolved by many agencies (at first the one that resolved
it, and the agency that received it for it), and a process step names a division kind resolved in whichever
agency performs it, instead of fixed division and unit rows of one agency. Agencies that process steps named
as another agency (liên thông) stay off the system, so that those steps keep their transfer and receive-back."""

from django.db import migrations, models

FILL_RESOLVERS = """
INSERT INTO catalog_procedure_resolving_agencies (procedure_id, agency_id)
SELECT id, agency_id FROM catalog_procedure
UNION
SELECT id, receiving_agency_id FROM catalog_procedure
 WHERE receiving_agency_id IS NOT NULL AND receiving_agency_id <> agency_id
"""
FILL_KINDS = """
UPDATE catalog_processstep SET division_kind = COALESCE(
  (SELECT code FROM org_division WHERE org_division.id = catalog_processstep.division_id),
  (SELECT code FROM org_unit WHERE org_unit.id = catalog_processstep.unit_id), '')
"""
OFF_SYSTEM = """
UPDATE org_agency SET on_system = FALSE
 WHERE id IN (SELECT other_agency_id FROM catalog_processstep WHERE other_agency_id IS NOT NULL)
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_revision"), ("org", "0005_province")]

    operations = [
        migrations.AddField(
            model_name="procedure", name="resolving_agencies",
            field=models.ManyToManyField(blank=True, related_name="resolved_procedures", to="org.agency",
                                         verbose_name="cơ quan giải quyết"),
        ),
        migrations.RunSQL(FILL_RESOLVERS, migrations.RunSQL.noop),
        migrations.AddField(
            model_name="processstep", name="division_kind",
            field=models.CharField(blank=True, help_text="Mã loại phòng (ví dụ CCVC) hoặc mã đơn vị trực thuộc; để trống: lãnh đạo cơ quan. Bước của cán bộ một cửa luôn ở bộ phận một cửa.", max_length=20, verbose_name="loại phòng, đơn vị"),
        ),
        migrations.RunSQL(FILL_KINDS, migrations.RunSQL.noop),
        migrations.RunSQL(OFF_SYSTEM, migrations.RunSQL.noop),
        migrations.RemoveField(model_name="processstep", name="division"),
        migrations.RemoveField(model_name="processstep", name="unit"),
        migrations.RemoveField(model_name="procedure", name="receiving_agency"),
        migrations.AlterField(
            model_name="procedure", name="agency",
            field=models.ForeignKey(help_text="Cơ quan công bố, quản lý thủ tục (sở, hoặc UBND tỉnh với thủ tục cấp xã).", on_delete=models.deletion.PROTECT, related_name="procedures", to="org.agency", verbose_name="cơ quan chủ trì"),
        ),
        migrations.AlterField(
            model_name="processstep", name="other_agency",
            field=models.ForeignKey(blank=True, help_text="Cơ quan dùng chung hệ thống: bước vào hàng đợi của cơ quan đó; cơ quan ngoài hệ thống: chuyển và nhận lại hồ sơ.", null=True, on_delete=models.deletion.PROTECT, related_name="+", to="org.agency", verbose_name="tại cơ quan liên thông"),
        ),
    ]
