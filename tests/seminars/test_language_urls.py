"""Each language has its own URLs: Japanese at the root, English under /en/; mail links follow the applicant."""
import re

import pytest
from django.test import Client

from registrations.enums import MailKind
from registrations.notifications import application_notify
from registrations.selectors import manage_url
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory
from tests.registrations.conftest import open_session

pytestmark = pytest.mark.django_db

DURING_PERIOD = tokyo(2025, 7, 10, 9, 0)


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _switch_links(response) -> list[tuple[str, str]]:
    """(href, hreflang) of the links in the language switcher."""
    nav = re.search(r'<nav class="lang-switch".*?</nav>', response.content.decode(), re.S).group(0)
    return re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)


def _alternates(response) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', response.content.decode()))


def test_the_root_is_japanese_whatever_the_browser_or_an_old_cookie_asks_for():
    session = SessionFactory(title_ja="基礎編", title_en="The basics")
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"

    response = client.get(session.get_absolute_url())

    assert response.status_code == 200
    assert _html_lang(response) == "ja"
    assert "基礎編" in response.content.decode().replace("\u200b", "")


def test_english_lives_under_en_and_each_page_links_to_itself_in_the_other_language(client):
    open_session(slug="session-1", title_ja="基礎編", title_en="The basics")

    for japanese_path in ("/", "/sessions/session-1/", "/archive/", "/privacy/", "/accessibility/",
                          "/sessions/session-1/apply/"):
        english_path = "/en" + japanese_path
        japanese, english = client.get(japanese_path), client.get(english_path)

        assert (japanese.status_code, english.status_code) == (200, 200), japanese_path
        assert (_html_lang(japanese), _html_lang(english)) == ("ja", "en"), japanese_path
        # The switcher offers the other language only, on the same page.
        assert _switch_links(japanese) == [(english_path, "en")], japanese_path
        assert _switch_links(english) == [(japanese_path, "ja")], japanese_path
        # Search engines are told which URL is which language, Japanese being the default.
        for page in (japanese, english):
            assert _alternates(page) == {
                "ja": f"http://testserver{japanese_path}",
                "en": f"http://testserver{english_path}",
                "x-default": f"http://testserver{japanese_path}",
            }, japanese_path
    assert "The basics" in client.get("/en/sessions/session-1/").content.decode()


def test_the_switcher_keeps_the_query_string(client):
    SessionFactory(slug="session-1")

    response = client.get("/sessions/session-1/?utm_source=mail")

    assert _switch_links(response) == [("/en/sessions/session-1/?utm_source=mail", "en")]


def test_mail_links_lead_to_the_pages_in_the_applicants_language():
    english = ApplicationFactory(language="en")
    japanese = ApplicationFactory(language="ja", session=english.session)

    sent = {
        application.language: application_notify(
            application, MailKind.RECEIPT, data={"status": "confirmed"}, now=DURING_PERIOD)
        for application in (english, japanese)
    }

    slug = english.session.slug
    assert f"/en/sessions/{slug}/" in sent["en"].body_text
    assert f"/en{manage_url(english)}" in sent["en"].body_text
    assert "/en/" not in sent["ja"].body_text
    assert manage_url(japanese) in sent["ja"].body_text
    assert f'href="http://127.0.0.1:8000/en{manage_url(english)}"' in sent["en"].body_html


def test_links_already_sent_keep_working_in_either_language(client):
    application = ApplicationFactory(language="en", session=open_session())
    path = manage_url(application)

    old, english = client.get(path), client.get("/en" + path)

    assert (old.status_code, english.status_code) == (200, 200)
    assert (_html_lang(old), _html_lang(english)) == ("ja", "en")
    calendar = client.get(f"/sessions/{application.session.slug}/calendar.ics")
    assert calendar.status_code == 200 and calendar["Content-Type"].startswith("text/calendar")


def test_an_unknown_page_is_refused_in_the_language_of_its_url(client):
    japanese, english = client.get("/no-such-page/"), client.get("/en/no-such-page/")

    assert (japanese.status_code, english.status_code) == (404, 404)
    assert (_html_lang(japanese), _html_lang(english)) == ("ja", "en")


def test_the_office_admin_has_a_japanese_and_an_english_address(admin_client):
    japanese, english = admin_client.get("/admin/"), admin_client.get("/en/admin/")

    assert (japanese.status_code, english.status_code) == (200, 200)
    assert (_html_lang(japanese), _html_lang(english)) == ("ja", "en")
    assert '<a href="/en/admin/" hreflang="en" lang="en">English</a>' in japanese.content.decode()
    assert '<a href="/admin/" hreflang="ja" lang="ja">日本語</a>' in english.content.decode()
