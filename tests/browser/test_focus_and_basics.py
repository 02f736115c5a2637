"""Focus visibility, what every public page carries (description, favicon, no console error),
axe-core on the accessibility page, and screenshots of the public pages in Japanese."""
import re

import pytest
from django.utils import timezone

from seminars.demo import demo_load
from tests.languages import en

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "home": "/",
    "session": "/sessions/session-3-practical-in-person/",
    "open-session": "/sessions/demo-open-follow-up/",  # places left, closing moment, calendar link
    "speaker": "/speakers/tsuda-noriko/",
    "archive": "/archive/",
    "accessibility": "/accessibility/",
}


def _luminance(rgb: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+(?:\.\d+)?", rgb)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two CSS rgb() colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_of_known_colours():
    assert round(contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)"), 1) == 21.0
    assert contrast("rgb(179, 71, 26)", "rgb(11, 90, 107)") < 1.5  # the old ring on the header


FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {tag: el.tagName, cls: el.className, outline: style.outlineColor, style: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""


def test_focus_ring_in_header_and_footer_stands_out_3_to_1(page, server):
    demo_load(today=timezone.localdate())
    page.goto(server.url + "/")
    header_bg = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    footer_bg = page.evaluate("getComputedStyle(document.querySelector('.site-footer')).backgroundColor")

    # Keyboard only: the skip link, then the site title, the two nav links and the link to the English page.
    seen = []
    for _ in range(5):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        seen.append(focus)
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        assert contrast(focus["outline"], header_bg) >= 3, (focus, header_bg)
    assert [f["tag"] for f in seen] == ["A", "A", "A", "A", "A"]
    assert page.evaluate("document.activeElement.getAttribute('hreflang')") == "en"

    page.locator(".site-footer a").last.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    focus = page.evaluate(FOCUS_STYLE)
    assert contrast(focus["outline"], footer_bg) >= 3, (focus, footer_bg)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_public_page_has_a_description_a_favicon_and_no_console_error(page, server, language):
    demo_load(today=timezone.localdate())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    for path in PAGES.values():
        response = page.goto(server.url + (en(path) if language == "en" else path))
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        description = page.locator('meta[name="description"]').get_attribute("content")
        assert description and len(description.strip()) > 20, path
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        assert page.request.get(server.url + icon).status == 200, path
        page.wait_for_load_state("networkidle")
    assert not errors, errors


@pytest.mark.parametrize("language", ["ja", "en"])
def test_accessibility_page_passes_axe(page, server, axe_check, language):
    demo_load(today=timezone.localdate())
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        page.goto(server.url + ("/en/accessibility/" if language == "en" else "/accessibility/"))
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        axe_check(page)


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_public_pages_in_japanese_fit_the_screen(page, server, screenshot_dir, axe_check, size):
    demo_load(today=timezone.localdate())
    page.set_viewport_size(VIEWPORTS[size])

    for name, path in PAGES.items():
        page.goto(server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        page.screenshot(path=str(screenshot_dir / f"public-ja-{name}-{size}.png"), full_page=True)
        axe_check(page)

    # The archive's empty message spans the content width, not a thumbnail column.
    page.goto(server.url + "/archive/")
    if page.locator(".empty-state").count():
        width = page.evaluate("document.querySelector('.empty-state').getBoundingClientRect().width")
        main = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
        assert width >= min(main - 40, 600), (width, main)
