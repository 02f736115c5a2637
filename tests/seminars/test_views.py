"""Public pages: what they show, what they never show, and how many queries they cost."""
import pytest

from seminars.models import Session
from speakers.models import Speaker
from tests.conftest import tokyo
from tests.factories import (
    AppearanceFactory,
    MaterialFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
)
from tests.languages import en

pytestmark = pytest.mark.django_db

JOINING_URL = "https://meet.example.org/j/RECOGNISABLE-JOINING-LINK-8231"
JOINING_SECRET = "Passcode RECOGNISABLE-PASSCODE-4417"


def make_programme(count: int) -> list[Session]:
    """Create `count` sessions, each with topics (one with sub-items), two speakers and a material."""
    shared = SpeakerFactory()
    sessions = []
    for _ in range(count):
        session = SessionFactory(joining_url=JOINING_URL, joining_instructions=JOINING_SECRET)
        TopicFactory(session=session)
        parent = TopicFactory(session=session)
        TopicFactory(session=session, parent=parent)
        TopicFactory(session=session, parent=parent)
        AppearanceFactory(session=session, speaker=shared)
        AppearanceFactory(session=session)
        MaterialFactory(session=session)
        sessions.append(session)
    return sessions


def _public_urls() -> list[str]:
    urls = ["/", "/archive/", "/healthz"]
    urls += [s.get_absolute_url() for s in Session.objects.all()]
    urls += [s.get_absolute_url() for s in Speaker.objects.all()]
    return urls


def test_joining_link_absent_from_every_public_response(client):
    sessions = make_programme(3)
    # One held, one archived: the archive page lists them too.
    Session.objects.filter(pk=sessions[1].pk).update(archive_video_url="https://youtu.be/dQw4w9WgXcQ",
                                                     archive_published_at=tokyo(2025, 8, 1))
    urls = _public_urls()
    assert len(urls) == 3 + 3 + 4

    for url in urls:
        response = client.get(url)
        content = response.content.decode()
        if url == "/healthz":  # its status follows the broker's; its body is the checks, never a page
            assert response.json()["status"] in ("ok", "unavailable"), url
        else:
            assert response.status_code == 200, url
            assert "</html>" in content, url  # the whole page was rendered, so a leak in it would show
        assert "RECOGNISABLE-JOINING-LINK" not in content, url
        assert "RECOGNISABLE-PASSCODE" not in content, url
        assert "meet.example.org" not in content, url


def test_unknown_session_slug_is_404(client):
    SessionFactory()
    assert client.get("/sessions/no-such-session/").status_code == 404


def test_session_page_shows_topics_speakers_and_material_notice(client):
    session = make_programme(1)[0]

    response = client.get(en(session.get_absolute_url()))

    content = response.content.decode()
    assert session.title_en in content
    for topic in session.topics.all():
        assert topic.text_en in content
    for appearance in session.appearances.all():
        assert appearance.speaker.name_en in content
    assert "The copyrights to these materials belong to the lecturer." in content


@pytest.mark.parametrize("count", [5, 50])
def test_home_query_count_is_fixed(client, django_assert_num_queries, count):
    make_programme(count)
    # series (view) + series (context processor) + sessions + their appearances with speakers + the news
    with django_assert_num_queries(5):
        response = client.get("/")
    assert response.content.decode().count('class="session-card"') == count


@pytest.mark.parametrize("count", [5, 50])
def test_session_page_query_count_is_fixed(client, django_assert_num_queries, count):
    sessions = make_programme(count)
    # session with series + appearances + topics + sub-items + materials + series (context processor) + its news
    with django_assert_num_queries(7):
        response = client.get(sessions[-1].get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_archive_query_count_is_fixed(client, django_assert_num_queries, count):
    make_programme(count)
    Session.objects.update(archive_video_url="https://vimeo.com/76979871", archive_published_at=tokyo(2025, 8, 1))
    # series (context processor) + archived sessions + their appearances with speakers
    with django_assert_num_queries(3):
        response = client.get("/archive/")
    assert response.content.decode().count('class="archive-card"') == count


def _event(client, session, language):
    from icalendar import Calendar

    path = f"/sessions/{session.slug}/calendar.ics"
    response = client.get(en(path) if language == "en" else path)
    return Calendar.from_ical(response.content).events[0]


def test_calendar_event_is_the_session_and_says_online_in_the_visitors_language(client):
    session = SessionFactory(number=1, title_ja="基礎編", title_en="The basics", format="online")

    japanese, english = _event(client, session, "ja"), _event(client, session, "en")

    assert str(japanese["SUMMARY"]) == "第1回「基礎編」"
    assert str(english["SUMMARY"]) == "Session 1: The basics"
    assert session.series.title_en not in str(english["SUMMARY"])
    assert str(english["LOCATION"]) == "Online (Zoom)"
    assert "meet.example.org" not in str(japanese["LOCATION"])


def test_calendar_event_at_a_venue_gives_the_venue_as_location(client):
    venue = SessionFactory(format="venue", venue_en="Tokyo Metropolitan Labour Hall", venue_ja="東京都労働会館")
    hybrid = SessionFactory(format="hybrid", venue_en="Tokyo Metropolitan Labour Hall")

    assert str(_event(client, venue, "ja")["LOCATION"]) == "東京都労働会館"
    assert str(_event(client, venue, "en")["LOCATION"]) == "Tokyo Metropolitan Labour Hall"
    assert str(_event(client, hybrid, "en")["LOCATION"]) == "Tokyo Metropolitan Labour Hall or online (Zoom)"
