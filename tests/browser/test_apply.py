"""An applicant on a phone applies, reads the completion page, opens the manage link and cancels."""
import re

import pytest

from registrations.enums import ApplicationStatus
from registrations.models import Application
from tests.browser.conftest import required
from tests.registrations.conftest import open_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_applicant_applies_on_a_phone_then_cancels_through_the_manage_link(
    page, server, screenshot_dir, axe_check
):
    session = open_session(capacity=20, waitlist_enabled=True, title_en="Basics of preventing customer harassment")
    page.set_viewport_size(PHONE)

    page.goto(f"{server.url}/en/sessions/{session.slug}/apply/")
    assert page.locator("h1").inner_text().startswith("Apply for")
    axe_check(page)
    page.get_by_label(required("Name")).fill("山田 花子")
    page.get_by_label("Name reading in kana (optional)").fill("やまだ はなこ")
    page.get_by_label(required("Email address")).fill("hanako@example.jp")
    page.get_by_label("Email address again").fill("hanako@example.jp")
    page.get_by_label(required("Organisation")).fill("株式会社サンプル商事")
    page.get_by_label("Department").fill("人事部")
    page.get_by_label("Position").fill("課長")
    page.get_by_label("Industry").select_option("retail")
    page.get_by_label("Organisation size").select_option("100-299")
    page.get_by_label("Prefecture of your workplace").select_option(label="Tokyo")
    page.get_by_label("Phone (optional)").fill("090-1234-5678")
    page.get_by_label("I have read the privacy notice and agree to it.").check()
    page.screenshot(path=str(screenshot_dir / "apply-form-phone.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the form scrolls sideways by {overflow}px"
    page.get_by_role("button", name="Send application").click()

    page.wait_for_url(re.compile(r"/en/applications/[^/]+/received/$"))  # still in English
    application = Application.objects.get()
    reference = f"{application.reference[:4]}-{application.reference[4:]}"
    assert "your application has been received" in page.locator("h1").inner_text()
    assert reference in page.locator(".reference").inner_text()
    assert "Your place is confirmed." in page.content()
    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "apply-completion-phone.png"), full_page=True)

    page.locator(".manage-link a").click()
    page.wait_for_url(re.compile(r"/en/applications/[^/]+/$"))
    assert page.locator("h1").inner_text() == "Your application"
    page.get_by_role("link", name="Cancel this application").click()
    axe_check(page)
    page.get_by_label("Yes, cancel my application.").check()
    page.screenshot(path=str(screenshot_dir / "apply-cancel-phone.png"), full_page=True)
    page.get_by_role("button", name="Cancel my application").click()

    page.wait_for_url(re.compile(r"/en/applications/[^/]+/$"))
    assert "Your application has been cancelled." in page.content()
    assert "Cancelled" in page.locator(".status").inner_text()
    page.screenshot(path=str(screenshot_dir / "apply-cancelled-phone.png"), full_page=True)
    application.refresh_from_db()
    assert (application.status, application.cancelled_by) == (ApplicationStatus.CANCELLED, "applicant")
