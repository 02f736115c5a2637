"""The archive list and an archived session in headless Chromium, at phone and desktop sizes."""
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from seminars.models import Material
from tests.browser.test_public_pages import VIEWPORTS
from tests.conftest import tokyo
from tests.factories import AppearanceFactory, ArchivedSessionFactory, SpeakerFactory
from tests.languages import en

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Stands in for YouTube's player, so the test never leaves the machine.
PLAYER_STUB = (
    "<!doctype html><html lang='en'><title>Player</title>"
    "<body style='margin:0;background:#111;color:#eee;font:16px sans-serif;display:grid;place-items:center;"
    "height:100vh'><p>Video player (test stand-in)</p></body></html>"
)
NOTICE = (
    "The copyrights to these materials and their contents belong to the lecturer and the Tokyo Metropolitan "
    "Government.\nUnauthorized reproduction, modification, redistribution, or use for commercial purposes is "
    "strictly prohibited."
)


def _thumbnail() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (11, 90, 107)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


def _archive():
    hara, inao = SpeakerFactory(name_en="Hara Masato"), SpeakerFactory(name_en="Inao Izumi")
    first = ArchivedSessionFactory(
        slug="session-1-basic",
        level_en="Basic Session",
        title_en="Basic Knowledge of Customer Harassment and Corporate Initiatives",
        archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE",
    )
    AppearanceFactory(session=first, speaker=hara, order=0)
    AppearanceFactory(session=first, speaker=inao, order=1)
    first.archive_captions.save("c.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:04.000\nWelcome.\n"), save=False)
    first.save()
    material = Material(session=first, title_en="Presentation materials (first half)", notice_en=NOTICE)
    material.file.save("slides.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    material.original_filename = "slides.pdf"
    material.save()

    second = ArchivedSessionFactory(
        slug="session-2-advanced",
        level_en="Advanced",
        title_en="Understanding Customer Harassment and Organizational Responses",
        starts_at=tokyo(2025, 9, 25, 14),
        applications_open_on=dt.date(2025, 8, 20),
        applications_close_on=dt.date(2025, 9, 19),
        archive_published_at=tokyo(2025, 10, 1),
        archive_video_url="https://vimeo.com/76979871",
    )
    second.archive_thumbnail.save("still.png", _thumbnail(), save=True)
    AppearanceFactory(session=second, speaker=SpeakerFactory(name_en="Fujiki Takeshi"))
    return first


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_archive_pages_render_and_pass_axe(page, live_server, screenshot_dir, axe_check, size):  # noqa: F811
    first = _archive()
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=PLAYER_STUB))
    page.route("https://player.vimeo.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=PLAYER_STUB))
    page.set_viewport_size(VIEWPORTS[size])
    page.set_extra_http_headers({"X-Forwarded-Proto": "https"})

    page.goto(live_server.url + "/en/archive/")
    cards = page.locator(".archive-card")
    assert cards.count() == 2
    assert "Understanding Customer Harassment" in cards.nth(0).inner_text()  # newest first
    thumb = page.locator(".archive-card__thumb img")
    thumb.scroll_into_view_if_needed()
    # loading="lazy": the page's load event does not wait for it; a broken image is complete with width 0.
    # expect() polls from Playwright's side; wait_for_function would eval a string, which the CSP may refuse.
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") == 320
    assert page.locator(".archive-card__placeholder").count() == 1
    _no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"archive-list-{size}.png"), full_page=True)
    axe_check(page)

    page.goto(live_server.url + en(first.get_absolute_url()))
    frame = page.locator("iframe")
    assert frame.get_attribute("title") == f"Archived video: {first.title_en}"
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"
    assert page.frame_locator("iframe").get_by_text("Video player (test stand-in)").is_visible()
    assert frame.bounding_box()["width"] > 300
    assert page.get_by_text("You can watch the archived video below.").is_visible()
    assert page.get_by_text("Unauthorized reproduction").is_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"archive-session-{size}.png"), full_page=True)
    axe_check(page)


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
