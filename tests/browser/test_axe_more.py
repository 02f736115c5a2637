"""axe-core on the accessibility page and the error summary in both languages; the demo archive
stays on this machine; the empty archive reads well; every public page at both sizes in both
languages, screenshot into var/screens/ for a person to look at.

The browser never leaves the machine: the video services' players are answered by a stand-in,
and any other request to another host is refused and fails the test.
"""
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from registrations.selectors import manage_token
from seminars.demo import demo_load
from seminars.models import Session
from tests.factories import ApplicationFactory
from tests.registrations.conftest import open_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
PREFIX = {"ja": "", "en": "/en"}
SCREENS = settings.BASE_DIR / "var" / "screens"
PLAYER_HOSTS = {"www.youtube-nocookie.com", "player.vimeo.com"}
PLAYER_STUB = (
    "<!doctype html><html lang='en'><title>Player</title>"
    "<body style='margin:0;background:#111;color:#eee;font:16px sans-serif;display:grid;place-items:center;"
    "height:100vh'><p>Video player (test stand-in)</p></body></html>"
)


@pytest.fixture
def offline(page):
    """Keep the page on this machine: players get a stand-in, other hosts are refused and recorded.

    Returns the record: {"off_machine": [urls], "errors": [console errors and page errors]}.
    """
    record = {"off_machine": [], "errors": []}

    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host in ("localhost", "127.0.0.1"):
            request_route.continue_()
        elif host in PLAYER_HOSTS:
            request_route.fulfill(status=200, content_type="text/html", body=PLAYER_STUB)
        else:
            record["off_machine"].append(request_route.request.url)
            request_route.abort()

    def console(message):
        # A failed load is recorded from its response below; a page's own status (the form's designed
        # 400, the 404 page) is what the test asserts, not an error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            record["errors"].append(message.text)

    def response(answer):
        if answer.status >= 400 and answer.request.resource_type != "document":
            record["errors"].append(f"{answer.status} {answer.url}")

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: record["errors"].append(str(error)))
    page.on("response", response)
    return record


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_accessibility_page_passes_axe_at_both_sizes(page, server, axe_check, offline, language):
    demo_load(today=timezone.localdate())
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        page.goto(f"{server.url}{PREFIX[language]}/accessibility/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        _no_sideways_scroll(page)
        axe_check(page)
    assert not offline["off_machine"] and not offline["errors"], offline


@pytest.mark.parametrize("language", ["ja", "en"])
def test_error_summary_passes_axe_at_both_sizes(page, server, axe_check, offline, language):
    session = open_session(title_ja="カスタマーハラスメントの基礎", title_en="Basics of customer harassment")
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        page.goto(f"{server.url}{PREFIX[language]}/sessions/{session.slug}/apply/")
        page.locator("form[novalidate] [type=submit]").click()
        page.wait_for_selector("#error-summary:focus")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#error-summary a").count() >= 5
        _no_sideways_scroll(page)
        axe_check(page)
    assert not offline["off_machine"] and not offline["errors"], offline


def test_demo_archive_and_a_held_session_stay_on_this_machine(page, server, axe_check, offline):
    """The archive list and session 3 (visited by the other browser tests) embed no player."""
    demo_load(today=timezone.localdate())

    for path in ("/archive/", "/en/archive/", "/sessions/session-3-practical-in-person/",
                 "/sessions/demo-held-questions/"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("iframe").count() == 0, path

    page.goto(server.url + "/en/archive/")
    cards = page.locator(".archive-card")
    assert cards.count() == 3
    assert "Your Questions Answered" in cards.nth(0).inner_text()  # newest first
    assert "Applicants only" in cards.nth(0).inner_text()
    axe_check(page)
    assert not offline["off_machine"] and not offline["errors"], offline


def test_demo_captions_are_a_webvtt_file_offered_with_the_video(page, server, offline):
    demo_load(today=timezone.localdate())
    session = Session.objects.get(slug="session-2-advanced")

    page.goto(f"{server.url}/en{session.get_absolute_url()}")
    link = page.get_by_role("link", name="Captions and transcript (WebVTT file)")
    response = page.request.get(server.url + link.get_attribute("href"))

    assert response.status == 200
    assert response.text().startswith("WEBVTT")
    assert page.frame_locator("iframe").get_by_text("Video player (test stand-in)").is_visible()
    assert not offline["off_machine"], offline


@pytest.mark.parametrize("language", ["ja", "en"])
def test_empty_archive_reads_as_one_panel_across_the_page(page, server, axe_check, offline, language):
    open_session()  # a series, no archive
    for name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.goto(f"{server.url}{PREFIX[language]}/archive/")
        panel = page.locator(".empty-state")
        assert panel.count() == 1
        width = panel.bounding_box()["width"]
        main = page.locator("main").bounding_box()["width"]
        assert width >= min(main - 48, 600), (name, width, main)
        # The message, what happens next and the way on: one column, in reading order.
        heading, next_step, button = (panel.locator(s).bounding_box() for s in ("p >> nth=0", "p >> nth=1", ".btn"))
        assert heading["y"] < next_step["y"] < button["y"], name
        axe_check(page)
        page.screenshot(path=str(_screens() / f"{language}-archive-empty-{name}.png"), full_page=True)
    assert not offline["off_machine"] and not offline["errors"], offline


def _screens():
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS


def _public_pages():
    """Return (name, path) of every public page kind, with an application for the private pages."""
    demo_load(today=timezone.localdate())
    applying = ApplicationFactory(
        session=Session.objects.get(slug="demo-open-follow-up"), name="山田 花子", organisation="株式会社サンプル商事",
        department="人事部",
    )
    watching = ApplicationFactory(session=Session.objects.get(slug="demo-held-questions"))
    pages = [
        ("home", "/"),
        ("session-open", "/sessions/demo-open-follow-up/"),
        ("session-upcoming", "/sessions/demo-upcoming-legal-update/"),
        ("session-closed", "/sessions/demo-closed-case-clinic/"),
        ("session-held", "/sessions/session-3-practical-in-person/"),
        ("session-archived", "/sessions/session-1-basic/"),
        ("session-archived-captions-materials", "/sessions/session-2-advanced/"),
        ("session-archived-applicants-only", "/sessions/demo-held-questions/"),
        ("archive", "/archive/"),
        ("speaker", "/speakers/tsuda-noriko/"),
        ("apply", "/sessions/demo-open-follow-up/apply/"),
        ("apply-errors", "/sessions/demo-open-follow-up/apply/"),
        ("receipt", f"/applications/{manage_token(applying)}/received/"),
        ("manage", f"/applications/{manage_token(applying)}/"),
        ("manage-archive", f"/applications/{manage_token(watching)}/"),
        ("cancel", f"/applications/{manage_token(applying)}/cancel/"),
        ("privacy", "/privacy/"),
        ("accessibility", "/accessibility/"),
        ("404", "/no-such-page/"),
    ]
    return pages


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_public_page_fits_both_sizes_passes_axe_and_is_screenshot(page, server, axe_check, offline, language):
    pages = _public_pages()
    for size_name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        for name, path in pages:
            response = page.goto(f"{server.url}{PREFIX[language]}{path}")
            assert response.status == (404 if name == "404" else 200), path
            if name == "apply-errors":
                page.locator("form[novalidate] [type=submit]").click()
                page.wait_for_selector("#error-summary")
            assert page.locator("html").get_attribute("lang") == language, path
            assert page.locator("h1").count() == 1, path
            _no_sideways_scroll(page)
            axe_check(page)
            page.screenshot(path=str(_screens() / f"{language}-{name}-{size_name}.png"), full_page=True)
    assert not offline["off_machine"], offline
    assert not offline["errors"], offline
