"""The pages satisfy their own Content-Security-Policy in a real browser: no violation anywhere.

Chromium reports each blocked script, style, frame or image as a `securitypolicyviolation`
event and a console error; either fails the test. The admin pages run their widgets' JS.
"""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from registrations.enums import MailKind
from registrations.notifications import application_notify
from seminars.demo import demo_load
from seminars.models import Session
from tests.factories import ApplicationFactory
from tests.languages import en

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (through DevTools, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def csp_page(page):
    """A page that remembers every CSP violation reported in the console or as an event."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    # live_server speaks plain HTTP; say what production's proxy says, or the HTTPS redirect answers.
    page.set_extra_http_headers({"X-Forwarded-Proto": "https"})

    def visit(url: str) -> list[str]:
        console.clear()
        response = page.goto(url)
        page.wait_for_load_state("load")
        assert response.status == 200, url
        assert "Content-Security-Policy" in {name.title() for name in response.headers}, url
        events = page.evaluate("window.__cspViolations")
        return events + [text for text in console if "Content Security Policy" in text]

    return visit


def _with_archive_videos(now):
    # Embeds from both allowed players, where the session page shows the archive video.
    Session.objects.filter(slug="session-1-basic").update(
        archive_video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", archive_published_at=now - dt.timedelta(days=1)
    )
    Session.objects.filter(slug="session-2-advanced").update(
        archive_video_url="https://vimeo.com/76979871", archive_published_at=now - dt.timedelta(days=1)
    )


def test_public_pages_cause_no_csp_violation(csp_page, live_server):
    demo_load(today=timezone.localdate())
    _with_archive_videos(timezone.now())
    paths = [
        "/",
        "/sessions/session-1-basic/",
        "/sessions/session-2-advanced/",
        "/sessions/demo-open-follow-up/",
        "/sessions/demo-open-follow-up/apply/",
        "/speakers/tsuda-noriko/",
        "/archive/",
        "/privacy/",
        "/admin/login/",
    ]

    violations = {path: csp_page(live_server.url + en(path)) for path in paths}  # the English pages

    assert violations == {path: [] for path in paths}


def test_admin_pages_cause_no_csp_violation(csp_page, live_server, client, page):
    demo_load(today=timezone.localdate())
    session = Session.objects.get(slug="session-2-advanced")
    application = ApplicationFactory(session=session)
    mail = application_notify(application, MailKind.RECEIPT)
    office = get_user_model().objects.create_superuser("office", password="a-long-office-password")
    client.force_login(office)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    paths = [
        "/admin/",
        "/admin/seminars/session/",
        f"/admin/seminars/session/{session.pk}/change/",
        "/admin/seminars/session/add/",
        "/admin/speakers/speaker/add/",
        "/admin/registrations/application/",
        f"/admin/registrations/application/{application.pk}/change/",
        f"/admin/outbox/message/{mail.pk}/change/",
    ]

    violations = {path: csp_page(live_server.url + en(path)) for path in paths}  # the admin in English

    assert violations == {path: [] for path in paths}
