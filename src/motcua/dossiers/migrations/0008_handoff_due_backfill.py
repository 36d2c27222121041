"""The due time each earlier hand-off left, from the deadline ledger (the last entry written at or before it),
so that the statistics ledger can be built from the hand-offs of dossiers handled before it existed. The
ledger itself is filled by ``dossiers.apps`` after ``migrate`` when it is empty and dossiers exist."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Handoff = apps.get_model("dossiers", "Handoff")
    DeadlineEntry = apps.get_model("dossiers", "DeadlineEntry")
    last = (DeadlineEntry.objects.filter(dossier_id=OuterRef("dossier_id"), at__lte=OuterRef("at"),
                                         due_at__isnull=False).order_by("-at", "-id").values("due_at")[:1])
    Handoff.objects.filter(due_at__isnull=True).update(due_at=Subquery(last))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_tally")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
