"""The demo content: the seed's series as its year (令和7年度), and a demo year (令和8年度) around today with the
office's work on it, made through the services; the seed's titles, names and biographies verbatim."""
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from news.models import News
from office.models import Announcement, Draw, Note
from outbox.models import Message
from questionnaires.models import Response
from registrations.enums import ApplicationOrigin, ApplicationStatus, AttendanceStatus, MailKind
from registrations.models import Application, AttendanceImport, AttendanceRecord, AuditEntry
from seminars import demo_content
from seminars.demo import demo_load
from seminars.models import Material, Series, Session, Topic
from speakers.models import Appearance, Speaker

pytestmark = pytest.mark.django_db

SEED_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "seminar-series-page.txt"
SEED_SLUGS = [
    "session-1-basic",
    "session-2-advanced",
    "session-3-practical-in-person",
    "session-4-practical-phone",
    "session-5-practical-visits",
]
DEMO_YEAR_SLUGS = ["demo-held-questions", "demo-closed-case-clinic", "demo-open-follow-up",
                   "demo-upcoming-legal-update"]


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Series, Session, Topic, Speaker, Appearance, Material, Application, AuditEntry, Message,
                      AttendanceRecord, AttendanceImport, Response, Certificate, Note, Announcement, Draw, News)
    }


def test_load_demo_creates_the_seed_year_and_the_demo_year():
    call_command("load_demo")

    seed, year = Series.objects.order_by("fiscal_year")
    assert (seed.fiscal_year, year.fiscal_year) == (2025, 2026)
    assert list(seed.sessions.order_by("number").values_list("slug", flat=True)) == SEED_SLUGS
    assert list(year.sessions.order_by("number").values_list("slug", flat=True)) == DEMO_YEAR_SLUGS
    assert Speaker.objects.count() == 9
    # Two speakers appear in more than one session, as on the seed page.
    assert Appearance.objects.filter(speaker__slug="tsuda-noriko").count() >= 2
    assert Appearance.objects.filter(speaker__slug="fujiki-takeshi").count() >= 2


def test_load_demo_twice_changes_nothing():
    call_command("load_demo")
    first = _counts()
    material_file = Material.objects.get().file.name
    statuses = list(Application.objects.order_by("pk").values_list("status", "session__slug"))

    call_command("load_demo")

    assert _counts() == first
    assert list(Application.objects.order_by("pk").values_list("status", "session__slug")) == statuses
    # The demo slides are not uploaded again under a new name.
    assert Material.objects.get().file.name == material_file


def test_the_demo_year_holds_the_offices_work_on_a_held_session():
    call_command("load_demo")
    held = Session.objects.get(slug="demo-held-questions")
    applications = Application.objects.filter(session=held)

    assert 38 <= applications.count() <= 45
    assert applications.filter(origin__in=[ApplicationOrigin.PHONE, ApplicationOrigin.FAX]).count() >= 3
    assert applications.filter(email="").count() == 1  # by phone, without an address
    assert applications.filter(status=ApplicationStatus.CANCELLED).count() == 3
    assert AuditEntry.objects.filter(application__session=held, action="move").count() == 3
    # Added the day after, with the reason, in the audit trail; attended on the office's word.
    walk_in = AuditEntry.objects.get(application__session=held, action="apply", at__gt=held.ends_at)
    assert walk_in.reason and walk_in.application.attendance_record.status == AttendanceStatus.ATTENDED
    report = AttendanceImport.objects.get(session=held)
    assert [row["email"] for row in report.unmatched] == ["guest.viewer@example.com"]
    attended = applications.filter(attendance_record__status=AttendanceStatus.ATTENDED)
    absent = applications.filter(attendance_record__status=AttendanceStatus.ABSENT)
    assert attended.count() > 20 and absent.count() >= 5
    responses = Response.objects.filter(questionnaire__session=held)
    assert attended.count() * 0.7 <= responses.count() < attended.count()
    assert Certificate.objects.filter(session=held).count() == attended.count()
    assert Message.objects.filter(kind=MailKind.FOLLOW_UP).count() == attended.exclude(email="").count()
    assert Note.objects.filter(application__session=held).exists()
    assert Announcement.objects.get(session=held).sent_at is not None


def test_the_demo_year_has_a_lottery_awaiting_its_draw_and_an_open_session_with_applicants():
    call_command("load_demo")
    lottery = Session.objects.get(slug="demo-closed-case-clinic")
    awaiting = Application.objects.filter(session=lottery, status=ApplicationStatus.AWAITING_DRAW).count()

    assert lottery.state().value == "closed" and lottery.allocation == "lottery"
    assert awaiting > lottery.capacity
    assert not Draw.objects.filter(session=lottery).exists()
    assert Application.objects.filter(session__slug="demo-open-follow-up").count() >= 10
    assert not Application.objects.filter(session__series__fiscal_year=2025).exists()


