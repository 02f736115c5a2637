"""The office sets up a passkey (Chromium's virtual authenticator over CDP) and signs in with it; in English, an
authenticator app. Screenshots of setting up and signing in, in both languages, go to var/test-artifacts/."""
import io
import re

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.staff_auth.conftest import unused_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-office-password-2025"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def office(settings, server):
    """An office user on a server that requires the second factor, as production does."""
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [server.url]
    call_command("create_office_user", "office", "office@example.org", password=PASSWORD, stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


def virtual_authenticator(page):
    """A platform authenticator that says yes at once (a fingerprint reader whose owner is present)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def sign_in_with_password(page, server, prefix=""):
    page.goto(f"{server.url}{prefix}/admin/")
    page.locator("input[name=username]").fill("office")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def sign_out(page):
    page.locator("#logout-form button").click()
    page.wait_for_url(re.compile(r"/admin/logout/"))


def test_office_sets_up_a_passkey_and_signs_in_with_it(page, server, office, screenshot_dir):
    page.set_viewport_size(DESKTOP)
    cdp, authenticator = virtual_authenticator(page)

    sign_in_with_password(page, server)
    page.wait_for_url(re.compile(r"/admin/second-factor/\?next="))
    expect(page.locator("h1")).to_have_text("2段階目の認証を設定する")
    expect(page.locator("#passkey-register-button")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "second-factor-setup-ja.png"), full_page=True)
    page.locator("#passkey-register-button").click()

    page.wait_for_url(re.compile(r"/admin/second-factor/recovery-codes/"))
    page.get_by_role("button", name="リカバリーコードを作る").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.screenshot(path=str(screenshot_dir / "second-factor-recovery-codes-ja.png"), full_page=True)
    page.get_by_role("link", name="保管しました。次へ進む").click()
    page.wait_for_url(f"{server.url}/admin/")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost"

    sign_out(page)
    sign_in_with_password(page, server)
    page.wait_for_url(re.compile(r"/admin/second-factor/verify/"))
    expect(page.locator("#passkey-verification-button")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "second-factor-verify-ja.png"), full_page=True)
    page.locator("#passkey-verification-button").click()

    page.wait_for_url(f"{server.url}/admin/")
    used = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert used[0]["signCount"] > credentials[0]["signCount"]
    page.locator("#user-tools").get_by_role("link", name="2段階目の認証").click()
    expect(page.locator("#content-main tbody tr")).to_have_count(1)
    expect(page.locator("#content-main tbody tr")).to_contain_text("パスキーまたはセキュリティキー")
    expect(page.locator("#content-main")).to_contain_text("未使用のリカバリーコードが 10 個あります。")
    page.screenshot(path=str(screenshot_dir / "second-factor-list-ja.png"), full_page=True)


def test_office_sets_up_an_authenticator_app_and_signs_in_with_a_code_in_english(page, server, office, screenshot_dir):
    page.set_viewport_size(DESKTOP)

    sign_in_with_password(page, server, prefix="/en")
    page.wait_for_url(re.compile(r"/en/admin/second-factor/\?next="))
    page.screenshot(path=str(screenshot_dir / "second-factor-setup-en.png"), full_page=True)
    page.get_by_role("link", name="Set up an authenticator app").click()
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    page.screenshot(path=str(screenshot_dir / "second-factor-authenticator-app-en.png"), full_page=True)
    page.get_by_label("Code").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/en/admin/second-factor/recovery-codes/"))
    page.get_by_role("button", name="Make my recovery codes").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.screenshot(path=str(screenshot_dir / "second-factor-recovery-codes-en.png"), full_page=True)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(f"{server.url}/en/admin/")

    sign_out(page)
    sign_in_with_password(page, server, prefix="/en")
    page.wait_for_url(re.compile(r"/en/admin/second-factor/verify/"))
    page.screenshot(path=str(screenshot_dir / "second-factor-verify-en.png"), full_page=True)
    page.get_by_label("Code").fill(unused_code(office, pyotp.TOTP(key)))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(f"{server.url}/en/admin/")
    expect(page.locator("h1")).to_be_visible()
