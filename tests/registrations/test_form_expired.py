"""An application form sent after its CSRF token expired comes back filled in, with a fresh token, and goes through."""
import re

import pytest
from django.test import Client

from registrations.models import Application
from tests.languages import en
from tests.registrations.conftest import applicant_data, open_session

pytestmark = pytest.mark.django_db

EXPIRED = {
    "ja": "入力内容の有効期限が切れたため",
    "en": "The form had expired, so your application was not sent.",
}


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_expired_application_form_keeps_what_was_typed_and_can_be_sent_again(plain_http, language):
    session = open_session()
    client = Client(enforce_csrf_checks=True)
    form = f"/sessions/{session.slug}/apply/"
    form = en(form) if language == "en" else form
    stale = _token(client.get(form).content.decode())
    client.cookies.clear()  # the browser lost its cookie, or the form was open too long

    expired = client.post(form, applicant_data(csrfmiddlewaretoken=stale))

    page = expired.content.decode()
    assert expired.status_code == 403
    assert EXPIRED[language] in page
    for field in ("name", "email", "organisation", "question"):
        typed = applicant_data()[field]
        assert typed in page, typed
    # The series' own header, and nothing was applied.
    assert session.series.title_en in page.split('class="site-title"')[1][:300]
    assert not Application.objects.exists()

    again = client.post(form, applicant_data(csrfmiddlewaretoken=_token(page)))

    assert again.status_code == 302
    assert Application.objects.get().name == "山田 花子"
