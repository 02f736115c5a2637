"""The office group gets "view_statistics" (registrations/office.py lists it)."""
from django.db import migrations


def office_group_sync(apps, schema_editor):
    from registrations.office import office_group_sync

    office_group_sync(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("office_stats", "0001_initial"),
        # The latest migration of each app whose permissions the office group holds.
        ("registrations", "0007_origin_lottery_zoom"),
        ("seminars", "0005_allocation_and_zoom"),
        ("speakers", "0001_initial"),
        ("outbox", "0002_from_registrations"),
    ]

    operations = [
        migrations.RunPython(office_group_sync, migrations.RunPython.noop),
    ]
