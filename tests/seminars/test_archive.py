"""Publishing archives, who may watch them, until when, and what the pages say meanwhile."""
import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from registrations.enums import ApplicationStatus
from registrations.selectors import manage_token
from seminars.enums import ArchiveAccess, SessionState
from seminars.models import TOKYO
from seminars.selectors import archive_visible_to
from seminars.services import ArchiveRefused, session_publish_archive, session_unpublish_archive
from tests.conftest import tokyo
from tests.factories import (
    AppearanceFactory,
    ApplicationFactory,
    ArchivedSessionFactory,
    SessionFactory,
)
from tests.languages import en

pytestmark = pytest.mark.django_db

BEFORE = "Live online broadcast (archive available later)"
ENDED = "The live stream has ended."
WATCH_BELOW = "The live stream has ended. You can watch the archived video below."
FOR_APPLICANTS = "Applicants can watch the archived video through the private link"
IFRAME = '<iframe src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"'


def _page(client, session) -> str:
    response = client.get(en(session.get_absolute_url()))
    assert response.status_code == 200
    return response.content.decode()


def _format_line(content: str) -> str:
    start = content.index("<dt>Format</dt><dd>") + len("<dt>Format</dt><dd>")
    # As a person reads it: without the phrase-break spans (seminar_tags.phrases) and their U+200B.
    return re.sub(r"<[^>]+>", "", content[start:content.index("</dd>", start)]).replace("\u200b", "").strip()


def _future_session(**fields):
    today = timezone.localdate()
    return SessionFactory(
        starts_at=dt.datetime.combine(today + dt.timedelta(days=30), dt.time(14), tzinfo=TOKYO),
        applications_open_on=today - dt.timedelta(days=1),
        applications_close_on=today + dt.timedelta(days=20),
        archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE",
        **fields,
    )


# --- state and the format line across publish / unpublish ---


def test_state_across_publish_and_unpublish():
    session = SessionFactory(archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE")
    assert session.state(now=tokyo(2025, 8, 1)) == SessionState.HELD

    session_publish_archive(session=session, by="office", now=tokyo(2025, 8, 10, 9))
    session.refresh_from_db()
    assert session.archive_published_at == tokyo(2025, 8, 10, 9)
    assert session.state(now=tokyo(2025, 8, 10, 9) - dt.timedelta(seconds=1)) == SessionState.HELD
    assert session.state(now=tokyo(2025, 8, 10, 9)) == SessionState.ARCHIVED

    session_unpublish_archive(session=session, by="office")
    session.refresh_from_db()
    assert session.archive_published_at is None
    assert session.state(now=tokyo(2025, 8, 11)) == SessionState.HELD


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (tokyo(2025, 8, 31, 23, 59, 59), SessionState.ARCHIVED),
        (tokyo(2025, 9, 1), SessionState.HELD),  # the end date is the last day, in Japan time
    ],
)
def test_state_around_the_archive_end_date(moment, expected):
    session = ArchivedSessionFactory(archive_available_until=dt.date(2025, 8, 31))
    assert session.state(now=moment) == expected


def test_format_line_follows_publish_and_unpublish(client):
    future = _future_session()
    assert _format_line(_page(client, future)) == BEFORE
    assert IFRAME not in _page(client, future)

    session = SessionFactory(archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE")
    content = _page(client, session)
    assert _format_line(content) == ENDED
    assert IFRAME not in content

    session_publish_archive(session=session, by="office")
    content = _page(client, session)
    assert _format_line(content) == WATCH_BELOW
    assert IFRAME in content
    assert "badge--archived" in content

    session_unpublish_archive(session=session, by="office")
    content = _page(client, session)
    assert _format_line(content) == ENDED
    assert IFRAME not in content
    assert "badge--held" in content


@pytest.mark.usefixtures("english")
def test_publish_before_the_session_is_held_is_refused():
    session = _future_session()
    with pytest.raises(ArchiveRefused) as refused:
        session_publish_archive(session=session, by="office")
    assert "has not been held yet" in refused.value.message
    session.refresh_from_db()
    assert session.archive_published_at is None


@pytest.mark.usefixtures("english")
def test_publish_without_a_video_address_is_refused():
    session = SessionFactory(archive_video_url="")
    with pytest.raises(ArchiveRefused) as refused:
        session_publish_archive(session=session, by="office", now=tokyo(2025, 8, 10))
    assert "no archive video address" in refused.value.message


def test_publish_twice_keeps_the_first_publication():
    session = SessionFactory(archive_video_url="https://vimeo.com/76979871")
    session_publish_archive(session=session, by="office", now=tokyo(2025, 8, 10))
    session_publish_archive(session=session, by="office", now=tokyo(2025, 9, 1))
    session.refresh_from_db()
    assert session.archive_published_at == tokyo(2025, 8, 10)


def test_publish_through_the_admin_action(admin_client):
    session = SessionFactory(archive_video_url="https://vimeo.com/76979871")
    future = _future_session()

    response = admin_client.post(
        "/en/admin/seminars/session/",
        {"action": "publish_archive", "_selected_action": [session.pk, future.pk]},
        follow=True,
    )

    content = response.content.decode()
    assert "Published the archive of 1 session." in content
    assert f"Session {future.number} has not been held yet" in content
    session.refresh_from_db()
    future.refresh_from_db()
    assert session.archive_published_at is not None
    assert future.archive_published_at is None


# --- applicants-only archives and the end date ---


def test_applicants_only_archive_is_refused_to_a_visitor_without_a_link(client):
    session = ArchivedSessionFactory(archive_access=ArchiveAccess.APPLICANTS)

    content = _page(client, session)

    assert "<iframe" not in content
    assert "M7lc1UVf-VE" not in content
    assert FOR_APPLICANTS in _format_line(content)
    assert "Open it through the private link in your receipt mail." in content
    assert archive_visible_to(session) is False


@pytest.mark.usefixtures("english")
def test_applicants_only_archive_shown_with_a_valid_application():
    session = ArchivedSessionFactory(archive_access=ArchiveAccess.APPLICANTS)
    application = ApplicationFactory(session=session)
    waitlisted = ApplicationFactory(session=session, status=ApplicationStatus.WAITLISTED)

    assert archive_visible_to(session, application=application) is True
    assert archive_visible_to(session, application=waitlisted) is True
    html = Template("{% load seminar_tags %}{% archive_video session application token %}").render(
        Context({"session": session, "application": application, "token": manage_token(application)})
    )
    assert IFRAME in html
    assert "for the applicants of this session only" in html


def test_applicants_only_archive_refused_to_other_applications():
    session = ArchivedSessionFactory(archive_access=ArchiveAccess.APPLICANTS)
    other_session = ApplicationFactory(session=SessionFactory())
    cancelled = ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED)

    assert archive_visible_to(session, application=other_session) is False
    assert archive_visible_to(session, application=cancelled) is False
    html = Template("{% load seminar_tags %}{% archive_video session application %}").render(
        Context({"session": session, "application": cancelled})
    )
    assert "<iframe" not in html


