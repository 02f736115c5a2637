"""Announcements to a session's applicants, once each, in their language; the office's private notes."""
import pytest
from django.utils import timezone

from office.models import Announcement, Note
from office.selectors import LARGE_AUDIENCE
from office.services import AnnouncementRefused, announcement_send, note_add, notes_erase
from outbox.models import Message
from registrations.attendance import attendance_mark
from registrations.enums import ApplicationStatus, AttendanceStatus, MailKind
from registrations.exports import applications_csv
from registrations.models import Application
from registrations.notifications import application_notify
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_url
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory
from tests.registrations.mailservers import wait_for

from .conftest import open_session

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Called twice, sounded upset: handle with care"


def _announcement(session, office, audience="confirmed"):
    return Announcement.objects.create(
        session=session, audience=audience, created_by=office,
        subject_ja="会場変更のお知らせ", body_ja="会場が変わりました。",
        subject_en="The venue has changed", body_en="The venue has changed.",
    )


def test_an_announcement_reaches_only_its_audience_each_in_their_language(office):
    session = SessionFactory()
    confirmed_ja = ApplicationFactory(session=session)
    confirmed_en = ApplicationFactory(session=session, language="en")
    waiting = ApplicationFactory(session=session, status=ApplicationStatus.WAITLISTED)
    cancelled = ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED)
    ApplicationFactory()  # another session

    added = announcement_send(announcement=_announcement(session, office), by=office)

    assert added == 2
    rows = {row.to_email: row for row in Message.objects.filter(kind=MailKind.ANNOUNCEMENT)}
    assert set(rows) == {confirmed_ja.email, confirmed_en.email}
    assert rows[confirmed_ja.email].subject == "会場変更のお知らせ"
    assert "会場が変わりました。" in rows[confirmed_ja.email].body_text
    assert rows[confirmed_en.email].subject == "The venue has changed"
    assert waiting.email not in rows and cancelled.email not in rows


@pytest.mark.parametrize(("audience", "expected"), [
    ("waitlisted", {"waiting"}), ("attended", {"came"}), ("absent", {"missed"}),
    ("active", {"came", "missed", "waiting", "drawing"}),
])
def test_each_audience(office, audience, expected):
    session = SessionFactory()
    people = {
        "came": ApplicationFactory(session=session), "missed": ApplicationFactory(session=session),
        "waiting": ApplicationFactory(session=session, status=ApplicationStatus.WAITLISTED),
        "drawing": ApplicationFactory(session=session, status=ApplicationStatus.AWAITING_DRAW),
        "gone": ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED),
    }
    for name, status in (("came", AttendanceStatus.ATTENDED), ("missed", AttendanceStatus.ABSENT)):
        attendance_mark(applications=Application.objects.filter(pk=people[name].pk), status=status, by=office,
                        now=tokyo(2025, 7, 31, 17, 0))

    announcement_send(announcement=_announcement(session, office, audience), by=office)

    reached = set(Message.objects.filter(kind=MailKind.ANNOUNCEMENT).values_list("to_email", flat=True))
    assert reached == {people[name].email for name in expected}


def test_pressing_send_twice_sends_nothing_more(office):
    session = SessionFactory()
    ApplicationFactory.create_batch(3, session=session)
    announcement = _announcement(session, office)

    announcement_send(announcement=announcement, by=office)
    with pytest.raises(AnnouncementRefused) as again:
        announcement_send(announcement=announcement, by=office)

    assert again.value.code == "sent"
    assert Message.objects.filter(kind=MailKind.ANNOUNCEMENT).count() == 3
    announcement.refresh_from_db()
    assert (announcement.recipients, announcement.sent_by) == (3, office)


def test_more_than_the_threshold_asks_for_a_second_confirmation(office):
    session = SessionFactory()
    ApplicationFactory.create_batch(LARGE_AUDIENCE + 1, session=session)
    announcement = _announcement(session, office)

    with pytest.raises(AnnouncementRefused) as refused:
        announcement_send(announcement=announcement, by=office)
    assert refused.value.code == "large"
    assert not Message.objects.exists()

    assert announcement_send(announcement=announcement, by=office, large_confirmed=True) == LARGE_AUDIENCE + 1


