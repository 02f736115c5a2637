"""Applying through the form, the completion page and the manage link, as an applicant sees them."""
import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations.enums import ApplicationStatus
from registrations.models import Application
from registrations.selectors import manage_token
from registrations.services import application_create
from tests.factories import SessionFactory
from tests.languages import EnglishClient

from .conftest import applicant_data, open_session, service_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def client():
    """A visitor reading the English pages (Django's own messages are translated in Japanese)."""
    return EnglishClient()


def apply_url(session):
    return reverse("registrations:apply", kwargs={"slug": session.slug})


def post(client, session, **overrides):
    return client.post(apply_url(session), applicant_data(**overrides))


def text(response) -> str:
    return response.content.decode()


def assert_input_kept(response, *values):
    body = text(response)
    for value in values:
        assert value in body, value


# --- the form ---


def test_apply_form_shows_every_field_with_tokyo_first(client):
    session = open_session()

    response = client.get(apply_url(session))

    assert response.status_code == 200
    body = text(response)
    for name in ("name", "name_reading", "email", "email_again", "organisation", "department", "position",
                 "industry", "organisation_size", "prefecture", "phone", "attendance", "question", "consent"):
        assert f'name="{name}"' in body, name
    prefectures = re.search(r'<select name="prefecture".*?</select>', body, re.S).group(0)
    values = re.findall(r'<option value="(\d\d)"', prefectures)
    assert len(values) == 47
    assert values[0] == "13"
    assert 'name="csrfmiddlewaretoken"' in body
    assert reverse("registrations:privacy") in body


@pytest.mark.parametrize(
    ("fmt", "choices"), [("online", ["online"]), ("venue", ["venue"]), ("hybrid", ["venue", "online"])]
)
def test_apply_form_offers_the_sessions_ways_of_attending(client, fmt, choices):
    session = open_session(format=fmt, venue="Tokyo Hall")

    body = text(client.get(apply_url(session)))

    assert re.findall(r'name="attendance" value="(\w+)"', body) == choices
    if len(choices) == 1:
        assert re.search(r'name="attendance" value="\w+"[^>]*checked', body)


def test_apply_form_is_a_404_for_an_unknown_session(client):
    assert client.get("/sessions/no-such-session/apply/").status_code == 404


def test_privacy_notice_states_version_and_retention(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90

    response = client.get(reverse("registrations:privacy"))

    assert response.status_code == 200
    assert settings.PRIVACY_NOTICE_VERSION in text(response)
    assert "90 days" in text(response)


# --- applying ---


def test_apply_redirects_to_a_completion_page_with_reference_and_next_steps(client):
    session = open_session(capacity=10)

    response = post(client, session)

    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == reverse("registrations:applied", kwargs={"token": manage_token(application)})
    page = client.get(response["Location"])
    body = text(page)
    assert page.status_code == 200
    assert f"{application.reference[:4]}-{application.reference[4:]}" in body
    assert session.title in body
    assert "confirmed" in body
    assert "office@example.org" in body
    assert reverse("registrations:manage", kwargs={"token": manage_token(application)}) in body
    assert page["X-Robots-Tag"].startswith("noindex")
    assert application.name == "山田 花子"
    assert application.phone == "0312345678"
    assert application.organisation == "株式会社サンプル商事"


def test_apply_when_full_with_waiting_list_says_waitlisted(client):
    session = open_session(capacity=1, waitlist_enabled=True)
    post(client, session, email="first@example.jp", email_again="first@example.jp")

    response = post(client, session, email="second@example.jp", email_again="second@example.jp")

    assert response.status_code == 302
    assert Application.objects.get(email="second@example.jp").status == ApplicationStatus.WAITLISTED
    body = text(client.get(response["Location"]))
    assert "waiting list" in body
    assert "number 1 on the waiting list" in body


def test_apply_when_full_without_waiting_list_is_refused_with_409(client):
    session = open_session(capacity=1, waitlist_enabled=False)
    post(client, session, email="first@example.jp", email_again="first@example.jp")

    response = post(client, session, email="second@example.jp", email_again="second@example.jp")

    assert response.status_code == 409
    assert "This session is full." in text(response)
    assert_input_kept(response, "second@example.jp", "株式会社サンプル商事")
    assert Application.objects.count() == 1


def test_apply_form_when_full_without_waiting_list_says_so(client):
    session = open_session(capacity=0)

    response = client.get(apply_url(session))

    assert response.status_code == 409
    assert "This session is full." in text(response)
    assert 'name="email"' not in text(response)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"applications_open_on_offset": 2, "applications_close_on_offset": 5}, "not open yet"),
        ({"applications_open_on_offset": -9, "applications_close_on_offset": -1}, "have closed"),
    ],
)
def test_apply_outside_the_period_is_refused_with_403_and_input_kept(client, period, message):
    today = timezone.localdate()
    session = open_session(
        applications_open_on=today + dt.timedelta(days=period["applications_open_on_offset"]),
        applications_close_on=today + dt.timedelta(days=period["applications_close_on_offset"]),
    )

    response = post(client, session)
    form_page = client.get(apply_url(session))

    assert response.status_code == 403
    assert message in text(response)
    assert_input_kept(response, "hanako.yamada@example.jp", "山田 花子")
    assert not Application.objects.exists()
    assert form_page.status_code == 403


