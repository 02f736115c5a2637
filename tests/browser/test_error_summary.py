"""An applicant on a phone sends the form empty: the error summary takes focus, its links lead to the fields."""
import pytest
from playwright.sync_api import expect

from tests.registrations.conftest import open_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_empty_form_on_a_phone_focuses_the_summary_whose_links_focus_their_fields(
    page, server, screenshot_dir, axe_check
):
    session = open_session(title="カスタマーハラスメントの基礎")
    page.set_viewport_size(PHONE)
    refused = []  # CSP violations: the summary's script must be one the policy allows.
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

    page.goto(f"{server.url}/sessions/{session.slug}/apply/")
    page.locator("form[novalidate] [type=submit]").click()
    page.wait_for_selector("#error-summary")

    # Focus is on the summary after the failed submit (static/js/error-summary.js; no inline script under the CSP).
    # expect() polls from Playwright's side; a wait_for_function string is eval'd in the page, which the CSP refuses.
    expect(page.locator("#error-summary")).to_be_focused()
    summary = page.locator("#error-summary")
    assert summary.locator("a[href='#id_name']").inner_text().startswith("氏名")
    assert summary.locator("a[href='#id_consent']").count() == 1
    assert not refused, refused

    # The consent error sits under its checkbox, as wide as the box, not squeezed beside the label.
    checkbox = page.locator("#id_consent").bounding_box()
    label = page.locator("label[for=id_consent]").bounding_box()
    error = page.locator("#id_consent_error").bounding_box()
    assert error["y"] >= max(checkbox["y"] + checkbox["height"], label["y"] + label["height"]) - 1
    assert error["x"] <= checkbox["x"] + 2 < label["x"]
    assert error["width"] >= label["width"]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the form scrolls sideways by {overflow}px"

    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "ja-apply-errors-phone.png"), full_page=True)
    page.screenshot(path=str(screenshot_dir / "ja-apply-errors-phone-viewport.png"))

    # Each link focuses its field and brings the field's label into view with it.
    for target in ("id_email", "id_consent", "id_industry"):
        page.locator(f"#error-summary a[href='#{target}']").click()
        assert _focused_id(page) == target
        label_box = page.locator(f"label[for={target}]").bounding_box()
        assert 0 <= label_box["y"] <= PHONE["height"] - label_box["height"], target
        page.locator("#error-summary").scroll_into_view_if_needed()
