"""A permission to send mail again, and the "Administrative office" group (registrations/office.py)."""
from django.db import migrations


# The group's permissions as they were when this migration was written (0004 gives today's).
PERMISSIONS = [
    ("registrations", "view_application"), ("registrations", "change_application"),
    ("registrations", "view_auditentry"), ("registrations", "view_outboxmessage"), ("registrations", "resend_mail"),
    ("seminars", "view_series"), ("seminars", "change_series"), ("seminars", "view_session"),
    ("seminars", "add_session"), ("seminars", "change_session"), ("seminars", "view_topic"),
    ("seminars", "add_topic"), ("seminars", "change_topic"), ("seminars", "delete_topic"),
    ("seminars", "view_material"), ("seminars", "add_material"), ("seminars", "change_material"),
    ("seminars", "delete_material"), ("speakers", "view_speaker"), ("speakers", "add_speaker"),
    ("speakers", "change_speaker"), ("speakers", "view_appearance"), ("speakers", "add_appearance"),
    ("speakers", "change_appearance"), ("speakers", "delete_appearance"),
]


def office_group_create(apps, schema_editor):
    from registrations.office import office_group_sync

    office_group_sync(apps, PERMISSIONS)


def office_group_delete(apps, schema_editor):
    from registrations.office import OFFICE_GROUP

    apps.get_model("auth", "Group").objects.filter(name=OFFICE_GROUP).delete()


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
