"""The office imports a Zoom attendee report in the admin and sees the counts, on the result and the session's page."""
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from registrations.models import AttendanceRecord
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-office-password-2025"
REPORT = Path(__file__).resolve().parent.parent / "fixtures" / "attendance" / "zoom_webinar_attendee_ja.csv"
EMAILS = ["hanako.yamada@example.jp", "taro.suzuki@example.jp", "ichiro.sato@example.jp", "jiro.tanaka@example.jp",
          "mika.ito@example.jp", "ken.kato@example.jp", "yuki.kobayashi@example.jp"]


def english(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_office_imports_an_attendee_report_and_sees_the_counts(page, server, screenshot_dir):
    call_command("create_office_user", "office", "office@example.org", password=PASSWORD, stdout=io.StringIO())
    session = SessionFactory(starts_at=tokyo(2026, 12, 17, 14, 0), ends_at=tokyo(2026, 12, 17, 16, 0),
                             title_en="Preventing customer harassment: the basics", format="hybrid")
    for email in EMAILS:
        ApplicationFactory(session=session, email=email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_extra_http_headers({"Accept-Language": "en"})
    change = f"{server.url}{english('admin:seminars_session_change', session.pk)}"

    page.goto(change)
    page.locator("input[name=username]").fill("office")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(change)
    block = page.locator(".office-attendance")
    expect(block.locator("[data-count=not_recorded]")).to_have_text("7")
    page.locator(f"a[href='{english('admin:seminars_session_attendance_import', session.pk)}']").click()
    page.locator("input[type=file][name=report]").set_input_files(str(REPORT))
    page.screenshot(path=str(screenshot_dir / "attendance-import-form.png"), full_page=True)
    page.locator("form input[type=submit].default").click()

    page.wait_for_url("**/attendance/import/*/")
    counts = page.locator("#attendance-import-counts")
    for name, value in {"rows": "9", "matched": "6", "attended": "4", "absent": "3", "unmatched": "1"}.items():
        expect(counts.locator(f"[data-count={name}]")).to_have_text(value)
    expect(page.locator("#attendance-unmatched")).to_contain_text("guest.visitor@example.com")
    expect(page.locator("ul.messagelist")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "attendance-import-result.png"), full_page=True)

    page.goto(change)
    for name, value in {"applied": "7", "confirmed": "7", "attended": "4", "absent": "3", "not_recorded": "0",
                        "rate": "57%"}.items():
        expect(block.locator(f"[data-count={name}]")).to_have_text(value)
    block.scroll_into_view_if_needed()
    block.screenshot(path=str(screenshot_dir / "attendance-session-block.png"))
    assert AttendanceRecord.objects.count() == 7
