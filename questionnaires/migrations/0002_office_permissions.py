"""The office group gets the questionnaires' permissions."""
from django.db import migrations

PERMISSIONS = [
    ("questionnaires", "questionnaire", "view_questionnaire", "Can view questionnaire"),
    ("questionnaires", "questionnaire", "add_questionnaire", "Can add questionnaire"),
    ("questionnaires", "questionnaire", "change_questionnaire", "Can change questionnaire"),
    ("questionnaires", "questionnaire", "delete_questionnaire", "Can delete questionnaire"),
    ("questionnaires", "question", "view_question", "Can view question"),
    ("questionnaires", "question", "add_question", "Can add question"),
    ("questionnaires", "question", "change_question", "Can change question"),
    ("questionnaires", "question", "delete_question", "Can delete question"),
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
        ("questionnaires", "0001_initial"),
        ("registrations", "0004_outbox_moved"),
    ]

    operations = [
        migrations.RunPython(office_group_sync, migrations.RunPython.noop),
    ]
