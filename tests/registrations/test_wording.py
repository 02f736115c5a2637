"""Words that fit the moment: what a page or mail says before, on and after the day, for each kind of applicant."""
import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from questionnaires.demo import TEMPLATE as QUESTIONNAIRE_TEMPLATE
from registrations.enums import MailKind
from registrations.notifications import application_mail, archive_mail_wave
from registrations.selectors import manage_url
from registrations.services import application_cancel, application_create
from seminars.enums import ArchiveAccess
from tests.factories import ApplicationFactory, ArchivedSessionFactory, SessionFactory
from tests.languages import en
from tests.registrations.conftest import open_session, service_data

pytestmark = pytest.mark.django_db

CANCEL_SENTENCE = {
    "ja": "お申込みの取消しは、お申込み後にお送りする受付完了のお知らせメールに記載の個人用リンクからできます。",
    "en": "To cancel, use the private link in the receipt mail you get after applying.",
}


def shown(response) -> str:
    """The page's text as a reader sees it (no tags, no phrase breaks, single spaces)."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode()).replace("\u200b", "")
    return re.sub(r"\s+", " ", text)


def first_link(body: str) -> str:
    """The first address a mail links to (the text's first URL, or the first href of its HTML)."""
    return re.search(r'(?:href=")?(https?://[^\s"<]+)', body).group(1)


def _path(path: str, language: str) -> str:
    return en(path) if language == "en" else path


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_home_page_says_the_cancellation_sentence_once(client, language):
    SessionFactory()

    page = shown(client.get(_path("/", language)))

    assert page.count(CANCEL_SENTENCE[language]) == 1


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_cancelled_applications_page_offers_no_cancelling(client, language):
    application = application_create(session=open_session(), data=service_data(), language=language)
    application_cancel(application=application, by=None, actor_label="applicant", reason="Not coming")

    page = shown(client.get(_path(manage_url(application), language)))

    for offer in ("取消しができます", "取消しは", "cancel it yourself", "To cancel", "Cancel this application"):
        assert offer not in page, offer
    assert {"ja": "このお申込みは取消し済みです。", "en": "This application is cancelled."}[language] in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_held_sessions_page_does_not_ask_for_more_sessions_than_the_series_has_left(client, language):
    now = timezone.now()
    session = SessionFactory(starts_at=now - dt.timedelta(days=3),
                             applications_open_on=(now - dt.timedelta(days=30)).date(),
                             applications_close_on=(now - dt.timedelta(days=5)).date())
    application = ApplicationFactory(session=session, language=language)

    page = shown(client.get(_path(manage_url(application), language)))

    assert "あと3回" not in page and "You need 3 more sessions" not in page
    assert {"ja": "このシリーズの残りの回数では、今年度の修了要件に届きません。",
            "en": "Too few sessions of this series are left to complete the course this year."}[language] in page
    # Nor does it offer to cancel a session that is over.
    assert {"ja": "取消しができます", "en": "cancel it yourself"}[language] not in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_session_still_to_come_counts_towards_the_course(client, language):
    now = timezone.now()
    held = SessionFactory(starts_at=now - dt.timedelta(days=3),
                          applications_open_on=(now - dt.timedelta(days=30)).date(),
                          applications_close_on=(now - dt.timedelta(days=5)).date())
    open_session(series=held.series), open_session(series=held.series)  # still to come
    application = ApplicationFactory(session=held, language=language)

    page = shown(client.get(_path(manage_url(application), language)))

    assert {"ja": "修了まで、あと3回の受講が必要です。", "en": "You need 3 more sessions."}[language] not in page
    open_session(series=held.series)
    assert {"ja": "修了まで、あと3回の受講が必要です。", "en": "You need 3 more sessions."}[language] in shown(
        client.get(_path(manage_url(application), language)))


def test_the_questionnaire_invitation_does_not_say_today():
    # It is answered up to two weeks after the session.
    assert "本日" not in QUESTIONNAIRE_TEMPLATE["intro_ja"] and "today" not in QUESTIONNAIRE_TEMPLATE["intro_en"]


@pytest.fixture
def office_client(db):
    call_command("create_office_user", "desk", "desk@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username="desk"))
    return client


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("published", [True, False])
def test_the_follow_up_page_says_when_the_absent_get_the_archive(office_client, language, published):
    session = SessionFactory(archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE",
                             archive_published_at=timezone.now() - dt.timedelta(days=1) if published else None)
    url = f"/admin/seminars/session/{session.pk}/attendance/follow-up/"

    page = shown(office_client.get(_path(url, language)))

    later = {"ja": "アーカイブ公開時に", "en": "goes out when the archive is published"}[language]
    already = {"ja": "アーカイブはすでに公開済みで", "en": "the archive is already published"}[language]
    assert (later in page, already in page) == (not published, published)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_archive_mail_of_an_applicants_only_archive_links_the_applicants_own_page(language):
    session = ArchivedSessionFactory(archive_access=ArchiveAccess.APPLICANTS)
    application = ApplicationFactory(session=session, language=language)

    archive_mail_wave(session, now=session.archive_published_at + dt.timedelta(hours=1))

    mail = application_mail(application).get(kind=MailKind.ARCHIVE)
    assert first_link(mail.body_text).endswith(manage_url(application))
    assert first_link(mail.body_html).endswith(manage_url(application))
    assert {"ja": "申込者限定", "en": "for the session's applicants only"}[language] in mail.body_text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_archive_mail_of_a_public_archive_links_the_session_page(language):
    session = ArchivedSessionFactory()
    application = ApplicationFactory(session=session, language=language)

    archive_mail_wave(session, now=session.archive_published_at + dt.timedelta(hours=1))

    mail = application_mail(application).get(kind=MailKind.ARCHIVE)
    assert first_link(mail.body_text).endswith(session.get_absolute_url())
    assert first_link(mail.body_html).endswith(session.get_absolute_url())
