"""What a visitor looks for on the public pages: places, the closing moment, the calendar link,
Japan time, and what every page carries (description, favicon, privacy and accessibility links)."""
import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import timezone, translation

from tests.factories import AppearanceFactory, SessionFactory
from tests.languages import en

pytestmark = pytest.mark.django_db

def open_session(**kwargs):
    """Create a session whose application period runs today (Tokyo) and closes on a known date."""
    today = timezone.localdate()
    defaults = {
        "applications_open_on": today - dt.timedelta(days=3),
        "applications_close_on": today + dt.timedelta(days=7),
        "starts_at": timezone.now() + dt.timedelta(days=10),
    }
    return SessionFactory(**(defaults | kwargs))


def text_of(response) -> str:
    """Return the page as a person reads it: no tags, no phrase breaks, spaces collapsed.

    Inline elements join their text to what is around them; any other tag ends a run of text.
    """
    html = re.sub(r"</?(?:span|a|strong|em|small|wbr)\b[^>]*>", "", response.content.decode())
    text = re.sub(r"<[^>]+>", " ", html).replace("\u200b", "")
    return re.sub(r"\s+", " ", text)


def test_session_page_shows_the_places_left_next_to_the_capacity(client):
    session = open_session(capacity=40, places_taken=12)

    text = text_of(client.get(en(session.get_absolute_url())))

    assert "40 places · 28 places left" in text


def test_home_card_shows_capacity_and_few_places_left(client):
    open_session(capacity=40, places_taken=37)

    text = text_of(client.get("/en/"))

    assert "Capacity: 40 places · Few places left" in text
    assert "places left" not in text.replace("Few places left", "")


def test_full_session_with_a_waiting_list_says_waiting_list_only(client):
    session = open_session(capacity=10, places_taken=10, waitlist_enabled=True)

    assert "10 places · Waiting list only" in text_of(client.get(en(session.get_absolute_url())))
    assert "Waiting list only" in text_of(client.get("/en/"))


def test_places_left_are_not_shown_once_applications_have_closed(client):
    session = SessionFactory(capacity=40, places_taken=12)  # held in 2025

    text = text_of(client.get(en(session.get_absolute_url())))

    assert "40 places" in text and "left" not in text


def test_session_page_and_form_state_the_closing_date_and_time_in_japan_time(client):
    session = open_session(applications_close_on=dt.date(2035, 12, 17), starts_at=dt.datetime(
        2035, 12, 20, 14, tzinfo=dt.timezone(dt.timedelta(hours=9))))

    for url in (session.get_absolute_url(), f"{session.get_absolute_url()}apply/"):
        english = text_of(client.get(en(url)))
        japanese = text_of(client.get(url))
        assert "Applications close December 17, 2035 (Mon.), 11:59 PM (Japan time)" in english, url
        assert "2035年12月17日（月）23:59（日本時間）" in japanese.replace(" ", ""), url


def test_times_are_marked_japan_time_in_both_languages(client):
    session = SessionFactory()

    url = session.get_absolute_url()

    assert "Thursday, July 31, 2025, 2:00 PM – 4:00 PM (Japan time)" in text_of(client.get(en(url)))
    assert "2025年7月31日（木）14:00～16:00（日本時間）" in text_of(client.get(url))


def test_session_page_links_its_calendar_file_until_it_is_held(client):
    coming = open_session()
    held = SessionFactory()

    coming_page = client.get(en(coming.get_absolute_url())).content.decode()
    held_page = client.get(en(held.get_absolute_url())).content.decode()

    assert f'href="/en/sessions/{coming.slug}/calendar.ics"' in coming_page
    assert client.get(f"/en/sessions/{coming.slug}/calendar.ics").status_code == 200
    assert client.get(f"/sessions/{coming.slug}/calendar.ics").status_code == 200
    assert "calendar.ics" not in held_page


def public_urls() -> list[str]:
    appearance = AppearanceFactory(session=open_session())
    return ["/", appearance.session.get_absolute_url(), appearance.speaker.get_absolute_url(), "/archive/",
            "/accessibility/"]


def test_every_public_page_has_its_own_meta_description_and_a_favicon(client):
    descriptions = set()
    for url in public_urls():
        html = client.get(en(url)).content.decode()
        [description] = re.findall(r'<meta name="description" content="([^"]*)">', html)
        assert len(description.strip()) > 20, url
        descriptions.add(description)
        assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', html), url
    assert len(descriptions) == 5  # each page says what it is about
    assert finders.find("favicon.svg")


def test_every_public_page_links_the_privacy_notice_and_the_accessibility_page_in_its_footer(client):
    for url in public_urls():
        html = client.get(url).content.decode()
        footer = html.split('<footer class="site-footer">')[1]
        assert '<a href="/privacy/">個人情報の取扱いについて</a>' in footer, url
        assert 'href="/accessibility/"' in footer, url


def test_accessibility_page_states_the_target_the_tests_and_a_contact(client):
    open_session()  # the series, whose contact address the page gives

    response = client.get("/en/accessibility/")
    text = text_of(response)

    assert response.status_code == 200
    assert "JIS X 8341-3:2016" in text and "level AA" in text
    assert "axe-core" in text and "Keyboard only" in text and "390 × 844" in text
    assert 'href="mailto:office@example.org"' in response.content.decode()


def test_empty_archive_says_so_across_the_page_and_leads_to_the_sessions(client):
    html = client.get("/en/archive/").content.decode()

    assert "archive-card" not in html  # not laid out as a card with a thumbnail column
    assert '<div class="empty-state">' in html
    assert "No archived video has been published yet." in html
    assert re.search(r'<a class="btn btn-secondary" href="/en/">[^<]+</a>', html)  # the sessions, in English


def render_phrases(value) -> str:
    return Template("{% load seminar_tags %}{{ value|phrases }}").render(Context({"value": value}))


def test_phrases_cuts_japanese_between_phrases_only():
    html = render_phrases("取締役・代表者のための対策")

    assert html.startswith('<span class="phrases">') and html.endswith("</span>")
    pieces = html.removeprefix('<span class="phrases">').removesuffix("</span>").split("\u200b")
    assert len(pieces) > 1
    # Words a narrow screen could split stay whole.
    assert any("取締役" in piece for piece in pieces) and any("対策" in piece for piece in pieces)


def test_phrases_escapes_its_input_and_leaves_english_whole():
    assert "<script>" not in render_phrases("<script>alert(1)</script>対策")
    assert "&lt;script&gt;" in render_phrases("<script>対策を")
    assert render_phrases("Basics of customer harassment") == (
        '<span class="phrases">Basics of customer harassment</span>'
    )


def test_headings_and_card_titles_are_cut_into_phrases(client):
    open_session(title_ja="対面の場面におけるカスタマーハラスメント対策")

    with translation.override("ja"):
        html = client.get("/").content.decode()

    title = re.search(r'<h3 class="session-card__title"><a [^>]*>(.*?)</a>', html).group(1)
    assert title.startswith('<span class="phrases">') and "\u200b" in title


def test_phrases_cuts_translated_headings_but_leaves_safe_markup_alone():
    with translation.override("ja"):
        heading = Template(
            '{% load i18n seminar_tags %}{% translate "Sessions" as heading %}{{ heading|phrases }}'
        ).render(Context())
    markup = Template("{% load seminar_tags %}{{ value|safe|phrases }}").render(Context({"value": "<b>対策</b>"}))

    assert heading.startswith('<span class="phrases">')
    assert markup == "<b>対策</b>"
