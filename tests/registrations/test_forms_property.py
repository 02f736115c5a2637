"""Whatever is posted to the application form: never a 500, never a saved invalid application."""
import itertools
import unicodedata

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from registrations.enums import ApplicationStatus
from registrations.forms import KANA_RE, PHONE_RE
from registrations.models import Application
from registrations.selectors import attendance_options
from seminars.models import Session
from tests.languages import EnglishClient

from .conftest import applicant_data, open_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def client():
    """A visitor reading the English pages (Django's own messages are translated in Japanese)."""
    return EnglishClient()

VALID = applicant_data()
FIELDS = list(VALID) + ["fax_extension"]

# Awkward values people and robots send: blanks, lookalikes, long runs, markup, control characters.
AWKWARD = st.sampled_from(
    ["", " ", "\u3000", "a" * 5000, "０３－１２３４－５６７８", "+81 3 1234 5678", "<script>x</script>",
     "\x00", "on", "true", "13", "venue", "online", "99", "HANAKO.YAMADA@EXAMPLE.JP", "ﾔﾏﾀﾞ ﾊﾅｺ", "🙂" * 50]
)


MISSING = object()


def typed_email(value: str) -> str:
    return unicodedata.normalize("NFKC", value).replace("\u3002", ".").strip().lower()


@st.composite
def posts(draw):
    """A valid application with up to four fields replaced by anything, or left out."""
    post = dict(VALID)
    for name in sorted(draw(st.sets(st.sampled_from(FIELDS), max_size=4))):
        value = draw(st.one_of(st.text(max_size=300), AWKWARD, st.just(MISSING)))
        if value is MISSING:
            post.pop(name, None)
        else:
            post[name] = value
    return post


@pytest.fixture
def session(settings):
    settings.APPLY_RATE_LIMIT = settings.APPLY_POST_RATE_LIMIT = "100000/h"
    return open_session(format="online", capacity=3, waitlist_enabled=True)


def test_posting_anything_never_errors_nor_saves_an_invalid_application(client, session):
    outcomes = []
    emails = itertools.count()

    @hypothesis_settings(
        max_examples=250,
        deadline=None,
        # The same examples every run: the coverage counts below must not depend on luck.
        derandomize=True,
        database=None,
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
        # Stored as the form normalises it: NFKC (full-width letters typed in Japanese), trimmed.
        assert application.email.lower() == typed_email(post["email"]) == typed_email(post["email_again"])
        assert post.get("consent") and post.get("fax_extension", "").strip() == ""
        assert application.attendance in attendance_options(session)
        assert application.phone == "" or PHONE_RE.match(application.phone)
        assert application.name_reading == "" or KANA_RE.match(application.name_reading)
        assert application.name.strip() and application.organisation.strip()
        assert application.status in (ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED)
        places = Session.objects.get(pk=session.pk)
        assert places.places_taken <= places.capacity

    check()

    # The property was exercised on both sides: some saved, many refused.
    assert outcomes.count(302) >= 5
    assert outcomes.count(400) >= 10


@hypothesis_settings(max_examples=300, deadline=None, derandomize=True, database=None)
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


# --- hostile text: every category of awkward character, and what the office's exports and admin make of it ---

# Each category of text an applicant, a keyboard, a clipboard or a robot may send.
CATEGORIES = {
    "control": st.characters(categories=["Cc"]),
    "bidi": st.sampled_from([chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C]]),
    "full-width": st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
    "combining": st.characters(categories=["Mn", "Mc", "Me"]),
    "emoji": st.one_of(
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
        st.sampled_from(["\U0001F468\u200d\U0001F469\u200d\U0001F467", "\u2764\ufe0f", "\U0001F1EF\U0001F1F5"]),
    ),
    # Characters NFKC makes longer: ㌀ is four, ﷺ eighteen.
    "ligature": st.sampled_from(["㌀", "㍻", "ﷺ", "ﬃ", "⑳", "㈱", "㎏", "ｶﾞ", "\u3000"]),
    "not-xml": st.sampled_from(["\ufffe", "\uffff", "\ufdd0", "\U0010FFFF"]),
    "whitespace": st.sampled_from(["\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\xa0"]),
    "japanese": st.sampled_from(list("山田花子株式会社やまだはなこヤマダハナコー・ ")),
    "ascii": st.characters(min_codepoint=0x20, max_codepoint=0x7E),
}
TEXT_FIELDS = ["name", "name_reading", "organisation", "department", "position", "phone", "question"]


