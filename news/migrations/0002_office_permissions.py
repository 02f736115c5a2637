"""The office group may write the news (registrations/office.py lists its permissions)."""
from django.db import migrations


def office_group_sync(apps, schema_editor):
    from registrations.office import office_group_sync

    office_group_sync(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0001_news"),
        ("registrations", "0004_outbox_moved"),
    ]

    operations = [
        migrations.RunPython(office_group_sync, migrations.RunPython.noop),
    ]
