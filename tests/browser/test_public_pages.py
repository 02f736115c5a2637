"""The public pages in headless Chromium at phone and desktop sizes, checked with axe-core."""
import pytest
from django.utils import timezone

from seminars.demo import demo_load
from tests.languages import en

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "home": "/",
    "session": "/sessions/session-3-practical-in-person/",
    "speaker": "/speakers/tsuda-noriko/",
}


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_public_pages_render_and_pass_axe(page, live_server, screenshot_dir, axe_check, size):
    demo_load(today=timezone.localdate())
    page.set_viewport_size(VIEWPORTS[size])
    # live_server speaks plain HTTP; say what production's proxy says, or the HTTPS redirect answers.
    page.set_extra_http_headers({"X-Forwarded-Proto": "https"})

    for name, path in PAGES.items():
        response = page.goto(live_server.url + en(path))  # the English pages
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        # Nothing wider than the viewport: no sideways scrolling on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        page.screenshot(path=str(screenshot_dir / f"public-{name}-{size}.png"), full_page=True)
        axe_check(page)

    page.goto(live_server.url + en(PAGES["session"]))
    assert page.get_by_text("Thursday, December 25, 2025").is_visible()