def test_applicants_only_archive_refused_after_its_end_date():
    session = ArchivedSessionFactory(
        archive_access=ArchiveAccess.APPLICANTS, archive_available_until=dt.date(2025, 8, 31)
    )
    application = ApplicationFactory(session=session)

    assert archive_visible_to(session, application=application, now=tokyo(2025, 8, 31, 23, 59)) is True
    assert archive_visible_to(session, application=application, now=tokyo(2025, 9, 1)) is False


def test_page_says_the_archive_has_ended_after_its_end_date(client):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    session = ArchivedSessionFactory(archive_available_until=yesterday)
    application = ApplicationFactory(session=session)

    content = _page(client, session)

    assert "<iframe" not in content
    assert _format_line(content) == "The live stream has ended. The archive of this session has ended."
    assert "The archive of this session ended on" in content
    html = Template("{% load seminar_tags %}{% archive_video session application %}").render(
        Context({"session": session, "application": application})
    )
    assert "<iframe" not in html
    assert "The archive of this session ended on" in html


def test_public_archive_needs_no_link(client):
    session = ArchivedSessionFactory()
    assert archive_visible_to(session) is True
    assert IFRAME in _page(client, session)


def test_applicants_only_captions_need_the_manage_token(client):
    from django.core.files.base import ContentFile

    # Held three days ago: the manage link works until the personal data is erased, some time after the session.
    today = timezone.localdate()
    session = ArchivedSessionFactory(
        archive_access=ArchiveAccess.APPLICANTS,
        starts_at=dt.datetime.combine(today - dt.timedelta(days=3), dt.time(14), tzinfo=TOKYO),
        applications_open_on=today - dt.timedelta(days=30),
        applications_close_on=today - dt.timedelta(days=5),
        archive_published_at=timezone.now() - dt.timedelta(days=1),
    )
    session.archive_captions.save("c.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"), save=True)
    application = ApplicationFactory(session=session)
    url = f"/sessions/{session.slug}/captions.vtt"

    assert client.get(url).status_code == 404
    assert client.get(url, {"token": "forged"}).status_code == 404
    assert client.get(url, {"token": manage_token(application)}).status_code == 200


# --- the archive list ---


def test_archive_lists_archived_sessions_newest_first_with_speakers_and_placeholder(client):
    older = ArchivedSessionFactory(starts_at=tokyo(2025, 7, 31, 14), title_en="Older session")
    newer = ArchivedSessionFactory(
        starts_at=tokyo(2025, 9, 25, 14),
        applications_open_on=dt.date(2025, 8, 20),
        applications_close_on=dt.date(2025, 9, 19),
        archive_published_at=tokyo(2025, 10, 1),
        title_en="Newer session",
        archive_access=ArchiveAccess.APPLICANTS,
    )
    AppearanceFactory(session=newer, speaker__name_en="Tsuda Noriko")
    SessionFactory(title_en="Held, not published")
    ArchivedSessionFactory(title_en="Archive ended", archive_available_until=dt.date(2025, 8, 31))

    response = client.get("/en/archive/")

    content = response.content.decode()
    assert content.index("Newer session") < content.index("Older session")
    assert "Held, not published" not in content
    assert "Archive ended" not in content
    assert "Tsuda Noriko" in content
    assert "Thursday, September 25, 2025, 2:00 PM – 4:00 PM" in content
    assert content.count('class="archive-card__placeholder"') == 2
    assert content.count(">Applicants only</span>") == 1
    assert older.get_absolute_url() in content


@pytest.mark.usefixtures("english")
def test_applicants_only_end_date_cannot_outlast_the_manage_links(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    session = ArchivedSessionFactory.build(
        series=SessionFactory().series,
        archive_access=ArchiveAccess.APPLICANTS,
        archive_available_until=dt.date(2025, 10, 29),  # the session ended 2025-07-31; links end 2025-10-29
    )
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "stop working on 2025-10-29" in refused.value.message_dict["archive_available_until"][0]

    session.archive_available_until = dt.date(2025, 10, 28)
    session.full_clean()
