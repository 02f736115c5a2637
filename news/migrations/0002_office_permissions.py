"""The office group may write the news."""
from django.db import migrations

PERMISSIONS = [
    ("news", "news", "view_news", "Can view news item on the site"),
    ("news", "news", "add_news", "Can add news item on the site"),
    ("news", "news", "change_news", "Can change news item on the site"),
    ("news", "news", "delete_news", "Can delete news item on the site"),
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
        ("news", "0001_news"),
        ("registrations", "0004_outbox_moved"),
    ]

    operations = [
        migrations.RunPython(office_group_sync, migrations.RunPython.noop),
    ]