def test_the_office_closing_the_period_early_refuses_the_next_submission(client):
    """Submissions reuse what was read of their session for a moment; an edit the office saves ends that at once."""
    session = open_session()
    assert post(client, session, email="first@example.jp", email_again="first@example.jp").status_code == 302

    session.applications_close_on = timezone.localdate() - dt.timedelta(days=1)
    session.applications_open_on = session.applications_close_on - dt.timedelta(days=7)
    session.save()
    response = post(client, session, email="second@example.jp", email_again="second@example.jp")

    assert response.status_code == 403
    assert "have closed" in text(response)
    assert list(Application.objects.values_list("email", flat=True)) == ["first@example.jp"]


def test_apply_duplicate_email_in_other_case_is_refused_with_409(client):
    session = open_session()
    post(client, session)

    response = post(client, session, email="HANAKO.Yamada@example.jp", email_again="HANAKO.Yamada@example.jp")

    assert response.status_code == 409
    assert "already applied to this session" in text(response)
    assert_input_kept(response, "HANAKO.Yamada@example.jp")
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email_again": "other@example.jp"}, "The two email addresses differ."),
        ({"consent": ""}, "Please tick the box to agree to the privacy notice."),
        ({"phone": "12345"}, "Please enter a Japanese phone number"),
        ({"phone": "03-1234-567a"}, "Please enter a Japanese phone number"),
        ({"question": "質" * 1001}, "at most 1000 characters"),
        ({"name": "名" * 101}, "at most 100 characters"),
        ({"name_reading": "Yamada"}, "hiragana or katakana"),
        ({"email": "not-an-email", "email_again": "not-an-email"}, "Enter a valid email address."),
        ({"prefecture": "99"}, "Select a valid choice"),
        ({"attendance": "venue"}, "Select a valid choice"),
        ({"name": "   "}, "Please enter your name."),
    ],
)
def test_apply_invalid_input_is_refused_with_400_and_the_rest_kept(client, overrides, message):
    session = open_session()

    response = post(client, session, **overrides)

    assert response.status_code == 400
    assert message in text(response)
    assert_input_kept(response, "株式会社サンプル商事", "人事部")
    assert not Application.objects.exists()


def test_apply_field_errors_are_linked_to_their_fields(client):
    response = post(client, open_session(), phone="12345")

    body = text(response)
    field = re.search(r'<input[^>]*name="phone"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert any(f'id="{target}"' in body for target in described)


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("03-1234-5678", "0312345678"),
        ("090-1234-5678", "09012345678"),
        ("0312345678", "0312345678"),
        ("+81 3 1234 5678", "0312345678"),
        ("+81-90-1234-5678", "09012345678"),
        ("(03) 1234-5678", "0312345678"),
        ("０３－１２３４－５６７８", "0312345678"),
        ("", ""),
    ],
)
def test_apply_stores_japanese_phone_numbers_normalised(client, phone, stored):
    response = post(client, open_session(), phone=phone)

    assert response.status_code == 302
    assert Application.objects.get().phone == stored


def test_apply_with_the_honeypot_filled_is_refused_and_saves_nothing(client):
    response = post(client, open_session(), fax_extension="http://spam.example")

    assert response.status_code == 400
    assert "could not be sent" in text(response)
    assert not Application.objects.exists()


