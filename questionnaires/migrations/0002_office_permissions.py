"""The office group gets the questionnaires' permissions (registrations/office.py lists them)."""
from django.db import migrations


def office_group_sync(apps, schema_editor):
    from registrations.office import office_group_sync

    office_group_sync(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("questionnaires", "0001_initial"),
        ("registrations", "0004_outbox_moved"),
    ]

    operations = [
        migrations.RunPython(office_group_sync, migrations.RunPython.noop),
    ]
