"""The registration keeps Zoom's personal link (moved from the application) and when the last add went out;
the office group may see the Zoom registrations and fetches and try a registration again.

Frozen here rather than calling live code: the data copy reads the application's old columns (dropped by
registrations 0011, which runs after this), and the group's permissions are created as they are named today.
"""
from django.db import migrations, models

OFFICE_GROUP = "Administrative office"
OFFICE_PERMISSIONS = [
    ("zoomregistration", "view_zoomregistration", "Can view Zoom registration"),
    ("zoomregistration", "change_zoomregistration", "Can change Zoom registration"),
    ("attendancefetch", "view_attendancefetch", "Can view attendance fetch from Zoom"),
]


def links_to_registrations(apps, schema_editor):
    """Copy each application's registrant ID and personal link to its registration for its session's webinar."""
    Application = apps.get_model("registrations", "Application")
    ZoomRegistration = apps.get_model("zoom", "ZoomRegistration")
    linked = (Application.objects.exclude(zoom_join_url="", zoom_registrant_id="").exclude(session__zoom_webinar_id="")
              .values_list("pk", "session__zoom_webinar_id", "zoom_registrant_id", "zoom_join_url"))
    for pk, webinar_id, registrant_id, join_url in linked.iterator():
        registration, _created = ZoomRegistration.objects.get_or_create(
            application_id=pk, webinar_id=webinar_id, defaults={"state": "registered", "attempts": 1},
        )
        registration.join_url = join_url
        registration.registrant_id = registration.registrant_id or registrant_id
        registration.save(update_fields=["join_url", "registrant_id"])
    # An add already sent may have been served by Zoom: a cancel then looks the address up.
    ZoomRegistration.objects.filter(attempts__gt=0, add_sent_at__isnull=True).update(
        add_sent_at=models.F("last_attempt_at"))


def office_may_see_zoom(apps, schema_editor):
    """Give the office group the view permissions of both Zoom lists and the change permission of registrations."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    for model, codename, name in OFFICE_PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label="zoom", model=model)
        permission, _created = Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                                defaults={"name": name})
        group.permissions.add(permission)


def office_may_not_see_zoom(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=OFFICE_GROUP):
        group.permissions.remove(*Permission.objects.filter(
            content_type__app_label="zoom", codename__in=[codename for _m, codename, _n in OFFICE_PERMISSIONS]))


class Migration(migrations.Migration):

    dependencies = [
        ("zoom", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="zoomregistration",
            name="add_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="add last sent at"),
        ),
        migrations.AddField(
            model_name="zoomregistration",
            name="join_url",
            field=models.URLField(blank=True, max_length=1000, verbose_name="personal Zoom joining link"),
        ),
        migrations.RunPython(links_to_registrations, migrations.RunPython.noop),
        migrations.RunPython(office_may_see_zoom, office_may_not_see_zoom),
    ]
