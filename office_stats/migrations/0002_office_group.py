"""The office group gets "view_statistics"."""
from django.db import migrations

PERMISSIONS = [
    ("office_stats", "seriesstatistics", "view_statistics", "Can view the statistics and download the report"),
]


def office_group_grant(apps, permissions, *, exactly: bool = False) -> None:
    """Give the "Administrative office" group these permissions, (app_label, model, codename, name) each.

    Written into this migration, not imported, so that it keeps doing what it did when written
    whatever the live code lists later. Django creates permissions only after migrate
    (post_migrate); any still missing is created here, as Django would name it.
    `exactly`: the group holds these and no others.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name="Administrative office")
    granted = []
    for app_label, model, codename, name in permissions:
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        granted.append(permission)
    if exactly:
        group.permissions.set(granted)
    else:
        group.permissions.add(*granted)


def office_group_sync(apps, schema_editor):
    office_group_grant(apps, PERMISSIONS)


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