@st.composite
def hostile_text(draw, used: set):
    """Text mixing a few categories, sometimes one character repeated far past any column's length."""
    names = draw(st.lists(st.sampled_from(sorted(CATEGORIES)), min_size=1, max_size=3, unique=True))
    used.update(names)
    # Lists joined, not st.text: an emoji sequence is more than one character.
    text = "".join(draw(st.lists(st.one_of([CATEGORIES[name] for name in names]), min_size=1, max_size=40)))
    if draw(st.integers(0, 3)) == 0:
        used.add("over-long")
        text = text[0] * draw(st.sampled_from([25, 26, 51, 101, 201, 1001, 1200])) + text
    return text


@st.composite
def hostile_posts(draw):
    """Return (post, categories): a valid application with one to three text fields, or the email, made hostile."""
    post, used = dict(VALID), set()
    for name in sorted(draw(st.sets(st.sampled_from([*TEXT_FIELDS, "email"]), min_size=1, max_size=3))):
        if name == "email":
            local = draw(st.sampled_from(["ｙａｍａｄａ", "hanako", "ｈａｎａｋｏ.ｙ", "a"])) + draw(hostile_text(used))
            domain = draw(st.sampled_from(["example.jp", "ｅｘａｍｐｌｅ．ｊｐ", "例え.jp", "example。jp"]))
            at = draw(st.sampled_from(["@", "＠"]))
            post["email"] = post["email_again"] = f"{local}{at}{domain}"
        else:
            post[name] = draw(hostile_text(used))
    return post, used


def shown_in_export(value: str, cell) -> bool:
    """Whether an exported cell shows the stored value (a formula-like value gets a leading apostrophe)."""
    return (cell or "") in (value, "'" + value)


def test_hostile_text_never_errors_and_what_is_stored_opens_in_the_exports_and_the_admin(client, session, admin_client):
    """Every category of hostile text through the apply view: refused (400) or stored as the exports and admin show it.

    Accepted: the stored application passes the model's own validation, its
    XLSX export opens in openpyxl and its CSV export parses, both showing each
    stored value unchanged, and its admin change page answers 200.
    """
    import csv
    import io

    import openpyxl
    from django.urls import reverse
    from django.utils.text import capfirst

    from registrations.exports import applications_csv, applications_xlsx

    tried, accepted, outcomes = set(), set(), []
    emails = itertools.count()

    @hypothesis_settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,  # the same 200 examples on every machine, whatever an earlier run saved
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(example=hostile_posts())
    def check(example):
        post, categories = example
        tried.update(categories)
        if post["email"] == VALID["email"]:
            post["email"] = post["email_again"] = f"applicant{next(emails)}@example.jp"
        before = set(Application.objects.values_list("pk", flat=True))

        response = client.post(f"/sessions/{session.slug}/apply/", post)

        outcomes.append(response.status_code)
        assert response.status_code in (302, 400, 409), response.status_code
        new = Application.objects.exclude(pk__in=before)
        if response.status_code != 302:
            assert not new.exists()
            return
        accepted.update(categories)
        application = new.get()
        # What the form stored, the model's own validation (and so the admin's change form) accepts as it is.
        application.full_clean(validate_constraints=False)

        sheet = openpyxl.load_workbook(io.BytesIO(applications_xlsx(new))).active
        header, row = sheet.iter_rows(values_only=True)
        text = applications_csv(new).content.decode("utf-8").removeprefix("\ufeff")
        csv_header, csv_row = csv.reader(io.StringIO(text, newline=""))
        xlsx_cells, csv_cells = dict(zip(header, row, strict=True)), dict(zip(csv_header, csv_row, strict=True))
        for name in [*TEXT_FIELDS, "email"]:
            value, column = getattr(application, name), capfirst(Application._meta.get_field(name).verbose_name)
            assert shown_in_export(value, xlsx_cells[column]), (name, value, xlsx_cells[column])
            assert shown_in_export(value, csv_cells[column]), (name, value, csv_cells[column])

        page = admin_client.get(reverse("admin:registrations_application_change", args=[application.pk]))
        assert page.status_code == 200

    check()

    assert tried >= {*CATEGORIES, "over-long"}
    # Both sides exercised: hostile text refused, and text a person may well type stored.
    assert outcomes.count(302) >= 5 and outcomes.count(400) >= 20
    assert accepted >= {"full-width", "combining", "emoji", "ligature", "japanese", "whitespace"}
