"""Application.draw_position: the draw's order in a field of its own, filled from the draw's audit entries."""
from django.db import migrations, models


def positions_from_audit(apps, schema_editor):
    """Copy each drawn application's position from its "draw" audit entry (changes["draw_position"])."""
    Application = apps.get_model("registrations", "Application")
    AuditEntry = apps.get_model("registrations", "AuditEntry")
    drawn = AuditEntry.objects.filter(action="draw").values_list("application_id", "changes")
    for application_id, changes in drawn.iterator():
        position = (changes or {}).get("draw_position")
        if position is not None:
            Application.objects.filter(pk=application_id).update(draw_position=position)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0009_receipt_written_by_the_worker")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="draw_position",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="position in the draw"
            ),
        ),
        migrations.RunPython(positions_from_audit, migrations.RunPython.noop),
    ]
