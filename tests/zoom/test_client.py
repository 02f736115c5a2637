"""The Zoom client against the fake Zoom: token, 401 renewal, 429 with Retry-After, 5xx, a timeout, pages."""
import pytest

from zoom.client import ZoomClient, ZoomRefused, ZoomUnavailable, zoom_configured
from zoom.services import name_split, retry_delay

WEBINAR = "81234567890"


def test_token_is_fetched_once_and_cached(fake_zoom):
    with ZoomClient() as client:
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子", last_name="山田")
        client.registrant_add(WEBINAR, email="b@example.jp", first_name="太郎", last_name="山田")
    assert fake_zoom.count("token") == 1
    assert fake_zoom.count("add") == 2


def test_expired_token_is_renewed_on_401(fake_zoom):
    with ZoomClient() as client:
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子")
        fake_zoom.expire_tokens()
        answer = client.registrant_add(WEBINAR, email="b@example.jp", first_name="太郎")
    assert answer["join_url"].startswith("https://")
    assert fake_zoom.count("token") == 2


def test_a_short_rate_limit_is_waited_for_in_place(fake_zoom):
    fake_zoom.fail("add", "429")
    with ZoomClient() as client:
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子")
    assert fake_zoom.count("add") == 2


def test_rate_limit_answer_carries_retry_after(fake_zoom):
    fake_zoom.fail("add", "429", "429", "429")
    with ZoomClient() as client, pytest.raises(ZoomUnavailable) as raised:
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子")
    assert raised.value.retry_after == 1
    assert retry_delay(1, raised.value.retry_after) == 1


@pytest.mark.parametrize("answer", ["500", "503", "timeout"])
def test_server_errors_and_timeouts_are_unavailable(fake_zoom, answer):
    fake_zoom.fail("add", answer)
    with ZoomClient() as client, pytest.raises(ZoomUnavailable):
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子")


def test_refusal_is_not_retried(fake_zoom):
    fake_zoom.fail("add", "duplicate")
    with ZoomClient() as client, pytest.raises(ZoomRefused) as raised:
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子")
    assert raised.value.status == 400 and raised.value.code == 3027


def test_adding_an_address_twice_gives_the_same_registrant(fake_zoom):
    with ZoomClient() as client:
        first = client.registrant_add(WEBINAR, email="a@example.jp", first_name="花子")
        again = client.registrant_add(WEBINAR, email="A@example.jp", first_name="花子")
        found = client.registrant_find(WEBINAR, "a@example.jp")
    assert first["registrant_id"] == again["registrant_id"] == found["id"]


def test_report_pages_are_followed(fake_zoom):
    fake_zoom.participants[WEBINAR] = [
        {"id": str(n), "name": f"P{n}", "user_email": f"p{n}@example.jp", "join_time": "2026-12-17T05:00:00Z",
         "leave_time": "2026-12-17T06:00:00Z", "duration": 3600, "registrant_id": "", "status": "in_meeting"}
        for n in range(450)
    ]
    with ZoomClient() as client:
        rows = client.participants(WEBINAR)
    assert len(rows) == 450
    assert fake_zoom.count("report") == 2


def test_registrant_body_fits_zooms_lengths(fake_zoom):
    with ZoomClient() as client:
        client.registrant_add(WEBINAR, email="a@example.jp", first_name="名" * 80, last_name="姓" * 80,
                              language="jp-JP")
    body = fake_zoom.bodies("add")[0]
    assert len(body["first_name"]) == len(body["last_name"]) == 64
    assert body["language"] == "jp-JP"


def test_without_settings_zoom_is_not_configured(settings):
    settings.ZOOM_ACCOUNT_ID = ""
    assert not zoom_configured()


@pytest.mark.parametrize(("name", "expected"), [
    ("山田 花子", ("花子", "山田")),
    ("山田\u3000花子", ("花子", "山田")),
    ("山田花子", ("山田花子", "")),
    ("  Jane   Smith ", ("Jane", "Smith")),
])
def test_name_split_family_name_first(name, expected):
    assert name_split(name) == expected
