"""The province model: an agency's kind (province, department, service centre, branch, commune; the old level
values are kept as they were), whether its staff work on this system, the communes a branch serves, and a
division's kind (its code until an administrator says otherwise)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("org", "0004_staff_portal")]

    operations = [
        migrations.RenameField("agency", "level", "kind"),
        migrations.AlterField(
            model_name="agency", name="kind",
            field=models.CharField(choices=[
                ("province", "UBND tỉnh"), ("department", "Sở, ban, ngành"),
                ("service_centre", "Trung tâm Phục vụ hành chính công"),
                ("branch", "Chi nhánh Trung tâm Phục vụ hành chính công"),
                ("commune", "UBND xã, phường, đặc khu"), ("other", "Cơ quan ngoài tỉnh")],
                max_length=20, verbose_name="loại cơ quan"),
        ),
        migrations.AddField(
            model_name="agency", name="on_system",
            field=models.BooleanField(default=True, help_text="Cán bộ của cơ quan làm việc trên hệ thống này: bước liên thông tại đây vào hàng đợi của cơ quan. Bỏ chọn cho cơ quan ngoài tỉnh (chuyển và nhận lại hồ sơ).", verbose_name="dùng chung hệ thống"),
        ),
        migrations.AddField(
            model_name="agency", name="served_communes",
            field=models.ManyToManyField(blank=True, help_text="Với chi nhánh Trung tâm Phục vụ hành chính công: các xã, phường chi nhánh phục vụ.", limit_choices_to={"kind": "commune"}, related_name="serving_branches", to="org.agency", verbose_name="các xã, phường phục vụ"),
        ),
        migrations.AddField(
            model_name="division", name="kind",
            field=models.CharField(blank=True, help_text="Mã loại phòng mà quy trình thủ tục dùng (ví dụ CCVC, VP); để trống: trùng mã phòng.", max_length=20, verbose_name="loại phòng"),
        ),
        migrations.RunSQL("UPDATE org_division SET kind = code", migrations.RunSQL.noop),
    ]
