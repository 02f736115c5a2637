"""Staff reach no admin page on a password alone; authenticator apps and recovery codes; the lockout."""
import re

import pyotp
import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

from staff_auth.services import recovery_codes_replace
from tests.staff_auth.conftest import authenticator_app_added, sign_in, unused_code, verified

pytestmark = pytest.mark.django_db

SAMPLE_ARGUMENTS = {"app_label": "registrations"}


def _admin_resolver(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                return pattern
            found = _admin_resolver(pattern)
            if found:
                return found
    return None


def admin_urls(language: str) -> dict[str, str]:
    """Every named page of the admin, as the apps registered them (model pages and the office's own pages)."""
    admin_resolver = _admin_resolver(get_resolver())
    urls = {}
    with translation.override(language):
        for name in {key for key in admin_resolver.reverse_dict if isinstance(key, str)}:
            params = admin_resolver.reverse_dict.getlist(name)[0][0][0][1]
            urls[name] = reverse(f"admin:{name}", kwargs={p: SAMPLE_ARGUMENTS.get(p, "1") for p in params})
    return urls


def test_the_admin_has_the_office_pages_this_test_walks():
    names = set(admin_urls("ja"))
    # The exports, statistics, attendance, questionnaire results and draw are named admin pages too.
    assert {"index", "seminars_session_applicants", "seminars_session_changelist", "password_change"} <= names
    assert len([name for name in names if "questionnaire" in name]) >= 3
    assert any("draw" in name for name in names) and any("attendance" in name for name in names)
    assert any(name.startswith("office_stats") for name in names)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_password_alone_reaches_no_admin_page(client, superuser, language):
    sign_in(client, "chief", prefix="" if language == "ja" else "/en")
    prefix = "" if language == "ja" else "/en"

    for name, url in admin_urls(language).items():
        if name in ("login", "logout"):
            continue
        response = client.get(url)
        assert response.status_code == 302, (name, url, response.status_code)
        assert response["Location"].startswith(f"{prefix}/admin/second-factor/?next="), (name, response["Location"])
    # An action (the CSV export) posted to a list is refused the same way.
    export = client.post(
        f"{prefix}/admin/registrations/application/", {"action": "export_csv", "select_across": "1", "index": "0"}
    )
    assert export.status_code == 302 and "second-factor" in export["Location"]


def test_a_new_staff_member_sets_up_an_authenticator_app_then_recovery_codes(client, office):
    sign_in(client)

    setup = client.get("/admin/", follow=True)
    assert setup.redirect_chain[-1][0] == "/admin/second-factor/?next=%2Fadmin%2F"
    app_page = client.get("/admin/second-factor/app/?next=/admin/")
    key = re.search(r'<code id="totp-key">([A-Z2-7 ]+)</code>', app_page.content.decode()).group(1).replace(" ", "")
    confirmed = client.post("/admin/second-factor/app/", {"code": pyotp.TOTP(key).now(), "next": "/admin/"})
    assert confirmed["Location"] == "/admin/second-factor/recovery-codes/?next=%2Fadmin%2F"
    codes_page = client.post("/admin/second-factor/recovery-codes/", {"next": "/admin/"})
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    # Shown once: the page that lists them makes new ones, and only on a POST.
    assert codes[0] not in client.get("/admin/second-factor/recovery-codes/").content.decode()


def test_the_next_sign_in_asks_for_a_code_from_the_app(office):
    app = authenticator_app_added(office)
    client = Client()
    sign_in(client)

    asked = client.get("/en/admin/seminars/session/")
    accepted = client.post(
        "/admin/second-factor/verify/", {"code": unused_code(office, app), "next": "/en/admin/seminars/session/"}
    )

    assert asked["Location"] == "/en/admin/second-factor/verify/?next=%2Fen%2Fadmin%2Fseminars%2Fsession%2F"
    assert accepted["Location"] == "/en/admin/seminars/session/"
    assert client.get("/en/admin/seminars/session/").status_code == 200


def test_a_recovery_code_works_once(office):
    authenticator_app_added(office)
    codes = recovery_codes_replace(user=office)
    first, second = Client(), Client()

    sign_in(first)
    used = first.post("/admin/second-factor/verify/", {"code": codes[0].upper(), "next": "/admin/"})
    sign_in(second)
    again = second.post("/en/admin/second-factor/verify/", {"code": codes[0], "next": "/admin/"})

    assert used["Location"] == "/admin/" and first.get("/admin/").status_code == 200
    assert again.status_code == 200 and "This code was not accepted" in again.content.decode()
    assert second.get("/admin/")["Location"].startswith("/admin/second-factor/verify/")


def test_wrong_codes_count_toward_the_lockout_with_wrong_passwords(office):
    app = authenticator_app_added(office)
    client = Client()
    sign_in(client, password="wrong-guess")
    sign_in(client)

    wrong = {"code": "000000", "next": "/admin/"}
    statuses = [client.post("/admin/second-factor/verify/", wrong).status_code for _n in range(4)]

    # One wrong password and four wrong codes: the fifth failure locks the pair out and signs the session out.
    assert statuses == [200, 200, 200, 429]
    assert AccessAttempt.objects.get(username="office").failures_since_start == 5
    assert "_auth_user_id" not in client.session
    locked = sign_in(client)
    assert locked.status_code == 429 and "ログインの失敗が多すぎます" in locked.content.decode()
    # A code from the app no longer helps: the session has to start with the password again.
    after = client.post("/admin/second-factor/verify/", {"code": unused_code(office, app), "next": "/admin/"})
    assert after["Location"].startswith("/admin/login/")


def test_a_wrong_code_at_enrolment_is_refused_with_a_message(client, office):
    sign_in(client)

    wrong = client.post("/en/admin/second-factor/app/", {"code": "000000", "next": "/en/admin/"})

    assert wrong.status_code == 200 and "This code does not match" in wrong.content.decode()
    assert client.get("/en/admin/")["Location"].startswith("/en/admin/second-factor/?next=")


def test_a_complete_sign_in_forgets_the_failures_a_password_alone_does_not(office):
    app = authenticator_app_added(office)
    client = Client()
    sign_in(client, password="wrong-guess")

    sign_in(client)
    after_password = AccessAttempt.objects.get(username="office").failures_since_start
    client.post("/admin/second-factor/verify/", {"code": unused_code(office, app), "next": "/admin/"})

    assert after_password == 1
    assert not AccessAttempt.objects.filter(username="office").exists()


def test_the_second_step_reads_in_japanese_and_english(office):
    authenticator_app_added(office)
    client = Client()
    sign_in(client)

    japanese = client.get("/admin/second-factor/verify/?next=/admin/").content.decode()
    english = client.get("/en/admin/second-factor/verify/?next=/en/admin/").content.decode()

    assert "ログイン（2段階目）" in japanese and 'lang="ja"' in japanese
    assert "Second step of signing in" in english and 'id="site-name"' in english


def test_a_verified_session_opens_the_admin(client, superuser):
    verified(client, superuser)

    assert client.get("/admin/").status_code == 200
    assert client.get("/en/admin/registrations/application/").status_code == 200
    assert client.get(f"/admin/auth/user/{superuser.pk}/change/").status_code == 200


def test_where_it_is_not_required_a_password_opens_the_admin_unless_a_second_factor_was_set_up(settings, office):
    settings.STAFF_SECOND_FACTOR_REQUIRED = False
    without = Client()
    sign_in(without)
    assert without.get("/admin/").status_code == 200

    authenticator_app_added(office)
    with_app = Client()
    sign_in(with_app)
    assert with_app.get("/admin/")["Location"] == "/admin/second-factor/verify/?next=%2Fadmin%2F"


def test_the_passkey_script_speaks_japanese(client):
    japanese = client.get("/admin/second-factor/passkeys/jsi18n/").content.decode()
    english = client.get("/en/admin/second-factor/passkeys/jsi18n/").content.decode()

    assert "\\u30d1\\u30b9\\u30ad\\u30fc\\u3092\\u4f7f\\u3046" in japanese or "パスキーを使う" in japanese
    assert "パスキー" not in english and "\\u30d1" not in english
