"""The receipt is written by the worker, not by the applicant's request; the PostgreSQL applying statement
fills every column the model has; a POST reads the session's rules from the cache only while they are current."""
import pytest

from outbox.models import Message
from registrations.applying_sql import APPLICATION_COLUMNS
from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application, AuditEntry
from registrations.notifications import application_mail, receipts_write
from registrations.services import application_cancel, application_create
from seminars.models import Session
from tests.conftest import tokyo
from tests.factories import SessionFactory

from .conftest import applicant_data, open_session, service_data

pytestmark = pytest.mark.django_db

DURING = tokyo(2025, 7, 10, 9, 0)


def apply(session, email="hanako.yamada@example.jp", language="ja"):
    return application_create(session=session, data=service_data(email=email), language=language, now=DURING)


def test_applying_marks_the_receipt_and_the_worker_writes_it_once_in_the_applicants_language():
    session = SessionFactory(capacity=1, waitlist_enabled=True)
    first = apply(session, language="en")
    second = apply(session, email="taro@example.jp")

    assert Message.objects.count() == 0
    assert set(Application.objects.values_list("receipt_due", flat=True)) == {True}

    assert receipts_write(now=DURING) == 2
    assert receipts_write(now=DURING) == 0

    english, japanese = application_mail(first).get(), application_mail(second).get()
    assert (english.kind, english.data, english.to_email) == (MailKind.RECEIPT, {"status": "confirmed"},
                                                               "hanako.yamada@example.jp")
    assert "confirmed" in english.body_text.lower()
    assert japanese.data == {"status": "waitlisted"}
    assert "キャンセル待ち" in japanese.body_text
    assert not Application.objects.filter(receipt_due=True).exists()


def test_an_application_cancelled_before_its_receipt_was_written_gets_none():
    application = apply(SessionFactory())
    application_cancel(application=application, actor_label="applicant", now=DURING)

    assert receipts_write(now=DURING) == 0

    assert not application_mail(application).filter(kind=MailKind.RECEIPT).exists()
    assert not Application.objects.filter(receipt_due=True).exists()


def test_the_applying_statement_names_every_column_of_the_application_table():
    """A field added to Application without adding it to registrations/applying_sql.py fails here."""
    columns = {field.column for field in Application._meta.concrete_fields} - {"id"}

    assert set(APPLICATION_COLUMNS) == columns
    assert len(APPLICATION_COLUMNS) == len(columns)


@pytest.mark.parametrize("waitlist_enabled", [True, False])
def test_both_databases_save_the_same_application_audit_and_places(waitlist_enabled):
    """The same calls give the same rows on PostgreSQL (one statement) and on SQLite (the ORM)."""
    session = SessionFactory(capacity=1, waitlist_enabled=waitlist_enabled)
    confirmed = apply(session)
    try:
        waitlisted = apply(session, email="taro@example.jp")
    except Exception as refusal:  # noqa: BLE001 - the refusal itself is what is checked
        waitlisted = refusal

    session.refresh_from_db()
    assert session.places_taken == 1
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.created_at, confirmed.receipt_due) == ("confirmed", DURING, True)
    entry = AuditEntry.objects.get(application=confirmed)
    assert (entry.action, entry.actor_label, entry.changes, entry.at) == ("apply", "applicant",
                                                                          {"status": "confirmed"}, DURING)
    if waitlist_enabled:
        assert Application.objects.get(pk=waitlisted.pk).status == ApplicationStatus.WAITLISTED
        assert AuditEntry.objects.get(application=waitlisted).changes == {"status": "waitlisted"}
    else:
        assert waitlisted.code == "full"
        assert Application.objects.count() == 1


def test_a_post_sees_the_office_closing_the_window_at_once(client, django_capture_on_commit_callbacks):
    """The POST reads the session's rules from the cache; an office edit ends that cache's generation."""
    session = open_session(capacity=100)
    form = f"/sessions/{session.slug}/apply/"
    assert client.post(form, applicant_data(email="a@example.jp", email_again="a@example.jp")).status_code == 302

    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        session.applications_close_on = session.applications_open_on
        session.save()  # as the admin's change form does

    response = client.post(form, applicant_data(email="b@example.jp", email_again="b@example.jp"))
    assert response.status_code == 403
    assert Application.objects.filter(session=session).count() == 1
    assert Session.objects.get(pk=session.pk).places_taken == 1
