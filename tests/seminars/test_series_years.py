"""Every year's series: the home page shows the current one and links the others; the office copies a year."""
import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from questionnaires.models import Questionnaire
from registrations.models import Application
from seminars.models import TOKYO, Series, Session, Topic
from seminars.selectors import series_current
from seminars.services import SeriesCopyRefused, series_copy_to_next_year
from speakers.models import Appearance
from tests.factories import (
    AppearanceFactory,
    ApplicationFactory,
    ArchivedSessionFactory,
    SeriesFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def _series(year: int, **fields) -> Series:
    return SeriesFactory(slug=f"course-{year}", fiscal_year=year, title_en=f"Seminars of {year}", **fields)


def _session_on(series: Series, day: dt.date, number: int, **fields) -> Session:
    """A session at 14:00 Tokyo on `day`, applications from 30 days before until 3 days before."""
    return SessionFactory(
        series=series, number=number, slug=f"s{series.fiscal_year}-{number}",
        title_en=f"Session {number} of {series.fiscal_year}",
        starts_at=dt.datetime.combine(day, dt.time(14), tzinfo=TOKYO),
        applications_open_on=day - dt.timedelta(days=30), applications_close_on=day - dt.timedelta(days=3),
        **fields,
    )


def _last_and_this_year():
    today = timezone.localdate()
    last = _series(2025)
    for number in (1, 2, 3):
        _session_on(last, today - dt.timedelta(days=300 - number * 30), number)
    this = _series(2026)
    _session_on(this, today - dt.timedelta(days=20), 1)
    _session_on(this, today + dt.timedelta(days=10), 2)
    return last, this


def test_the_home_page_shows_the_current_series_and_links_the_other_year(client, english):
    last, this = _last_and_this_year()

    page = client.get("/en/").content.decode()

    assert "Session 2 of 2026" in page and "Session 1 of 2026" in page
    assert "Session 1 of 2025" not in page
    assert "FY2026 (Reiwa 8)" in page
    assert "2 sessions in all" in page  # counted from the data, not written in the overview
    assert f'href="/en/series/{last.slug}/"' in page
    assert "FY2025 (Reiwa 7): Seminars of 2025" in page


def test_an_earlier_year_has_its_own_page_with_its_sessions_and_a_link_back(client, english):
    last, this = _last_and_this_year()

    page = client.get(f"/en/series/{last.slug}/").content.decode()

    assert "FY2025 (Reiwa 7)" in page
    assert "3 sessions in all" in page
    assert "Session 3 of 2025" in page and "Session 2 of 2026" not in page
    assert f'href="/en/series/{this.slug}/"' in page
    assert "These are the seminars of FY2025 (Reiwa 7)." in page
    assert "See the current year" in page
    assert "These are the seminars of" not in client.get(f"/en/series/{this.slug}/").content.decode()
    assert client.get("/en/series/no-such-year/").status_code == 404


def test_the_home_page_in_japanese_names_the_year_in_the_japanese_era(client):
    _last_and_this_year()

    page = client.get("/").content.decode()

    assert "令和8年度" in page
    assert "令和7年度" in page  # the link to the other year
    assert "全2回" in page


def test_the_current_series_is_the_one_with_sessions_coming_else_the_latest():
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=TOKYO)
    last = _series(2025)
    _session_on(last, dt.date(2026, 2, 13), 1)
    this = _series(2026)
    _session_on(this, dt.date(2026, 12, 20), 1)
    nxt = _series(2027)  # copied early for next year: its sessions come after this year's
    _session_on(nxt, dt.date(2027, 12, 20), 1)

    assert series_current(now=now) == this
    assert series_current(now=dt.datetime(2028, 1, 10, tzinfo=TOKYO)) == nxt  # all held: the latest
    assert series_current(now=dt.datetime(2026, 3, 1, tzinfo=TOKYO)) == this  # 2025's all held, 2026's coming


def test_the_archive_lists_every_years_recordings_under_their_series(client, english):
    last, this = _series(2025), _series(2026)
    ArchivedSessionFactory(series=last, number=1, slug="old-1", title_en="Recorded in 2025")
    ArchivedSessionFactory(
        series=this, number=1, slug="new-1", title_en="Recorded in 2026",
        starts_at=dt.datetime(2026, 7, 30, 14, tzinfo=TOKYO), applications_open_on=dt.date(2026, 6, 30),
        applications_close_on=dt.date(2026, 7, 27), archive_published_at=dt.datetime(2026, 8, 10, tzinfo=TOKYO),
    )

    page = client.get("/en/archive/").content.decode()

    headings = re.findall(r'<h2 id="archive-year-\d+">(.*?)<span', page)
    assert headings == ["FY2026 (Reiwa 8)", "FY2025 (Reiwa 7)"]
    assert page.index("Recorded in 2026") < page.index("FY2025 (Reiwa 7)") < page.index("Recorded in 2025")


