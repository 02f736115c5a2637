"""The statistics' admin entry and its permission "view_statistics" (a proxy of the series: no table)."""
from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("seminars", "0001_initial"),
    ]
    # registrations/migrations/0004 gives the office group today's OFFICE_PERMISSIONS, which name this
    # permission: on a new database it must exist by then.
    run_before = [
        ("registrations", "0004_outbox_moved"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeriesStatistics",
            fields=[],
            options={
                "verbose_name": "statistics",
                "verbose_name_plural": "statistics",
                "permissions": [("view_statistics", "Can view the statistics and download the report")],
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("seminars.series",),
        ),
    ]
