"""The privacy notice names Zoom, what it gets and why, exactly when applicants are registered with Zoom."""
import pytest

from tests.languages import en

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Plain HTTP, as behind the TLS proxy (tests/conftest.py)."""


def _zoom_settings(settings, on: bool):
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        setattr(settings, name, "configured" if on else "")


def test_with_zoom_configured_the_notice_says_name_and_email_go_to_zoom_and_why(client, settings):
    _zoom_settings(settings, on=True)

    japanese = client.get("/privacy/").content.decode()
    english = client.get(en("/privacy/")).content.decode()

    assert "お名前とメールアドレスをZoomに送信し" in japanese and "専用の参加リンク" in japanese
    assert "we send Zoom your name and email address to register you for that webinar" in english
    assert "a joining link of your own" in english and "United States" in english
    assert "We do not give it to anyone else unless the law requires it." in english


def test_without_zoom_the_notice_does_not_mention_zoom(client, settings):
    _zoom_settings(settings, on=False)

    for path in ("/privacy/", en("/privacy/")):
        page = client.get(path).content.decode()
        assert "Zoom" not in page, path
    assert "The administrative office of the series. We do not give it" in client.get(en("/privacy/")).content.decode()
