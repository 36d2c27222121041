"""Fill the folded search key of staff created before it existed."""

from django.db import migrations

from motcua.core.text import fold_key


def fill(apps, schema_editor):
    Staff = apps.get_model("org", "Staff")
    for staff in Staff.objects.filter(name_key="").only("pk", "full_name").iterator():
        Staff.objects.filter(pk=staff.pk).update(name_key=fold_key(staff.full_name))


class Migration(migrations.Migration):
    dependencies = [("org", "0002_staff_name_key")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
