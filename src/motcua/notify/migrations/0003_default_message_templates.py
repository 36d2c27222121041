"""The shipped Vietnamese wording of every event and channel, as rows the administrator edits.

Reads the texts from ``motcua.notify.defaults`` (plain constants, no models). Adds only the rows that do not
exist, so an administrator's edit is never overwritten; reversing removes only rows still equal to the
shipped text.
"""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from motcua.notify import defaults

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    have = set(MessageTemplate.objects.values_list("event", "channel"))
    MessageTemplate.objects.bulk_create(MessageTemplate(**row) for row in defaults.rows()
                                        if (row["event"], row["channel"]) not in have)


def remove_defaults(apps, schema_editor):
    from motcua.notify import defaults

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for row in defaults.rows():
        MessageTemplate.objects.filter(**row).delete()


class Migration(migrations.Migration):

    dependencies = [("notify", "0002_deliveries_inbox_preferences_templates")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