def _badge_by_title(html: str) -> list[tuple[str, str]]:
    """Return each session card's title and the state class of its badge, in the page's order."""
    cards = re.findall(r'<li class="session-card">(.*?)</li>\s*(?=<li class="session-card">|</ol>)', html, re.DOTALL)
    found = []
    for card in cards:
        state = re.search(r'class="badge badge--(\w+)"', card).group(1)
        title = re.search(r'<h3 class="session-card__title"><a [^>]*>(.*?)</a>', card).group(1)
        # The title is cut into phrases (seminar_tags.phrases): read it as people see it.
        found.append((re.sub(r"<[^>]+>|\u200b", "", title), state))
    return found


def test_home_shows_the_demo_year_with_the_open_session_first(client):
    # The demo year's sessions are dated relative to today; the seed sessions lie in the past.
    demo_load(today=timezone.localdate())

    response = client.get("/en/")

    assert response.status_code == 200
    badges = _badge_by_title(response.content.decode())
    titles = {s.title_en: s.slug for s in Session.objects.all()}
    by_slug = {titles[title]: state for title, state in badges}
    assert titles[badges[0][0]] == "demo-open-follow-up"
    assert by_slug == {"demo-open-follow-up": "open", "demo-upcoming-legal-update": "upcoming",
                       "demo-closed-case-clinic": "closed", "demo-held-questions": "archived"}
    content = response.content.decode()
    assert "4 sessions in all" in content
    assert 'href="/en/series/customer-harassment-prevention/"' in content


def test_the_seed_year_has_its_own_page_with_its_five_sessions_held(client):
    demo_load(today=timezone.localdate())

    badges = _badge_by_title(client.get("/en/series/customer-harassment-prevention/").content.decode())

    assert len(badges) == 5
    assert {state for _title, state in badges} <= {"held", "archived"}


def _seed_titles() -> list[str]:
    lines = SEED_PAGE.read_text(encoding="utf-8").splitlines()
    return [lines[index + 1] for index, line in enumerate(lines) if line.strip() == "Title:"]


def test_the_seed_sessions_titles_equal_the_seed_page_character_for_character():
    demo_load(today=timezone.localdate())

    titles = list(Session.objects.filter(slug__in=SEED_SLUGS).order_by("number").values_list("title_en", flat=True))

    assert titles == _seed_titles()
    assert "Understanding Customer Harassment and Organizational Responses" in titles


def test_the_speakers_names_and_biographies_are_quoted_from_the_seed_page():
    seed_lines = set(SEED_PAGE.read_text(encoding="utf-8").splitlines())

    for speaker in demo_content.SPEAKERS:
        assert speaker["name_en"] in seed_lines, speaker["slug"]
        for paragraph in speaker["biography_en"].split("\n\n"):
            assert paragraph in seed_lines, (speaker["slug"], paragraph[:60])


def _every_translated_field(language: str):
    """Yield (object, field) for every content field of the demo in one language."""
    from seminars.translation import MaterialTranslation, SeriesTranslation, SessionTranslation, TopicTranslation
    from speakers.translation import AppearanceTranslation, SpeakerTranslation

    for model, options in (
        (Series, SeriesTranslation), (Session, SessionTranslation), (Topic, TopicTranslation),
        (Material, MaterialTranslation), (Speaker, SpeakerTranslation), (Appearance, AppearanceTranslation),
    ):
        for obj in model.objects.all():
            for field in options.fields:
                yield obj, f"{field}_{language}"


def test_demo_content_is_written_in_both_languages():
    demo_load(today=timezone.localdate())

    for obj, field in _every_translated_field("en"):
        japanese_field = field.removesuffix("_en") + "_ja"
        # Left empty in English only where the seed page has nothing (no position, no organisation note, no venue).
        assert bool(getattr(obj, field)) == bool(getattr(obj, japanese_field)), (obj, field)
    topics = [t.text_ja for t in Topic.objects.filter(session__slug="session-3-practical-in-person").order_by("pk")]
    assert "① 美容業界における課題・取組と今後の展望" in topics
    assert Speaker.objects.get(slug="hara-masato").name_ja == "ハラ マサト"  # katakana, family name first
    assert Speaker.objects.get(slug="hara-masato").affiliation_ja == "成蹊大学 法学部"


def test_demo_session_page_in_japanese_and_in_english(client, plain_http):
    demo_load(today=timezone.localdate())
    url = "/sessions/session-3-practical-in-person/"

    japanese = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()

    assert '<html lang="ja">' in japanese
    assert "対面の場面におけるカスタマーハラスメント対策" in japanese
    assert "② 現場におけるカスタマーハラスメント防止の取組事例" in japanese
    assert "ツダ ノリコ" in japanese and "東京都美容生活衛生同業組合" in japanese
    assert "Measures for Handling Customer Harassment in In-Person Situations" not in japanese
    assert '<html lang="en">' in english
    assert "Measures for Handling Customer Harassment in In-Person Situations" in english
    assert "Tsuda Noriko" in english and "ツダ" not in english