def test_apply_requires_csrf():
    client = Client(enforce_csrf_checks=True)

    response = post(client, open_session())

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_apply_is_rate_limited_per_address_with_429_and_input_kept(client, settings):
    settings.APPLY_RATE_LIMIT = "2/h"
    session = open_session()
    post(client, session, email="a@example.jp", email_again="a@example.jp")
    post(client, session, email="b@example.jp", email_again="b@example.jp")

    response = post(client, session, email="c@example.jp", email_again="c@example.jp")
    other_address = client.post(
        apply_url(session), applicant_data(email="d@example.jp", email_again="d@example.jp"), REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 429
    assert "too many applications" in text(response)
    assert_input_kept(response, "c@example.jp")
    assert other_address.status_code == 302
    assert set(Application.objects.values_list("email", flat=True)) == {"a@example.jp", "b@example.jp", "d@example.jp"}


def test_behind_the_reverse_proxy_each_applicant_has_a_limit_of_their_own(client, settings):
    """The proxy (FORWARDED_ALLOW_IPS) passes the applicant's address; anyone else's X-Forwarded-For is ignored."""
    settings.APPLY_RATE_LIMIT = "2/h"
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.1"]
    session = open_session()

    def post_via(peer, forwarded, n):
        email = f"{n}@example.jp"
        return client.post(
            apply_url(session), applicant_data(email=email, email_again=email),
            REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    first_applicant = [post_via("10.0.0.1", "203.0.113.5", n) for n in range(3)]
    second_applicant = post_via("10.0.0.1", "198.51.100.23, 203.0.113.6", 3)  # the proxy appended the last
    spoofing = [post_via("192.0.2.44", f"203.0.113.{n}", 10 + n) for n in range(3)]

    assert first_applicant == [302, 302, 429]
    assert second_applicant == 302
    assert spoofing == [302, 302, 429]  # one peer, one limit, whatever it claims to forward


@pytest.mark.parametrize("language", ["ja", "en"])
def test_apply_records_the_language_of_the_page(language):
    post(EnglishClient() if language == "en" else Client(), open_session())

    assert Application.objects.get().language == language


# --- the manage link ---


def make_application(session=None, **overrides):
    session = session or open_session(capacity=1, waitlist_enabled=True)
    return application_create(session=session, data=service_data(**overrides), language="ja")


def test_manage_link_shows_the_application(client):
    application = make_application()

    response = client.get(reverse("registrations:manage", kwargs={"token": manage_token(application)}))

    assert response.status_code == 200
    assert application.name in text(response)
    assert "Cancel this application" in text(response)


def test_manage_link_cancel_frees_the_place_for_the_first_waitlisted(client):
    session = open_session(capacity=1, waitlist_enabled=True)
    confirmed = make_application(session, email="c@example.jp")
    waiting = make_application(session, email="w@example.jp")
    cancel_url = reverse("registrations:cancel", kwargs={"token": manage_token(confirmed)})

    confirm_page = client.get(cancel_url)
    unticked = client.post(cancel_url, {})
    response = client.post(cancel_url, {"confirm": "on"}, follow=True)

    assert confirm_page.status_code == 200
    assert unticked.status_code == 400
    assert response.status_code == 200
    assert "Your application has been cancelled." in text(response)
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, confirmed.cancelled_by) == (ApplicationStatus.CANCELLED, "applicant")
    assert waiting.status == ApplicationStatus.CONFIRMED


def test_manage_link_cancel_twice_is_refused_with_409(client):
    application = make_application()
    cancel_url = reverse("registrations:cancel", kwargs={"token": manage_token(application)})
    client.post(cancel_url, {"confirm": "on"})

    response = client.post(cancel_url, {"confirm": "on"})

    assert response.status_code == 409
    assert "already been cancelled" in text(response)


@pytest.mark.parametrize("token", ["nonsense", "abc:def", "x" * 300])
def test_manage_link_that_is_not_genuine_is_a_404_page(client, token):
    make_application()

    for name in ("manage", "applied", "cancel"):
        response = client.get(reverse(f"registrations:{name}", kwargs={"token": token}))
        assert response.status_code == 404
        assert "This link does not work" in text(response)


def test_manage_link_of_a_long_past_session_is_a_410_page(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    session = SessionFactory()  # held in 2025
    application = application_create(
        session=session, data=service_data(), language="ja", now=session.applications_open_at + dt.timedelta(hours=1)
    )

    response = client.get(reverse("registrations:manage", kwargs={"token": manage_token(application)}))

    assert response.status_code == 410
    assert "This link has expired" in text(response)


def test_manage_link_is_not_derived_from_the_reference():
    first, second = make_application(email="a@example.jp"), make_application(email="b@example.jp")

    assert first.reference not in manage_token(first)
    assert manage_token(first).split(":")[0] != manage_token(second).split(":")[0]


def test_applicants_only_archive_plays_on_the_manage_page_and_not_on_the_public_page(client):
    ended = timezone.now() - dt.timedelta(days=3)
    session = SessionFactory(
        starts_at=ended - dt.timedelta(hours=2),
        ends_at=ended,
        applications_open_on=timezone.localdate() - dt.timedelta(days=40),
        applications_close_on=timezone.localdate() - dt.timedelta(days=10),
        archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE",
        archive_published_at=ended + dt.timedelta(days=1),
        archive_access="applicants",
    )
    application = Application.objects.create(
        session=session, reference="ARCH2345", manage_secret="archive-test-secret", language="en",
        consented_at=timezone.now(), privacy_notice_version="2025-06",
        **{key: value for key, value in service_data().items() if key not in ("consent",)},
    )
    embed = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"

    public = client.get(session.get_absolute_url())
    manage = client.get(reverse("registrations:manage", kwargs={"token": manage_token(application)}))

    assert public.status_code == 200 and embed not in text(public)
    assert manage.status_code == 200 and embed in text(manage)
