"""The session's page in admin at the office's laptop width (1,366 px) and on a tablet: tools beside, not over,
the title; the title fields wide enough to read the titles whole."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.registrations.conftest import open_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"laptop": {"width": 1366, "height": 768}, "tablet": {"width": 820, "height": 1180}}
TITLE_JA = "カスタマーハラスメント対策の基本と、企業・団体に求められる取組みの全体像"


def _boxes_overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_session_page_reads_at_the_offices_widths(page, server, screenshot_dir, settings, size):
    settings.STAFF_SECOND_FACTOR_REQUIRED = False  # the page's layout is under test, not the sign-in
    call_command("create_office_user", "desk", "desk@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    session = open_session(title_ja=TITLE_JA, title_en="Basics of preventing customer harassment, and what "
                           "businesses and industry bodies are expected to do")
    client = Client()
    client.force_login(get_user_model().objects.get(username="desk"))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
    page.set_viewport_size(SIZES[size])

    page.goto(f"{server.url}/admin/seminars/session/{session.pk}/change/")

    heading = page.locator("#content > h1, #content h2").first.bounding_box()
    for tool in page.locator(".object-tools li").all():
        assert not _boxes_overlap(tool.bounding_box(), heading), tool.inner_text()
    page.screenshot(path=str(screenshot_dir / f"admin-session-page-{size}.png"), full_page=False)
    title = page.locator("#id_title_ja")
    # The whole title shows in its field: nothing scrolled out of sight.
    assert title.evaluate("field => field.scrollWidth <= field.clientWidth"), title.bounding_box()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
