"""The mail outbox moved to its own app (outbox/migrations/0002 copied the rows); the permission to
send mail again now belongs to applications, and the office group gets the outbox's permissions."""
from django.db import migrations


def old_permissions_delete(apps, schema_editor):
    # The old model's permissions (resend_mail among them) would otherwise stand beside the new ones
    # under the same app label and codename.
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="registrations", content_type__model="outboxmessage"
    ).delete()


def office_group_sync(apps, schema_editor):
    from registrations.office import office_group_sync

    office_group_sync(apps)


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
