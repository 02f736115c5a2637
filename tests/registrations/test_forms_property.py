"""Whatever is posted to the application form: never a 500, never a saved invalid application."""
import itertools

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from registrations.enums import ApplicationStatus
from registrations.forms import KANA_RE, PHONE_RE
from registrations.models import Application
from registrations.selectors import attendance_options
from seminars.models import Session

from .conftest import applicant_data, open_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def client():
    """A browser that reads English (Django's own messages are translated in Japanese)."""
    return Client(headers={"Accept-Language": "en"})

VALID = applicant_data()
FIELDS = list(VALID) + ["fax_extension"]

# Awkward values people and robots send: blanks, lookalikes, long runs, markup, control characters.
AWKWARD = st.sampled_from(
    ["", " ", "\u3000", "a" * 5000, "０３－１２３４－５６７８", "+81 3 1234 5678", "<script>x</script>",
     "\x00", "on", "true", "13", "venue", "online", "99", "HANAKO.YAMADA@EXAMPLE.JP", "ﾔﾏﾀﾞ ﾊﾅｺ", "🙂" * 50]
)


MISSING = object()


@st.composite
def posts(draw):
    """A valid application with up to four fields replaced by anything, or left out."""
    post = dict(VALID)
    for name in draw(st.sets(st.sampled_from(FIELDS), max_size=4)):
        value = draw(st.one_of(st.text(max_size=300), AWKWARD, st.just(MISSING)))
        if value is MISSING:
            post.pop(name, None)
        else:
            post[name] = value
    return post


@pytest.fixture
def session(settings):
    settings.APPLY_RATE_LIMIT = "100000/h"
    return open_session(format="online", capacity=3, waitlist_enabled=True)


def test_posting_anything_never_errors_nor_saves_an_invalid_application(client, session):
    outcomes = []
    emails = itertools.count()

    @hypothesis_settings(
        max_examples=250,
        deadline=None,
        # The same examples every run: the coverage counts below must not depend on luck.
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(post=posts())
    def check(post):
        # A fresh address unless the example changes it, so valid examples are not duplicates.
        if post.get("email") == VALID["email"]:
            fresh = f"applicant{next(emails)}@example.jp"
            post["email"] = fresh
            if post.get("email_again") == VALID["email_again"]:
                post["email_again"] = fresh
        before = set(Application.objects.values_list("pk", flat=True))

        response = client.post(f"/sessions/{session.slug}/apply/", post)

        outcomes.append(response.status_code)
        assert response.status_code in (302, 400, 409), response.status_code
        new = Application.objects.exclude(pk__in=before)
        if response.status_code != 302:
            assert not new.exists()
            return
        application = new.get()
        application.full_clean(validate_constraints=False)
        assert application.email.lower() == post["email"].strip().lower() == post["email_again"].strip().lower()
        assert post.get("consent") and post.get("fax_extension", "").strip() == ""
        assert application.attendance in attendance_options(session)
        assert application.phone == "" or PHONE_RE.match(application.phone)
        assert application.name_reading == "" or KANA_RE.match(application.name_reading)
        assert application.name.strip() and application.organisation.strip()
        assert application.status in (ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED)
        places = Session.objects.get(pk=session.pk)
        assert places.places_taken <= places.capacity

    check()

    # The property was exercised on both sides: many saved, many refused.
    assert outcomes.count(302) >= 10
    assert outcomes.count(400) >= 10


@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(post=posts())
def test_the_form_checks_a_submission_exactly_as_djangos_own_field_loop(post):
    """ApplicationForm reads its fields without BoundFields (forms.py): the same values and errors as Django's loop."""
    from django import forms as django_forms
    from django.forms.utils import ErrorDict
    from django.http import QueryDict
    from django.utils import translation

    from registrations.forms import ApplicationForm

    data = QueryDict(mutable=True)
    for name, value in post.items():
        data[name] = value
    session = Session(format="hybrid")
    with translation.override("en"):
        ours = ApplicationForm(data, session=session)
        ours.is_valid()
        djangos = ApplicationForm(data, session=session)
        # BaseForm.full_clean with Django's own field loop in place of ours.
        djangos._errors = ErrorDict()
        djangos.cleaned_data = {}
        django_forms.BaseForm._clean_fields(djangos)
        djangos._clean_form()
        djangos._post_clean()

        assert ours.errors.get_json_data() == djangos.errors.get_json_data()
    assert ours.cleaned_data == djangos.cleaned_data
