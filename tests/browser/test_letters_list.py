"""The office's list "To send by post or FAX" in the browser: a letter to print, then marked sent."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from office.services import postal_contact_save
from registrations.enums import ApplicationOrigin
from registrations.services import application_create
from tests.registrations.conftest import open_session, service_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_prints_a_letter_and_marks_it_sent(page, server, screenshot_dir, settings):
    settings.STAFF_SECOND_FACTOR_REQUIRED = False  # the list is under test, not the sign-in
    call_command("create_office_user", "desk", "desk@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    application = application_create(session=open_session(), data=service_data(email=""), language="ja",
                                     origin=ApplicationOrigin.FAX)
    postal_contact_save(application=application, postal_code="163-8001",
                        postal_address="東京都新宿区西新宿二丁目8番1号", fax="03-5388-1234")
    client = Client()
    client.force_login(get_user_model().objects.get(username="desk"))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"{server.url}/admin/office/lettersent/")
    row = page.locator("#letters-to-send tbody tr")
    assert row.count() == 1 and "東京都新宿区西新宿二丁目8番1号" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "admin-letters-to-send.png"), full_page=True)
    pdf = page.request.get(server.url + row.get_by_role("link", name="書面（PDF）").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    row.locator("input[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("#no-letters").is_visible()
    assert "送付済みにしました" in page.locator("ul.messagelist").inner_text()
