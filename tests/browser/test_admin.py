"""The office logs in, finds an application by its reference, cancels it with a reason and sees the mail."""
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from registrations.enums import ApplicationStatus, MailKind
from registrations.notifications import application_mail
from registrations.references import reference_display
from registrations.services import application_create
from tests.registrations.conftest import open_session, service_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-office-password-2025"
DESKTOP = {"width": 1280, "height": 900}


def test_office_finds_an_application_by_reference_and_cancels_it_with_a_reason(page, server, screenshot_dir):
    # As the office user is made in production; the command also restores the group a flush removed.
    call_command("create_office_user", "office", "office@example.org", password=PASSWORD, stdout=io.StringIO())
    session = open_session(capacity=20, title_en="Basics of preventing customer harassment")
    application = application_create(session=session, data=service_data(), language="ja")
    application_create(session=session, data=service_data(email="other@example.jp", name="鈴木 太郎"), language="ja")
    reference = reference_display(application.reference)
    page.set_viewport_size(DESKTOP)

    # The admin in English, as the office reads it: /en/admin/ (/admin/ is the Japanese one).
    page.goto(f"{server.url}/en/admin/")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server.url}/en/admin/")
    assert "Users" not in page.locator("#content-main").inner_text()
    page.screenshot(path=str(screenshot_dir / "admin-office-home.png"), full_page=True)

    # "Applications" is both the app's heading and its model: take the model's list.
    page.locator("a[href='/en/admin/registrations/application/']").first.click()
    page.locator("#searchbar").fill(reference)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    assert reference in rows.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "admin-office-search.png"), full_page=True)

    rows.first.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("cancel_on_request")
    page.locator("button[name=index]").click()  # "Go"
    assert page.locator("h1").inner_text() == "Cancel applications on the applicant's request"
    page.get_by_label("Reason").fill("The applicant phoned: a schedule conflict.")
    page.screenshot(path=str(screenshot_dir / "admin-office-cancel-form.png"), full_page=True)
    page.get_by_role("button", name="Cancel these applications").click()

    page.wait_for_url(re.compile(r"/en/admin/registrations/application/"))
    assert "Cancelled 1 application" in page.locator("ul.messagelist").inner_text()
    page.screenshot(path=str(screenshot_dir / "admin-office-cancelled.png"), full_page=True)
    page.get_by_role("link", name=reference).click()
    mail = page.locator("#outbox-message-content_type-object_id-group")
    assert "Cancellation notice" in mail.inner_text()
    assert "The applicant phoned: a schedule conflict." in page.locator("#audit_entries-group").inner_text()
    page.screenshot(path=str(screenshot_dir / "admin-office-application.png"), full_page=True)

    application.refresh_from_db()
    assert (application.status, application.cancelled_by) == (ApplicationStatus.CANCELLED, "office")
    assert application_mail(application).filter(kind=MailKind.CANCELLATION).count() == 1
