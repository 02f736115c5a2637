"""The HTML mails as a phone shows them (390 px): long links wrap, nothing scrolls sideways, phrases stay whole."""
import datetime as dt

import pytest
from django.utils import timezone

from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application
from registrations.notifications import mail_render
from seminars.enums import ArchiveAccess
from tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}


def _application(language: str) -> Application:
    now = timezone.now()
    session = SessionFactory(
        title_ja="カスタマーハラスメントの基礎知識と企業に求められる対策の全体像",
        title_en="The basics of customer harassment and what every organisation is expected to do about it",
        starts_at=now - dt.timedelta(days=2), applications_open_on=(now - dt.timedelta(days=30)).date(),
        applications_close_on=(now - dt.timedelta(days=5)).date(),
        joining_url="https://us06web.zoom.us/w/81234567890?tk=" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789" * 3,
        archive_video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", archive_access=ArchiveAccess.APPLICANTS,
        archive_published_at=now - dt.timedelta(hours=1),
    )
    return Application.objects.create(
        session=session, reference="ABCD2345", manage_secret="s" * 43, status=ApplicationStatus.CONFIRMED,
        name="山田 花子" if language == "ja" else "Hanako Yamada", email="hanako.yamada@example.jp",
        organisation="株式会社サンプル商事", language=language, consented_at=now, privacy_notice_version="2026-12",
    )


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("kind", [MailKind.FOLLOW_UP, MailKind.CONFIRMATION, MailKind.ARCHIVE])
def test_mail_fits_a_phone_without_sideways_scrolling(page, screenshot_dir, settings, kind, language):
    # A long public address, as a municipality's own domain gives.
    settings.SITE_URL = "https://customer-harassment-taisaku.seminars.example.metro.tokyo.lg.jp"
    application = _application(language)
    html = mail_render(application, kind, data={"questionnaire": True}, now=timezone.now())["body_html"]
    page.set_viewport_size(PHONE)

    page.set_content(html)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(screenshot_dir / f"mail-{kind}-{language}-phone.png"), full_page=True)
    assert overflow <= 0, f"the {kind} mail scrolls sideways by {overflow}px"
    # No heading or label broken inside a phrase or a word ("セッショ/ン").
    broken = page.evaluate("""() => {
        const broken = [];
        for (const span of document.querySelectorAll('span[style*="keep-all"]')) {
            const node = span.firstChild;
            if (!node || node.nodeType !== Node.TEXT_NODE) continue;
            let start = 0;
            // Japanese phrases (cut at U+200B) and words (cut at spaces): each must sit on one line.
            for (const phrase of node.textContent.split(/[\\u200b ]/)) {
                const range = document.createRange();
                range.setStart(node, start);
                range.setEnd(node, start + phrase.length);
                const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
                if (lines.size > 1) broken.push(phrase);
                start += phrase.length + 1;
            }
        }
        return broken;
    }""")
    assert broken == [], broken
