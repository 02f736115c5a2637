"""The rules of applying and cancelling, through the services, on PostgreSQL and on SQLite."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application, AuditEntry
from registrations.notifications import application_mail, receipts_write
from registrations.references import REFERENCE_ALPHABET, reference_display
from registrations.selectors import ManageLinkExpired, application_for_token, manage_token, waitlist_position
from registrations.services import (
    ApplicationRefused,
    application_cancel,
    application_create,
)
from seminars.models import Session
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory

from .conftest import open_session, service_data

pytestmark = pytest.mark.django_db

# SessionFactory's period: 2025-06-30 to 2025-07-28; the session is on 2025-07-31.
DURING = tokyo(2025, 7, 10, 9, 0)


def apply(session, now=DURING, **overrides):
    """Apply through the service; the receipt is written as the worker does right after."""
    application = application_create(session=session, data=service_data(**overrides), language="ja", now=now)
    receipts_write(now=now)
    return application


def test_application_create_saves_a_confirmed_application_with_its_receipt_and_audit():
    session = SessionFactory(capacity=10)

    application = apply(session)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED
    assert application.consented_at == DURING
    assert application.privacy_notice_version
    assert application.language == "ja"
    session.refresh_from_db()
    assert session.places_taken == 1
    receipt = application_mail(application).get()
    assert receipt.kind == MailKind.RECEIPT
    assert receipt.data["status"] == "confirmed"
    assert receipt.to_email == "hanako.yamada@example.jp"
    assert AuditEntry.objects.get(application=application).actor_label == "applicant"


def test_application_create_round_trips_japanese_names_and_organisations():
    session = SessionFactory()

    application = apply(
        session,
        name="髙橋 𠮷郎",
        name_reading="たかはし よしろう",
        organisation="一般社団法人 日本ダイレクトセリング協会",
        department="総務・人事グループ",
        position="部長代理",
    )

    saved = Application.objects.get(pk=application.pk)
    assert saved.name == "髙橋 𠮷郎"
    assert saved.name_reading == "たかはし よしろう"
    assert saved.organisation == "一般社団法人 日本ダイレクトセリング協会"
    assert saved.department == "総務・人事グループ"
    assert saved.position == "部長代理"


def test_application_reference_is_short_unambiguous_and_unique():
    session = SessionFactory()

    references = {apply(session, email=f"a{i}@example.jp").reference for i in range(30)}

    assert len(references) == 30
    for reference in references:
        assert len(reference) == 8
        assert set(reference) <= set(REFERENCE_ALPHABET)
        assert not set(reference) & set("01OI")
    assert reference_display("ABCD2345") == "ABCD-2345"


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (tokyo(2025, 6, 29, 23, 59), "upcoming"),
        (tokyo(2025, 7, 29, 0, 0), "closed"),
        (tokyo(2025, 7, 31, 17, 0), "closed"),
    ],
)
def test_application_create_refused_outside_the_application_period(now, code):
    session = SessionFactory()

    with pytest.raises(ApplicationRefused) as refused:
        apply(session, now=now)

    assert refused.value.code == code
    assert not Application.objects.exists()


def test_application_create_accepted_on_the_last_minute_of_the_period():
    session = SessionFactory()

    assert apply(session, now=tokyo(2025, 7, 28, 23, 59)).status == ApplicationStatus.CONFIRMED


def test_application_create_refuses_the_same_email_in_other_case():
    session = SessionFactory()
    apply(session, email="Hanako@Example.jp")

    with pytest.raises(ApplicationRefused) as refused:
        apply(session, email="hanako@example.JP")

    assert refused.value.code == "duplicate"
    assert Application.objects.count() == 1
    session.refresh_from_db()
    assert session.places_taken == 1


def test_database_refuses_an_active_duplicate_email_in_other_case():
    first = ApplicationFactory(email="Hanako@Example.jp")

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(session=first.session, email="HANAKO@example.jp")


def test_application_create_accepts_an_email_again_after_its_cancellation():
    session = SessionFactory()
    first = apply(session)
    application_cancel(application=first, actor_label="applicant", now=DURING)

    again = apply(session)

    assert again.status == ApplicationStatus.CONFIRMED


def test_application_create_requires_consent_and_an_offered_attendance():
    session = SessionFactory(format="online")

    with pytest.raises(ApplicationRefused) as no_consent:
        apply(session, consent="")
    with pytest.raises(ApplicationRefused) as venue:
        apply(session, attendance="venue")

    assert (no_consent.value.code, venue.value.code) == ("consent", "attendance")


def test_application_create_refuses_when_full_without_a_waiting_list():
    session = SessionFactory(capacity=1, waitlist_enabled=False)
    apply(session, email="first@example.jp")

    with pytest.raises(ApplicationRefused) as refused:
        apply(session, email="second@example.jp")

    assert refused.value.code == "full"
    with translation.override("en"):
        assert "full" in str(refused.value.message)
    assert Application.objects.count() == 1


def test_application_create_waitlists_when_full_with_a_waiting_list():
    session = SessionFactory(capacity=1, waitlist_enabled=True)
    apply(session, email="first@example.jp")

    second = apply(session, email="second@example.jp")

    assert second.status == ApplicationStatus.WAITLISTED
    assert application_mail(second).get().data["status"] == "waitlisted"
    assert waitlist_position(second) == 1
    session.refresh_from_db()
    assert session.places_taken == 1


def test_application_create_with_a_stale_session_still_decides_by_the_counter():
    session = SessionFactory(capacity=1, waitlist_enabled=True)
    read_before = Session.objects.get(pk=session.pk)
    apply(session, email="first@example.jp")

    late = apply(read_before, email="late@example.jp")

    assert late.status == ApplicationStatus.WAITLISTED
    assert [m.data["status"] for m in application_mail(late).filter()] == ["waitlisted"]
    assert AuditEntry.objects.filter(application=late).count() == 1
    read_before.places_taken = 1  # looks full, but a place is free once the first cancels
    application_cancel(application=Application.objects.get(email="first@example.jp"), actor_label="applicant",
                       now=DURING)  # promotes "late"
    Session.objects.filter(pk=session.pk).update(capacity=3)

    lucky = apply(read_before, email="lucky@example.jp")

    assert lucky.status == ApplicationStatus.CONFIRMED
    assert [m.data["status"] for m in application_mail(lucky).filter()] == ["confirmed"]
    session.refresh_from_db()
    assert session.places_taken == 2


def test_application_create_without_capacity_counts_places():
    session = SessionFactory(capacity=None)

    for i in range(3):
        apply(session, email=f"p{i}@example.jp")

    session.refresh_from_db()
    assert session.places_taken == 3


def test_application_cancel_keeps_the_application_with_who_and_when():
    session = SessionFactory(capacity=5)
    application = apply(session)
    later = DURING + dt.timedelta(hours=1)

    application_cancel(application=application, actor_label="applicant", reason="schedule", now=later)

    saved = Application.objects.get(pk=application.pk)
    assert saved.status == ApplicationStatus.CANCELLED
    assert (saved.cancelled_at, saved.cancelled_by, saved.cancel_reason) == (later, "applicant", "schedule")
    assert application_mail(saved).filter(kind=MailKind.CANCELLATION).count() == 1
    assert AuditEntry.objects.filter(application=saved, action="cancel").count() == 1
    session.refresh_from_db()
    assert session.places_taken == 0


def test_application_cancel_promotes_the_first_waitlisted_at_once():
    session = SessionFactory(capacity=1, waitlist_enabled=True)
    confirmed = apply(session, email="c@example.jp")
    first = apply(session, email="w1@example.jp", now=DURING + dt.timedelta(minutes=1))
    second = apply(session, email="w2@example.jp", now=DURING + dt.timedelta(minutes=2))

    promoted = application_cancel(application=confirmed, actor_label="applicant", now=DURING + dt.timedelta(hours=1))

    assert promoted.pk == first.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApplicationStatus.CONFIRMED
    assert first.promoted_at == DURING + dt.timedelta(hours=1)
    assert application_mail(first).filter(kind=MailKind.PROMOTION).count() == 1
    assert second.status == ApplicationStatus.WAITLISTED
    assert waitlist_position(second) == 1
    session.refresh_from_db()
    assert session.places_taken == 1


def test_application_cancel_of_a_waitlisted_promotes_nobody():
    session = SessionFactory(capacity=1, waitlist_enabled=True)
    apply(session, email="c@example.jp")
    waiting = apply(session, email="w1@example.jp")

    assert application_cancel(application=waiting, actor_label="applicant", now=DURING) is None

    session.refresh_from_db()
    assert session.places_taken == 1


def test_application_cancel_by_office_user_records_the_user(django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x")
    application = apply(SessionFactory())

    application_cancel(application=application, by=clerk, actor_label=clerk.username, now=DURING)

    entry = AuditEntry.objects.get(application=application, action="cancel")
    assert (entry.actor, entry.actor_label) == (clerk, "clerk")
    assert Application.objects.get(pk=application.pk).cancelled_by == "clerk"


def test_application_cancel_refused_twice_and_after_the_session_started():
    session = SessionFactory()
    cancelled = apply(session, email="a@example.jp")
    application_cancel(application=cancelled, actor_label="applicant", now=DURING)
    held = apply(session, email="b@example.jp")

    with pytest.raises(ApplicationRefused) as twice:
        application_cancel(application=cancelled, actor_label="applicant", now=DURING)
    with pytest.raises(ApplicationRefused) as late:
        application_cancel(application=held, actor_label="applicant", now=tokyo(2025, 7, 31, 14, 5))

    assert (twice.value.code, late.value.code) == ("cancelled", "held")


def test_database_never_lets_places_exceed_capacity():
    session = SessionFactory(capacity=1)
    Session.objects.filter(pk=session.pk).update(places_taken=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(places_taken=2)


def test_manage_token_finds_its_application_and_nothing_else():
    application = apply(SessionFactory())
    token = manage_token(application)

    assert application_for_token(token, now=DURING) == application
    assert application.reference not in token
    assert application_for_token(token[:-1] + ("A" if token[-1] != "A" else "B"), now=DURING) is None
    assert application_for_token(application.manage_secret, now=DURING) is None
    assert application_for_token("not-a-token", now=DURING) is None


def test_manage_token_expires_after_the_retention_period(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    application = apply(SessionFactory())
    token = manage_token(application)

    assert application_for_token(token, now=tokyo(2025, 10, 29, 15, 59)) == application
    with pytest.raises(ManageLinkExpired):
        application_for_token(token, now=tokyo(2025, 10, 29, 16, 0))


def test_open_session_helper_is_open_now():
    assert open_session().state().value == "open"


@pytest.mark.django_db(transaction=True)
def test_applying_in_autocommit_takes_places_and_writes_every_row_on_new_and_reused_connections():
    """The request path: applying in autocommit, on kept connections and after a reconnection."""
    from django.db import connection

    session = SessionFactory(capacity=2, waitlist_enabled=True)
    assert not connection.in_atomic_block

    first = apply(session, email="one@example.jp", email_again="one@example.jp")
    second = apply(session, email="two@example.jp", email_again="two@example.jp")
    connection.close()  # as after a database restart: the next statement runs on a new connection
    third = apply(session, email="three@example.jp", email_again="three@example.jp")
    with pytest.raises(ApplicationRefused) as duplicate:
        apply(session, email="ONE@example.jp", email_again="ONE@example.jp")

    assert duplicate.value.code == "duplicate"
    statuses = dict(Application.objects.values_list("email", "status"))
    assert statuses == {
        "one@example.jp": ApplicationStatus.CONFIRMED,
        "two@example.jp": ApplicationStatus.CONFIRMED,
        "three@example.jp": ApplicationStatus.WAITLISTED,
    }
    assert {a.email: a.status for a in (first, second, third)} == statuses
    for application in (first, second, third):  # what the service returns is what was saved
        saved = Application.objects.get(pk=application.pk)
        assert _columns(application) | {"receipt_due": False} == _columns(saved)  # the receipt since written
        assert application.session == session and not application._state.adding
    session.refresh_from_db()
    assert session.places_taken == 2
    for application in (first, second, third):
        receipt = application_mail(application).get()
        assert (receipt.kind, receipt.data) == (MailKind.RECEIPT, {"status": application.status})
        assert receipt.to_email == application.email
        assert AuditEntry.objects.get(application=application).changes == {"status": application.status}


def _columns(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields if not field.primary_key}
