"""Erasing applicants' personal data PERSONAL_DATA_RETENTION_DAYS after their session."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone, translation

from outbox.models import Message, MessageStatus
from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application, AuditEntry
from registrations.notifications import application_mail, application_notify
from registrations.retention import applications_erase_personal_data, erase_personal_data
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory

pytestmark = pytest.mark.django_db

# SessionFactory's session ends 2025-07-31 16:00 Tokyo; 90 days later:
ENDS_AT = tokyo(2025, 7, 31, 16, 0)
BOUNDARY = tokyo(2025, 10, 29, 16, 0)
JOINING_LINK = "https://meet.example.org/j/secret-joining-link-123"


@pytest.fixture(autouse=True)
def _ninety_days(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90


def _application_with_mail_and_audit(session, **kwargs):
    application = ApplicationFactory(
        session=session,
        phone="03-1234-5678",
        question="How do we train new staff?",
        **kwargs,
    )
    sent = application_notify(application, MailKind.RECEIPT, data={"name": application.name})
    Message.objects.filter(pk=sent.pk).update(
        status=MessageStatus.SENT,
        sent_at=tokyo(2025, 7, 1, 10, 5),
        subject=f"Your application {application.reference}",
        body_text=f"Dear {application.name}, join at {JOINING_LINK}",
        body_html=f"<p>Dear {application.name}, join at <a href='{JOINING_LINK}'>the stream</a></p>",
        message_id="<abc@seminars.example.org>",
    )
    application_notify(application, MailKind.ARCHIVE, data={"joining_url": JOINING_LINK})
    AuditEntry.objects.create(
        application=application,
        actor_label="office",
        action="changed",
        reason="The applicant called from 03-1234-5678 to fix the address.",
        changes={"email": ["old@example.jp", application.email], "status": ["waitlisted", "confirmed"]},
    )
    return application


def test_erase_one_second_before_the_boundary_changes_nothing():
    session = SessionFactory()
    assert session.ends_at == ENDS_AT
    application = _application_with_mail_and_audit(session)

    erased = applications_erase_personal_data(now=BOUNDARY - dt.timedelta(seconds=1))

    assert erased == 0
    application.refresh_from_db()
    assert application.personal_data_erased_at is None
    assert application.name == "山田 花子"
    assert application.email.endswith("@example.jp")
    assert application.phone == "03-1234-5678"
    assert application_mail(application).filter(to_email=application.email).count() == 2
    assert not AuditEntry.objects.filter(action="personal_data_erased").exists()


def test_erase_at_the_boundary_blanks_exactly_the_personal_fields():
    session = SessionFactory()
    application = _application_with_mail_and_audit(session, cancel_reason="", attendance="online")
    before = Application.objects.get(pk=application.pk)

    erased = applications_erase_personal_data(now=BOUNDARY)

    assert erased == 1
    after = Application.objects.get(pk=application.pk)
    assert after.personal_data_erased_at == BOUNDARY
    for field in ("name", "name_reading", "organisation", "department", "position", "phone", "question"):
        assert getattr(after, field) == "", field
    assert after.email == f"erased-{after.pk}@erased.invalid"
    # What the statistics need stays.
    for field in (
        "reference",
        "session_id",
        "status",
        "industry",
        "organisation_size",
        "prefecture",
        "attendance",
        "language",
        "created_at",
        "consented_at",
        "privacy_notice_version",
    ):
        assert getattr(after, field) == getattr(before, field), field
    # The secret behind the private links goes: an old link answers "gone".
    assert after.manage_secret != before.manage_secret


def test_erase_blanks_the_mail_sent_and_skips_the_mail_still_waiting():
    application = _application_with_mail_and_audit(SessionFactory())

    applications_erase_personal_data(now=BOUNDARY)

    rows = {row.kind: row for row in application_mail(application).filter()}
    for row in rows.values():
        assert (row.to_email, row.subject, row.body_text, row.body_html, row.data) == ("", "", "", "", {})
    # The office still sees that the receipt went out and when.
    assert rows[MailKind.RECEIPT].status == MessageStatus.SENT
    assert rows[MailKind.RECEIPT].sent_at == tokyo(2025, 7, 1, 10, 5)
    assert rows[MailKind.ARCHIVE].status == MessageStatus.SKIPPED
    assert "erased" in rows[MailKind.ARCHIVE].last_error


def test_erase_removes_personal_values_from_the_audit_trail_and_records_itself():
    application = _application_with_mail_and_audit(SessionFactory())

    applications_erase_personal_data(now=BOUNDARY)

    changed, erasure = AuditEntry.objects.filter(application=application).order_by("pk")
    assert changed.reason == ""
    assert changed.changes == {"email": "[erased]", "status": ["waitlisted", "confirmed"]}
    assert (erasure.actor_label, erasure.action, erasure.at) == ("system", "personal_data_erased", BOUNDARY)


def test_erase_keeps_the_counts_per_session_and_status():
    session = SessionFactory(capacity=2, waitlist_enabled=True, places_taken=2)
    for status in (ApplicationStatus.CONFIRMED, ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED):
        _application_with_mail_and_audit(session, status=status)
    _application_with_mail_and_audit(
        session, status=ApplicationStatus.CANCELLED, cancel_reason="Ill, said on the phone"
    )

    def counts():
        return Application.objects.filter(session=session).aggregate(
            confirmed=Count("pk", filter=Q(status=ApplicationStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=ApplicationStatus.WAITLISTED)),
            cancelled=Count("pk", filter=Q(status=ApplicationStatus.CANCELLED)),
            industries=Count("industry", distinct=True),
        )

    before = counts()
    erased = applications_erase_personal_data(now=BOUNDARY)

    assert erased == 4
    assert counts() == before == {"confirmed": 2, "waitlisted": 1, "cancelled": 1, "industries": 1}
    session.refresh_from_db()
    assert session.places_taken == 2
    assert not Application.objects.filter(session=session).exclude(cancel_reason="").exists()
    # Two active applications got distinct placeholders: the one-email-per-session rule still holds.
    assert Application.objects.filter(session=session).values("email").distinct().count() == 4


def test_erase_leaves_sessions_that_ended_later_alone():
    due = _application_with_mail_and_audit(SessionFactory())
    later_session = SessionFactory(
        starts_at=tokyo(2025, 8, 20, 14, 0),
        applications_open_on=dt.date(2025, 7, 1),
        applications_close_on=dt.date(2025, 8, 15),
    )
    later = _application_with_mail_and_audit(later_session)

    applications_erase_personal_data(now=BOUNDARY)

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.personal_data_erased_at == BOUNDARY
    assert later.personal_data_erased_at is None
    assert later.name == "山田 花子"
    assert application_mail(later).filter().exclude(body_text="").exists()


def test_erase_twice_erases_once():
    application = _application_with_mail_and_audit(SessionFactory())

    first = applications_erase_personal_data(now=BOUNDARY)
    second = applications_erase_personal_data(now=BOUNDARY + dt.timedelta(days=1))

    assert (first, second) == (1, 0)
    application.refresh_from_db()
    assert application.personal_data_erased_at == BOUNDARY
    assert AuditEntry.objects.filter(application=application, action="personal_data_erased").count() == 1


def test_erase_follows_the_configured_number_of_days(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    application = _application_with_mail_and_audit(SessionFactory())

    assert applications_erase_personal_data(now=ENDS_AT + dt.timedelta(days=30, seconds=-1)) == 0
    assert applications_erase_personal_data(now=ENDS_AT + dt.timedelta(days=30)) == 1
    application.refresh_from_db()
    assert application.name == ""


def _session_ended_days_ago(days: int):
    today = timezone.localdate()
    starts = timezone.localtime().replace(microsecond=0) - dt.timedelta(days=days, hours=3)
    return SessionFactory(
        starts_at=starts,
        applications_open_on=today - dt.timedelta(days=days + 30),
        applications_close_on=today - dt.timedelta(days=days + 2),
    )


def test_command_dry_run_counts_and_changes_nothing(capsys):
    due = _application_with_mail_and_audit(_session_ended_days_ago(100))
    _application_with_mail_and_audit(_session_ended_days_ago(10))

    with translation.override("en"):
        call_command("erase_personal_data", "--dry-run")

    out = capsys.readouterr().out
    assert "1 applications of 1 sessions (with 2 mails)" in out
    assert "Nothing was changed" in out
    due.refresh_from_db()
    assert due.personal_data_erased_at is None


def test_command_erases_what_is_due(capsys):
    due = _application_with_mail_and_audit(_session_ended_days_ago(100))
    recent = _application_with_mail_and_audit(_session_ended_days_ago(10))

    with translation.override("en"):
        call_command("erase_personal_data")

    assert "Erased the personal data of 1 applications (90 days" in capsys.readouterr().out
    due.refresh_from_db()
    recent.refresh_from_db()
    assert due.personal_data_erased_at is not None and due.name == ""
    assert recent.personal_data_erased_at is None


def test_beat_task_erases_what_is_due():
    due = _application_with_mail_and_audit(_session_ended_days_ago(91))

    assert erase_personal_data.name == "registrations.erase_personal_data"
    erase_personal_data.apply()

    due.refresh_from_db()
    assert due.personal_data_erased_at is not None


# --- what the person wrote in free text ---


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("山田花子です。とても良かった", "[erased]です。とても良かった"),
        ("やまだ はなこ より", "[erased] より"),
        ("花子より、(株)サンプル商事の者です", "[erased]より、(株)[erased]の者です"),
        ("連絡先 ０３（１２３４）５６７８", "連絡先 [erased]"),
        ("+81 3-1234-5678 まで", "[erased] まで"),
        ("HANAKO.YAMADA@EXAMPLE.JP か hanako.yamada まで", "[erased] か [erased] まで"),
        ("以前の old.address@example.jp にも", "以前の [erased] にも"),
        ("山田先生の話が参考になった", "[erased]先生の話が参考になった"),
        ("とても参考になった", "とても参考になった"),
    ],
)
def test_erasure_redacts_the_person_from_their_anonymous_free_text(written, kept):
    from questionnaires.models import Answer
    from questionnaires.services import response_submit
    from tests.certificates.conftest import attend, held_session
    from tests.questionnaires.conftest import build_questionnaire, values

    session = held_session(1, days_ago=3)
    application = attend(ApplicationFactory(
        session=session, name="山田 花子", name_reading="ヤマダ ハナコ", email="hanako.yamada@example.jp",
        phone="0312345678", organisation="株式会社サンプル商事",
    ))
    AuditEntry.objects.create(application=application, actor_label="office", action="update",
                              changes={"email": ["old.address@example.jp", application.email]})
    anonymous = build_questionnaire(session, anonymous=True)
    response_submit(questionnaire=anonymous, application=application, values=values(anonymous, scale=5, single="A",
                                                                                     text=written))

    applications_erase_personal_data(now=session.ends_at + dt.timedelta(days=90))

    [answer] = Answer.objects.filter(response__questionnaire=anonymous, question__key="comments")
    assert answer.text == kept
    assert answer.response.application_id is None


def test_an_old_manage_link_answers_the_gone_page_after_erasure(client, plain_http):
    from registrations.selectors import manage_url

    application = ApplicationFactory(session=SessionFactory(ends_at=ENDS_AT))
    link = manage_url(application)

    applications_erase_personal_data(now=BOUNDARY)

    response = client.get(link)
    assert response.status_code == 410
