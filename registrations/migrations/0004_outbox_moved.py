"""The mail outbox moved to its own app (outbox/migrations/0002 copied the rows); the permission to
send mail again now belongs to applications, and the office group gets the outbox's permissions."""
from django.db import migrations


def old_permissions_delete(apps, schema_editor):
    # The old model's permissions (resend_mail among them) would otherwise stand beside the new ones
    # under the same app label and codename.
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="registrations", content_type__model="outboxmessage"
    ).delete()


# The office group's permissions once the outbox had moved (mail is outbox.Message; sending again is on applications).
PERMISSIONS = [
    ("registrations", "application", "view_application", "Can view application"),
    ("registrations", "application", "change_application", "Can change application"),
    ("registrations", "auditentry", "view_auditentry", "Can view audit entry"),
    ("outbox", "message", "view_message", "Can view mail"),
    ("registrations", "application", "resend_mail", "Can send a mail again"),
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


def office_group_sync(apps, schema_editor):
    office_group_grant(apps, PERMISSIONS, exactly=True)


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0003_office_group"),
        ("outbox", "0002_from_registrations"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="application",
            options={
                "ordering": ["-created_at"],
                "permissions": [("resend_mail", "Can send a mail again")],
                "verbose_name": "application",
                "verbose_name_plural": "applications",
            },
        ),
        migrations.RunPython(old_permissions_delete, migrations.RunPython.noop),
        migrations.DeleteModel(name="OutboxMessage"),
        migrations.RunPython(office_group_sync, migrations.RunPython.noop),
    ]
