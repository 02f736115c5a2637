"""A visitor switches to English and back, with every cache on: each time the page is in the chosen language."""
import pytest
from django.utils import timezone

from seminars.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SESSION = "/sessions/demo-open-follow-up/"


def test_switching_language_shows_the_same_page_in_the_other_language_and_back(page, server, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30  # the page cache on, as in production
    demo_load(today=timezone.localdate())

    for start in ("/", SESSION):
        page.goto(f"{server.url}{start}")
        assert page.locator("html").get_attribute("lang") == "ja"

        page.get_by_role("link", name="English").click()
        page.wait_for_url(f"{server.url}/en{start}")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("link", name="日本語").is_visible()
        if start == "/":
            assert page.get_by_role("heading", name="Sessions").is_visible()

        page.get_by_role("link", name="日本語").click()
        page.wait_for_url(f"{server.url}{start}")
        assert page.locator("html").get_attribute("lang") == "ja"
        if start == "/":
            assert page.get_by_role("heading", name="セッション一覧").is_visible()

        # Back and forward in the browser's history, from its own cache: still each page in its language.
        page.go_back()
        assert page.locator("html").get_attribute("lang") == "en"
        page.go_forward()
        assert page.locator("html").get_attribute("lang") == "ja"
