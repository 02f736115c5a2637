"""The statistics page in Chromium: the charts load under the admin's Content-Security-Policy, nothing is refused."""
import pytest
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.office_stats.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(settings, transactional_db):
    """A live server on plain HTTP, built after these settings (as tests/browser/conftest.py does).

    The admin's pages are never cached, so unlike the public pages' tests this needs no cache.clear().
    """
    settings.SECURE_SSL_REDIRECT = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    server = LiveServer("localhost")
    yield server
    server.stop()


def test_charts_show_without_any_csp_violation(page, server, office, series, dataset, screenshot_dir):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.set_viewport_size({"width": 1280, "height": 800})
    address = f"{server.url}{reverse('admin:office_stats_series', args=[series.pk])}"

    page.goto(address)
    page.locator("input[name=username]").fill("office")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(address)

    widths = page.evaluate("Array.from(document.querySelectorAll('.stats-chart img')).map(i => i.naturalWidth)")
    assert widths == [640] * 7
    assert page.locator("[data-figures=total] [data-name=applications]").inner_text() == "8"
    page.screenshot(path=str(screenshot_dir / "statistics-series.png"), full_page=True)
    refused = [line for line in console if "Content Security Policy" in line or "Refused" in line]
    assert not refused, refused