def test_the_office_writes_previews_for_a_real_recipient_and_sends_in_admin(office_client, office,
                                                                           django_capture_on_commit_callbacks):
    session = SessionFactory()
    first = ApplicationFactory(session=session, name="最初 の人")
    ApplicationFactory(session=session)
    add = office_client.post(f"/admin/office/announcement/add/?session={session.pk}", {
        "session": session.pk, "audience": "confirmed", "subject_ja": "資料のご案内", "body_ja": "資料を公開しました。",
        "subject_en": "Materials", "body_en": "The materials are online.",
    })
    announcement = Announcement.objects.get()
    assert add["Location"] == f"/admin/office/announcement/{announcement.pk}/change/"

    page = office_client.get(add["Location"]).content.decode()
    assert "<strong>2</strong>" in page and "最初 の人" in page and "資料を公開しました。" in page
    assert not Message.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        office_client.post(f"/admin/office/announcement/{announcement.pk}/send/", follow=True)
    office_client.post(f"/admin/office/announcement/{announcement.pk}/send/")

    assert Message.objects.filter(kind=MailKind.ANNOUNCEMENT).count() == 2
    assert first.email in Message.objects.values_list("to_email", flat=True)
    assert "2" in office_client.get("/admin/office/announcement/").content.decode()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_pressed_twice_each_recipient_receives_it_once_through_the_worker_and_smtp(smtp, office):
    session = open_session()
    japanese = ApplicationFactory.create_batch(2, session=session)
    english = ApplicationFactory(session=session, language="en")
    waiting = ApplicationFactory(session=session, status=ApplicationStatus.WAITLISTED)
    announcement = _announcement(session, office)

    announcement_send(announcement=announcement, by=office)
    with pytest.raises(AnnouncementRefused):
        announcement_send(announcement=announcement, by=office)
    wait_for(lambda: smtp.handler.count() >= 3 and not Message.objects.exclude(status="sent").exists(),
             what="3 announcement mails")

    assert smtp.handler.per_recipient() == {a.email: 1 for a in [*japanese, english]}
    assert smtp.handler.to(waiting.email) == []
    [mail] = smtp.handler.to(english.email)
    assert mail["Subject"] == "The venue has changed"
    [mail] = smtp.handler.to(japanese[0].email)
    assert mail["Subject"] == "会場変更のお知らせ"


# --- notes ---


def test_notes_never_reach_a_mail_the_manage_page_or_an_export(office, client):
    session = open_session()
    application = ApplicationFactory(session=session)
    note_add(application=application, text=SECRET_NOTE, by=office)

    announcement_send(announcement=_announcement(session, office), by=office)
    application_notify(application, MailKind.RECEIPT, data={"status": "confirmed"})
    page = client.get(manage_url(application)).content.decode()
    export = applications_csv(Application.objects.all()).content.decode("utf-8-sig")

    for row in Message.objects.all():
        assert SECRET_NOTE not in row.body_text + row.body_html + row.subject
    assert application.name in page and SECRET_NOTE not in page
    assert application.email in export and SECRET_NOTE not in export


def test_the_office_writes_a_note_and_reads_it_on_the_application(office_client, office):
    application = ApplicationFactory()

    response = office_client.post(f"/admin/office/note/add/?application={application.pk}",
                                  {"application": application.pk, "text": SECRET_NOTE})

    note = Note.objects.get()
    assert response["Location"] == f"/admin/registrations/application/{application.pk}/change/"
    assert (note.written_by, note.text) == (office, SECRET_NOTE)
    page = office_client.get(response["Location"]).content.decode()
    assert SECRET_NOTE in page and "desk" in page


def test_notes_are_erased_with_the_personal_data(office):
    session = SessionFactory()  # held 2025-07-31
    application = ApplicationFactory(session=session)
    kept = ApplicationFactory(session=open_session())
    note_add(application=application, text=SECRET_NOTE, by=office)
    note_add(application=kept, text="still needed", by=office)

    applications_erase_personal_data(now=timezone.now())

    assert list(Note.objects.values_list("text", flat=True)) == ["still needed"]
    assert notes_erase(application_ids=[kept.pk]) == 1
