"""The office enters an application taken by phone, writes a note, and sends an announcement, in the admin."""
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from office.models import Announcement, Note
from outbox.models import Message
from registrations.enums import ApplicationOrigin, ApplicationStatus, MailKind
from registrations.models import Application
from seminars.enums import Allocation
from tests.factories import ApplicationFactory
from tests.registrations.conftest import open_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-office-password-2025"
DESKTOP = {"width": 1280, "height": 900}
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "office"


def _shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _log_in(page, server, prefix):
    call_command("create_office_user", "desk", "desk@example.org", password=PASSWORD, stdout=io.StringIO())
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server.url}{prefix}/admin/")
    page.locator("#id_username").fill("desk")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{server.url}{prefix}/admin/")


@pytest.mark.parametrize("prefix", ["/en", ""])
def test_office_enters_a_phone_application_and_sends_an_announcement(page, server, prefix):
    session = open_session(capacity=20, title_en="Basics of preventing customer harassment")
    ApplicationFactory(session=session, language="en", name="Jane Smith", email="jane@example.org")
    _log_in(page, server, prefix)
    language = "en" if prefix else "ja"

    page.goto(f"{server.url}{prefix}/admin/seminars/session/{session.pk}/change/")
    page.locator(f"a[href='{prefix}/admin/seminars/session/{session.pk}/office/apply/']").click()
    page.locator("input[name=origin][value=phone]").check()
    for field, value in {"name": "山田 花子", "name_reading": "ヤマダ ハナコ", "email": "hanako@example.jp",
                         "email_again": "hanako@example.jp", "organisation": "株式会社サンプル", "department": "人事部",
                         "position": "課長", "phone": "03-1234-5678"}.items():
        page.locator(f"#id_{field}").fill(value)
    for field, value in {"industry": "retail", "organisation_size": "100-299", "prefecture": "13"}.items():
        page.locator(f"#id_{field}").select_option(value)
    page.locator("#id_consent").check()
    _shot(page, f"enter-application-{language}")
    page.locator("#content-main input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/registrations/application/\d+/change/"))

    application = Application.objects.get(email="hanako@example.jp")
    assert (application.origin, application.status) == (ApplicationOrigin.PHONE, ApplicationStatus.CONFIRMED)
    assert application.consent_recorded_by.username == "desk"
    page.locator(f"a[href='{prefix}/admin/office/note/add/?application={application.pk}']").click()
    page.locator("#id_text").fill("Asked for the receipt by post.")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(rf"/admin/registrations/application/{application.pk}/change/"))
    assert "Asked for the receipt by post." in page.locator("#office_notes-group").inner_text()
    _shot(page, f"application-with-note-{language}")
    assert Note.objects.get().written_by.username == "desk"

    page.goto(f"{server.url}{prefix}/admin/seminars/session/{session.pk}/change/")
    page.locator(f"a[href='{prefix}/admin/office/announcement/add/?session={session.pk}']").click()
    page.locator("#id_subject_ja").fill("資料公開のお知らせ")
    page.locator("#id_body_ja").fill("当日の資料を公開しました。")
    page.locator("#id_subject_en").fill("The materials are online")
    page.locator("#id_body_en").fill("The slides of the session are online.")
    _shot(page, f"announcement-write-{language}")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/office/announcement/\d+/change/"))
    assert page.locator("#recipient-count strong").inner_text() == "2"
    _shot(page, f"announcement-preview-{language}")
    page.locator("#announcement-send input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/office/announcement/\d+/change/"))
    _shot(page, f"announcement-sent-{language}")

    announcement = Announcement.objects.get()
    assert announcement.recipients == 2
    rows = Message.objects.filter(kind=MailKind.ANNOUNCEMENT)
    assert set(rows.values_list("to_email", "subject")) == {
        ("hanako@example.jp", "資料公開のお知らせ"), ("jane@example.org", "The materials are online"),
    }
    page.goto(f"{server.url}{prefix}/admin/office/announcement/")
    _shot(page, f"announcement-list-{language}")


def test_office_runs_a_draw_and_sends_the_results(page, server):
    today = timezone.localdate()
    session = open_session(capacity=2, waitlist_enabled=True, allocation=Allocation.LOTTERY,
                           applications_open_on=today - dt.timedelta(days=9),
                           applications_close_on=today - dt.timedelta(days=1), title_en="Practical session")
    for n in range(5):
        ApplicationFactory(session=session, status=ApplicationStatus.AWAITING_DRAW, name=f"応募者 {n + 1}")
    _log_in(page, server, "/en")

    page.goto(f"{server.url}/en/admin/seminars/session/{session.pk}/change/")
    page.locator(f"a[href='/en/admin/seminars/session/{session.pk}/office/draw/']").click()
    _shot(page, "draw-before")
    page.locator("input[name=run]").click()
    page.wait_for_url(re.compile(r"/office/draw/$"))
    _shot(page, "draw-result")
    assert page.locator("#draw-result tbody tr").count() == 5
    assert not Message.objects.filter(kind=MailKind.DRAW_RESULT).exists()
    page.locator("input[name=send]").click()
    page.wait_for_url(re.compile(r"/office/draw/$"))
    _shot(page, "draw-results-sent")
    assert Message.objects.filter(kind=MailKind.DRAW_RESULT).count() == 5
