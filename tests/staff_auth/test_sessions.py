"""A staff session ends after a while without activity and at browser close; a new password ends the others."""
import time

import pytest
from django.test import Client

from staff_auth.selectors import LAST_SEEN_KEY
from tests.staff_auth.conftest import PASSWORD, sign_in, verified

pytestmark = pytest.mark.django_db


def idle_for(client, minutes: int) -> None:
    """Move the session's last request `minutes` into the past, as if the staff member had walked away."""
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_an_idle_session_ends_and_the_sign_in_says_why(client, superuser, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    verified(client, superuser)
    idle_for(client, 29)
    assert client.get("/en/admin/").status_code == 200

    idle_for(client, 31)
    response = client.get("/en/admin/seminars/session/")

    assert response["Location"] == "/en/admin/login/?next=/en/admin/seminars/session/"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "You were signed out after a while without activity" in login_page


def test_each_request_keeps_the_session_alive(client, superuser):
    verified(client, superuser)
    idle_for(client, 20)
    client.get("/en/admin/")
    idle_for_more = client.session[LAST_SEEN_KEY]

    assert idle_for_more >= int(time.time()) - 5


def test_the_staff_session_cookie_ends_with_the_browser(client, office):
    response = sign_in(client)

    cookie = response.cookies["sessionid"]
    assert response.status_code == 302
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_password_change_signs_out_the_other_sessions(superuser):
    here, elsewhere = Client(), Client()
    verified(here, superuser)
    sign_in(elsewhere, "chief")
    new_password = "another-long-password-2026"

    changed = here.post(
        "/en/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert changed["Location"] == "/en/admin/password_change/done/"
    assert here.get("/en/admin/").status_code == 200
    assert elsewhere.get("/en/admin/")["Location"].startswith("/en/admin/login/")
