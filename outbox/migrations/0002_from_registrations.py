"""Copy the mail rows of registrations.OutboxMessage into the outbox, with their ids: nothing lost, nothing resent.

Rows already sent, failed or skipped are copied as they are. Rows still waiting are
rendered again by today's code (registrations.notifications.mail_render), since the
old delivery rendered some of them (receipts) and attached the calendar only when
sending; they keep any Message-ID they already had.
"""
from django.core.mail import make_msgid
from django.core.management.color import no_style
from django.db import migrations


def copy_rows(apps, schema_editor):
    Old = apps.get_model("registrations", "OutboxMessage")
    Message = apps.get_model("outbox", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    application_type, _ = ContentType.objects.get_or_create(app_label="registrations", model="application")
    rows = []
    for old in Old.objects.order_by("pk").iterator():
        key = f"application:{old.application_id}:{old.kind}" + (f":{old.key}" if old.key else "")
        row = Message(
            pk=old.pk, key=key, kind=old.kind, content_type=application_type, object_id=old.application_id,
            resend_of_id=old.resend_of_id, to_email=old.to_email, subject=old.subject, body_text=old.body_text,
            body_html=old.body_html, data=old.context, message_id=old.message_id or make_msgid(),
            status=old.status, attempts=old.attempts, last_error=old.last_error, created_at=old.created_at,
            next_attempt_at=old.next_attempt_at, sent_at=old.sent_at,
        )
        if old.status == "pending":
            _render(row, old)
        rows.append(row)
    Message.objects.bulk_create(rows, batch_size=500)
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Message]):
            cursor.execute(sql)


def _render(row, old):
    # Today's models and templates: only rows still to be sent, which a deployment rarely has.
    from django.utils import timezone

    from registrations.models import Application
    from registrations.notifications import mail_render

    application = Application.objects.select_related("session__series").get(pk=old.application_id)
    rendered = mail_render(application, old.kind, data=old.context, now=timezone.now())
    row.subject, row.body_text, row.body_html = rendered["subject"], rendered["body_text"], rendered["body_html"]
    row.attachments = rendered["attachments"]
    row.reply_to = application.session.series.contact_email


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_initial"),
        ("registrations", "0003_office_group"),
    ]

    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
