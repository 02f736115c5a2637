"""The demo content: the five seed sessions plus four sessions dated around today, and archives."""
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from seminars.demo import demo_load
from seminars.models import Material, Series, Session, Topic
from speakers.models import Appearance, Speaker

pytestmark = pytest.mark.django_db

SEED_SLUGS = [
    "session-1-basic",
    "session-2-advanced",
    "session-3-practical-in-person",
    "session-4-practical-phone",
    "session-5-practical-visits",
]


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Series, Session, Topic, Speaker, Appearance, Material)
    }


def test_load_demo_creates_five_seed_and_four_demo_sessions():
    call_command("load_demo")

    slugs = list(Session.objects.order_by("number").values_list("slug", flat=True))
    assert len(slugs) == 9
    assert slugs[:5] == SEED_SLUGS
    assert Speaker.objects.count() == 9
    # Two speakers appear in more than one session, as on the seed page.
    assert Appearance.objects.filter(speaker__slug="tsuda-noriko").count() >= 2
    assert Appearance.objects.filter(speaker__slug="fujiki-takeshi").count() >= 2


def test_load_demo_is_idempotent():
    call_command("load_demo")
    first = _counts()
    material_file = Material.objects.get().file.name

    call_command("load_demo")

    assert _counts() == first
    # The demo slides are not uploaded again under a new name.
    assert Material.objects.get().file.name == material_file


def _badge_by_title(html: str) -> dict[str, str]:
    """Map each session card's title to the state class of its badge."""
    cards = re.findall(r'<li class="session-card">(.*?)</li>\s*(?=<li class="session-card">|</ol>)', html, re.DOTALL)
    found = {}
    for card in cards:
        state = re.search(r'class="badge badge--(\w+)"', card).group(1)
        title = re.search(r'<h3 class="session-card__title"><a [^>]*>(.*?)</a>', card).group(1)
        # The title is cut into phrases (seminar_tags.phrases): read it as people see it.
        found[re.sub(r"<[^>]+>|\u200b", "", title)] = state
    return found


def test_home_shows_each_demo_session_with_its_state(client):
    # The demo sessions are dated relative to today; the seed sessions lie in the past.
    demo_load(today=timezone.localdate())

    response = client.get("/en/")

    assert response.status_code == 200
    badges = _badge_by_title(response.content.decode())
    assert len(badges) == 9
    by_slug = {s.slug: badges[s.title_en] for s in Session.objects.all()}
    assert by_slug["demo-open-follow-up"] == "open"
    assert by_slug["demo-upcoming-legal-update"] == "upcoming"
    assert by_slug["demo-closed-case-clinic"] == "closed"
    assert by_slug["demo-held-questions"] == "archived"
    for slug in SEED_SLUGS:
        assert by_slug[slug] in ("held", "archived"), slug
    content = response.content.decode()
    for label in ("Open for applications", "Applications not yet open", "Applications closed", "Held"):
        assert f">{label}</span>" in content


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
