"""An applicant who attended opens the manage page and downloads the certificate of attendance."""
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from registrations.selectors import manage_token
from tests.certificates.conftest import apply, attend, held_session
from tests.certificates.test_certificates import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_downloads_the_certificate_from_the_manage_page(page, server, screenshot_dir):
    session = held_session(1, days_ago=3)
    application = attend(apply(session, language="en"))
    with translation.override("en"):
        manage = reverse("registrations:manage", kwargs={"token": manage_token(application)})

    page.goto(f"{server.url}{manage}")
    assert page.get_by_role("heading", name="Attendance and certificates").is_visible()
    page.screenshot(path=str(screenshot_dir / "manage-course-record.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the certificate of attendance (PDF)").click()

    download = info.value
    content = Path(download.path()).read_bytes()
    assert download.suggested_filename.startswith("certificate-of-attendance-CH-")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "山田花子" in text
    assert "Preventingcustomerharassment,part1" in text