# --- copying a series to the next year ---


def _series_to_copy():
    series = _series(2025, completion_min_sessions=2)
    first = _session_on(series, dt.date(2025, 7, 31), 1, capacity=80, waitlist_enabled=True,
                        allocation="lottery", venue_en="Tokyo Big Sight", format="hybrid")
    second = _session_on(series, dt.date(2026, 2, 13), 2)  # fiscal 2025 still: February
    parent = TopicFactory(session=first, text_en="Case studies", order=0)
    TopicFactory(session=first, parent=parent, text_en="① In the beauty industry", order=0)
    AppearanceFactory(session=first, role="moderator", order=1)
    AppearanceFactory(session=second)
    for session in (first, second):
        ApplicationFactory(session=session)
    return series, first, second


def test_copying_a_series_gives_the_next_years_sessions_a_year_later_with_no_applicants():
    series, first, second = _series_to_copy()

    copy = series_copy_to_next_year(series=series, by=None)

    assert (copy.fiscal_year, copy.slug, copy.completion_min_sessions) == (2026, "course-2026", 2)
    assert copy.title_en == series.title_en
    new_first, new_second = copy.sessions.order_by("number")
    assert new_first.starts_at.astimezone(TOKYO) == dt.datetime(2026, 7, 31, 14, tzinfo=TOKYO)
    assert (new_first.applications_open_on, new_first.applications_close_on) == (
        dt.date(2026, 7, 1), dt.date(2026, 7, 28))
    assert new_second.starts_at.astimezone(TOKYO) == dt.datetime(2027, 2, 13, 14, tzinfo=TOKYO)
    assert (new_first.capacity, new_first.waitlist_enabled, new_first.allocation, new_first.format) == (
        80, True, "lottery", "hybrid")
    assert new_first.venue_en == "Tokyo Big Sight"
    assert new_first.places_taken == 0 and new_first.joining_url == ""
    assert not Application.objects.filter(session__series=copy).exists()
    # Topics with their sub-items, and the same speakers in the same roles.
    [case_studies] = Topic.objects.filter(session=new_first, parent__isnull=True)
    assert [t.text_en for t in case_studies.subtopics.all()] == ["① In the beauty industry"]
    assert list(Appearance.objects.filter(session=new_first).values_list("speaker", "role")) == list(
        Appearance.objects.filter(session=first).values_list("speaker", "role"))
    # Last year's addresses stay; the new year's are its own.
    assert new_first.slug == "s2025-1-2026" and Session.objects.get(slug="s2025-1") == first
    assert first.applications.count() == 1


def test_copying_takes_the_questionnaires_along_without_their_responses():
    from questionnaires.demo import demo_template_save
    from questionnaires.services import questionnaire_copy

    series, first, _second = _series_to_copy()
    template = demo_template_save(series)
    questionnaire_copy(source=template, session=first)

    copy = series_copy_to_next_year(series=series, by=None)

    new_template = Questionnaire.objects.get(series=copy, session__isnull=True)
    assert new_template.questions.count() == template.questions.count() > 0
    new_first = copy.sessions.get(number=1)
    assert Questionnaire.objects.get(session=new_first).questions.count() == template.questions.count()
    assert not Questionnaire.objects.get(session=new_first).responses.exists()


def test_a_series_is_copied_to_a_year_only_once():
    series, _first, _second = _series_to_copy()
    series_copy_to_next_year(series=series, by=None)

    with pytest.raises(SeriesCopyRefused):
        series_copy_to_next_year(series=series, by=None)
    assert Series.objects.filter(fiscal_year=2026).count() == 1


def test_the_office_copies_a_series_in_admin_after_confirming(client, english):
    call_command("create_office_user", "desk", "desk@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="desk"))
    series, _first, _second = _series_to_copy()
    url = "/en/admin/seminars/series/"
    chosen = {"action": "copy_to_next_year", "_selected_action": [series.pk]}

    asking = client.post(url, chosen)

    assert asking.status_code == 200
    assert "Seminars of 2025 (FY2025 (Reiwa 7)), 2 sessions" in asking.content.decode()
    assert "Not copied: applicants" in asking.content.decode()
    assert Series.objects.count() == 1

    done = client.post(url, chosen | {"confirmed": "yes"}, follow=True)

    assert done.status_code == 200
    assert Series.objects.filter(fiscal_year=2026).exists()
    assert Series.objects.get(fiscal_year=2026).sessions.count() == 2
