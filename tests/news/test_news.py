"""The office's news: on the home page, its session's page, the list and the Atom feed, only between its dates."""
import datetime as dt
import time
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from news.models import News
from tests.factories import SessionFactory
from tests.languages import en

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Plain HTTP, as behind the TLS proxy (tests/conftest.py)."""


def _shown(response) -> str:
    # Japanese text is cut into phrases with U+200B (seminar_tags.phrases).
    return response.content.decode().replace("\u200b", "")


def _news(session=None, *, series=None, starts=None, until=None, **texts) -> News:
    texts = {"title_ja": "会場変更のお知らせ", "title_en": "The venue has changed",
             "body_ja": "会場が第二会議室に変わりました。", "body_en": "The venue is now meeting room 2."} | texts
    return News.objects.create(
        series=series or session.series, session=session,
        published_at=starts or timezone.now() - dt.timedelta(hours=1), published_until=until, **texts,
    )


def test_news_of_a_session_shows_on_the_home_page_and_its_session_page_in_both_languages(client):
    session, other = SessionFactory(), SessionFactory()
    _news(session)

    for path, title, body in (("/", "会場変更のお知らせ", "第二会議室"),
                              (en("/"), "The venue has changed", "meeting room 2"),
                              (session.get_absolute_url(), "会場変更のお知らせ", "第二会議室"),
                              (en(session.get_absolute_url()), "The venue has changed", "meeting room 2")):
        page = _shown(client.get(path))
        assert title in page and body in page, path

    # Another session's page does not carry it.
    assert "会場変更のお知らせ" not in _shown(client.get(other.get_absolute_url()))


def test_series_news_shows_on_the_home_page_newest_first_and_on_the_list_page(client):
    session = SessionFactory()
    now = timezone.now()
    _news(series=session.series, title_ja="古いお知らせ", title_en="Older news", starts=now - dt.timedelta(days=3))
    _news(series=session.series, title_ja="新しいお知らせ", title_en="Newer news", starts=now - dt.timedelta(days=1))

    home = _shown(client.get("/"))
    listing = _shown(client.get(en("/news/")))

    assert home.index("新しいお知らせ") < home.index("古いお知らせ")
    assert listing.index("Newer news") < listing.index("Older news")


def test_news_is_hidden_before_its_start_and_after_its_end(client):
    session = SessionFactory()
    now = timezone.now()
    future = _news(session, title_ja="まだ先のお知らせ", title_en="Not yet", starts=now + dt.timedelta(days=1))
    past = _news(session, title_ja="終わったお知らせ", title_en="Over", starts=now - dt.timedelta(days=5),
                 until=now - dt.timedelta(days=1))

    for path in ("/", en("/"), session.get_absolute_url(), "/news/", en("/news/feed/")):
        page = _shown(client.get(path))
        for hidden in ("まだ先のお知らせ", "Not yet", "終わったお知らせ", "Over<"):
            assert hidden not in page, (path, hidden)
    assert client.get(future.get_absolute_url()).status_code == 404
    assert client.get(en(past.get_absolute_url())).status_code == 404


def test_the_atom_feed_holds_the_news_in_the_language_of_its_url(client):
    session = SessionFactory()
    item = _news(session)

    for path, title in (("/news/feed/", "会場変更のお知らせ"), (en("/news/feed/"), "The venue has changed")):
        response = client.get(path)
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)  # noqa: S314 - the portal's own feed, parsed as a reader would
        entries = feed.findall(f"{ATOM}entry")
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == [title]
        link = entries[0].find(f"{ATOM}link").get("href")
        assert link.endswith(item.get_absolute_url() if path == "/news/feed/" else en(item.get_absolute_url()))
        assert client.get(link).status_code == 200


def test_a_session_page_without_news_has_no_news_block(client):
    session = SessionFactory()

    assert 'id="news-title"' not in client.get(session.get_absolute_url()).content.decode()


@pytest.fixture
def cached_pages(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def test_cached_pages_show_news_when_it_is_saved_and_at_its_start(
    client, cached_pages, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    assert "会場変更" not in _shown(client.get("/"))

    with django_capture_on_commit_callbacks(execute=True):
        _news(session)
    assert "会場変更のお知らせ" in _shown(client.get("/"))

    with django_capture_on_commit_callbacks(execute=True):
        _news(session, title_ja="台風による中止のお知らせ", starts=timezone.now() + dt.timedelta(seconds=2))
    assert "台風による中止" not in _shown(client.get("/"))

    time.sleep(2.5)
    assert "台風による中止のお知らせ" in _shown(client.get("/"))


def test_cached_pages_drop_news_at_its_end(client, cached_pages, django_capture_on_commit_callbacks):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _news(session, until=timezone.now() + dt.timedelta(seconds=2))
    assert "会場変更のお知らせ" in _shown(client.get(session.get_absolute_url()))

    time.sleep(2.5)
    assert "会場変更のお知らせ" not in _shown(client.get(session.get_absolute_url()))


def test_the_office_writes_news_in_admin_and_may_draft_a_mail_from_it(office_client, client):
    session = SessionFactory()
    start = timezone.localtime() - dt.timedelta(minutes=5)
    response = office_client.post("/admin/news/news/add/", {
        "series": session.series.pk, "session": session.pk,
        "title_ja": "定員に達しました", "title_en": "The session is full",
        "body_ja": "キャンセル待ちを受け付けています。", "body_en": "You may join the waiting list.",
        "published_at_0": start.strftime("%Y-%m-%d"), "published_at_1": start.strftime("%H:%M:%S"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    item = News.objects.get()
    assert "定員に達しました" in _shown(client.get(session.get_absolute_url()))

    drafted = office_client.post("/admin/news/news/", {"action": "mail_to_applicants", "_selected_action": [item.pk]})

    from office.models import Announcement

    announcement = Announcement.objects.get()
    assert drafted["Location"].endswith(f"/admin/office/announcement/{announcement.pk}/change/")
    assert (announcement.session, announcement.subject_en) == (session, "The session is full")
    assert announcement.sent_at is None


def test_the_demo_year_has_news_on_its_home_page_and_loading_twice_adds_none(client):
    from seminars.demo import demo_load

    demo_load(today=timezone.localdate())
    demo_load(today=timezone.localdate())

    assert News.objects.count() == 3
    assert "会場が変更になりました" in _shown(client.get("/"))


def test_feed_readers_find_the_feed_from_any_page(client):
    session = SessionFactory()

    for path, feed in (("/", "/news/feed/"), (en(session.get_absolute_url()), "/en/news/feed/")):
        page = client.get(path).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in page, path
