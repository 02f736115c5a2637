"""The administrative office: its group and exactly the permissions it holds.

The office are staff, not superusers. They get no auth.* permission, so they
cannot manage users, groups or permissions. Migration 0003 creates the group;
`create_office_user` makes sure it exists, with exactly these permissions, before
adding a user to it. When this list changes, add a migration that gives the group
the new permissions, written into the migration (as news/migrations/0002 does):
a migration never calls this module, which changes after it was written.
"""
from django.apps import apps as global_apps

OFFICE_GROUP = "Administrative office"

# (app_label, codename); registrations/admin.py and seminars/admin.py say what each allows.
OFFICE_PERMISSIONS = [
    # Applications: see and correct them, move and cancel them (admin actions), export them.
    ("registrations", "view_application"),
    ("registrations", "change_application"),
    ("registrations", "view_auditentry"),
    # Mail: see what went out; sending again (from the application) writes a new row, rendered afresh.
    ("outbox", "view_message"),
    ("registrations", "resend_mail"),
    # The series, its sessions and what belongs to them. Topics, materials and appearances are
    # rows in the session's form, so removing one is an edit; sessions, series and speakers
    # are never deleted by the office (applications and appearances point at them).
    ("seminars", "view_series"),
    ("seminars", "change_series"),
    ("seminars", "view_session"),
    ("seminars", "add_session"),
    ("seminars", "change_session"),
    ("seminars", "view_topic"),
    ("seminars", "add_topic"),
    ("seminars", "change_topic"),
    ("seminars", "delete_topic"),
    ("seminars", "view_material"),
    ("seminars", "add_material"),
    ("seminars", "change_material"),
    ("seminars", "delete_material"),
    ("speakers", "view_speaker"),
    ("speakers", "add_speaker"),
    ("speakers", "change_speaker"),
    ("speakers", "view_appearance"),
    ("speakers", "add_appearance"),
    ("speakers", "change_appearance"),
    ("speakers", "delete_appearance"),
    # The statistics pages and the report to the council (office_stats/admin.py).
    ("office_stats", "view_statistics"),
    # Questionnaires: build them from the series' template, see their results and export them
    # (questionnaires/admin.py). Questions are rows of the questionnaire's form; answers are never edited.
    ("questionnaires", "view_questionnaire"),
    ("questionnaires", "add_questionnaire"),
    ("questionnaires", "change_questionnaire"),
    ("questionnaires", "delete_questionnaire"),
    ("questionnaires", "view_question"),
    ("questionnaires", "add_question"),
    ("questionnaires", "change_question"),
    ("questionnaires", "delete_question"),
    # News on the public pages (news/admin.py): written, corrected and withdrawn by the office.
    ("news", "view_news"),
    ("news", "add_news"),
    ("news", "change_news"),
    ("news", "delete_news"),
    # Zoom: each applicant's registration (waiting, tries, Zoom's last answer; "try again") and the attendance
    # fetches (zoom/admin.py). Given by zoom's migration 0002.
    ("zoom", "view_zoomregistration"),
    ("zoom", "change_zoomregistration"),
    ("zoom", "view_attendancefetch"),
]


def office_group_sync():
    """Create the office group if missing and give it exactly OFFICE_PERMISSIONS; return the group.

    Any permission Django has not created yet (it does after `migrate`) is created
    first. Running it again changes nothing.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    group.permissions.set(
        [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in OFFICE_PERMISSIONS]
    )
    return group
