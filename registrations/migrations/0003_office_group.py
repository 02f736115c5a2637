"""A permission to send mail again, and the "Administrative office" group with the permissions it then held."""
from django.db import migrations

# The group's permissions as they were when this migration was written (0004 gives those after the outbox moved).
PERMISSIONS = [
    ("registrations", "application", "view_application", "Can view application"),
    ("registrations", "application", "change_application", "Can change application"),
    ("registrations", "auditentry", "view_auditentry", "Can view audit entry"),
    ("registrations", "outboxmessage", "view_outboxmessage", "Can view mail"),
    ("registrations", "outboxmessage", "resend_mail", "Can send a mail again"),
    ("seminars", "series", "view_series", "Can view series"),
    ("seminars", "series", "change_series", "Can change series"),
    ("seminars", "session", "view_session", "Can view session"),
    ("seminars", "session", "add_session", "Can add session"),
    ("seminars", "session", "change_session", "Can change session"),
    ("seminars", "topic", "view_topic", "Can view topic"),
    ("seminars", "topic", "add_topic", "Can add topic"),
    ("seminars", "topic", "change_topic", "Can change topic"),
    ("seminars", "topic", "delete_topic", "Can delete topic"),
    ("seminars", "material", "view_material", "Can view material"),
    ("seminars", "material", "add_material", "Can add material"),
    ("seminars", "material", "change_material", "Can change material"),
    ("seminars", "material", "delete_material", "Can delete material"),
    ("speakers", "speaker", "view_speaker", "Can view speaker"),
    ("speakers", "speaker", "add_speaker", "Can add speaker"),
    ("speakers", "speaker", "change_speaker", "Can change speaker"),
    ("speakers", "appearance", "view_appearance", "Can view appearance"),
    ("speakers", "appearance", "add_appearance", "Can add appearance"),
    ("speakers", "appearance", "change_appearance", "Can change appearance"),
    ("speakers", "appearance", "delete_appearance", "Can delete appearance"),
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


def office_group_create(apps, schema_editor):
    office_group_grant(apps, PERMISSIONS, exactly=True)


def office_group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Administrative office").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0002_outbox_status_skipped"),
        ("seminars", "0003_archive_thumbnail_types"),
        ("speakers", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="outboxmessage",
            options={
                "ordering": ["created_at", "pk"],
                "permissions": [("resend_mail", "Can send a mail again")],
                "verbose_name": "mail",
                "verbose_name_plural": "mail outbox",
            },
        ),
        migrations.RunPython(office_group_create, office_group_delete),
    ]
