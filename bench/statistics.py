"""Measure the office's statistics: the series page, a session page and the report, on a large series (not a test).

    .venv/bin/python bench/statistics.py [--applications 50000] [--sessions 5] [--responses 10000] [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/seminars_hg]

Creates a throwaway database (the PostgreSQL database named in --database-url is dropped and
created again; without PostgreSQL, SQLite in a temporary folder), a series of --sessions sessions
and --applications applications spread over them and over 30 days of each application period
(industries, sizes, prefectures, online/venue, 8% cancelled, 5% on the waiting list), an
attendance record for each confirmed one (70% attended), the course record of those who
attended and --responses questionnaire responses from attendees (three scale questions each).
Prints, per page, the median time over --runs requests through Django's test client (signed in
as an office user), the number of database queries and the size, and how the series page's
time divides between counting (selectors) and drawing the charts (pygal).
"""
import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_bench_statistics"
sys.path.insert(0, str(REPO))

from bench.environment import bench_django_setup  # noqa: E402

INDUSTRIES = ["retail", "food_service", "accommodation", "medical", "finance", "transport", "public", "other"]
SIZES = ["1-9", "10-49", "50-99", "100-299", "300-999", "1000+"]
PREFECTURES = ["13"] * 6 + ["14", "11", "12", "27", "23", "01"]


def median(values: list[float]) -> float:
    # Not the standard library's statistics module: this file's own name hides it when run as a script.
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def questionnaire_responses(sessions, count: int) -> None:
    """Add a questionnaire to each session and `count` responses from attendees, each with 3 answers."""
    from questionnaires.enums import QuestionKind
    from questionnaires.models import Answer, Question, Questionnaire, Response
    from registrations.enums import AttendanceStatus
    from registrations.models import Application

    questions = {}
    for session in sessions:
        questionnaire = Questionnaire.objects.create(series=session.series, session=session, title="アンケート")
        questions[session.pk] = [
            Question.objects.create(questionnaire=questionnaire, kind=QuestionKind.SCALE, key=key, text=key, order=n)
            for n, key in enumerate(["satisfaction", "usefulness", "speaker"])
        ]
    attendees = Application.objects.filter(
        session__in=sessions, attendance_record__status=AttendanceStatus.ATTENDED
    ).values_list("pk", "session_id")[:count]
    moment = sessions[-1].ends_at
    Response.objects.bulk_create(
        (Response(questionnaire_id=questions[session_id][0].questionnaire_id, application_id=pk, submitted_at=moment,
                  updated_at=moment, sort_key=index + 1)
         for index, (pk, session_id) in enumerate(attendees)),
        batch_size=5000,
    )
    session_of = {questions[pk][0].questionnaire_id: pk for pk in questions}
    made = Response.objects.filter(questionnaire__session__in=sessions).values_list("pk", "questionnaire_id")
    Answer.objects.bulk_create(
        (Answer(response_id=pk, question=question, scale=1 + (pk + n) % 5)
         for pk, questionnaire_id in made for n, question in enumerate(questions[session_of[questionnaire_id]])),
        batch_size=5000,
    )


def populate(applications: int, sessions: int, responses: int) -> object:
    """Create the series and its data in bulk; return the series."""
    from certificates.services import course_attendance_sync
    from registrations.enums import ApplicationStatus, AttendanceSource, AttendanceStatus
    from registrations.models import Application, AttendanceRecord
    from seminars.models import TOKYO, Series, Session

    series = Series.objects.create(slug="bench", title_en="Bench series", title_ja="ベンチ用シリーズ", overview_en="-",
                                   audience_en="-", fee_note_en="Free", application_rule_en="-",
                                   contact_email="office@example.org")
    rows = []
    for number in range(1, sessions + 1):
        start = dt.datetime(2025, 3, 20, 14, 0, tzinfo=TOKYO) + dt.timedelta(days=45 * (number - 1))
        rows.append(Session.objects.create(
            series=series, number=number, slug=f"bench-{number}", level_en="Basic", title_en=f"Bench {number}",
            title_ja=f"ベンチ第{number}回", overview_en="-", starts_at=start, ends_at=start + dt.timedelta(hours=2),
            applications_open_on=start.date() - dt.timedelta(days=35),
            applications_close_on=start.date() - dt.timedelta(days=4),
            capacity=applications // sessions, format="hybrid", venue="Hall",
        ))
    people = int(applications * 0.6) + 1  # some people apply to several sessions (never twice to one)
    batch = []
    for index in range(applications):
        session = rows[index % sessions]
        status = (ApplicationStatus.CANCELLED if index % 25 < 2 else
                  ApplicationStatus.WAITLISTED if index % 20 == 3 else ApplicationStatus.CONFIRMED)
        batch.append(Application(
            session=session, reference=f"B{index:09d}", manage_secret=f"bench-{index}", name="ベンチ 太郎",
            email=f"person{index % people}@example.jp" if status != ApplicationStatus.CANCELLED
            else f"cancelled{index}@example.jp",
            organisation="株式会社ベンチ", industry=INDUSTRIES[index % len(INDUSTRIES)],
            organisation_size=SIZES[index % len(SIZES)], prefecture=PREFECTURES[index % len(PREFECTURES)],
            attendance="venue" if index % 4 == 0 else "online", status=status,
            consented_at=session.starts_at, privacy_notice_version="2025-06",
            created_at=session.applications_open_at + dt.timedelta(hours=(index * 7) % (30 * 24)),
        ))
    Application.objects.bulk_create(batch, batch_size=5000)
    confirmed = Application.objects.filter(session__series=series, status=ApplicationStatus.CONFIRMED)
    AttendanceRecord.objects.bulk_create(
        (AttendanceRecord(application_id=pk, source=AttendanceSource.REPORT,
                          status=AttendanceStatus.ATTENDED if pk % 10 < 7 else AttendanceStatus.ABSENT)
         for pk in confirmed.values_list("pk", flat=True).iterator()),
        batch_size=5000,
    )
    course_attendance_sync(now=rows[-1].ends_at)
    questionnaire_responses(rows, responses)
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh tables: plan as on a database autovacuum has analysed
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return series


def measure(client, url: str, runs: int) -> tuple[float, int, int]:
    """Return the median seconds, the queries and the bytes of GET `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, counted, size = [], 0, 0
    for _run in range(runs):
        with CaptureQueriesContext(connection) as context:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
        counted, size = len(context.captured_queries), len(response.content)
    return median(times), counted, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50000)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--responses", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()

    database_url = bench_django_setup(args.database_url, name="statistics", ALLOWED_HOSTS="testserver")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from office_stats.charts import charts_for
    from office_stats.selectors import statistics_for_series

    setup_test_environment()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    series = populate(args.applications, args.sessions, args.responses)
    print(f"data: {args.applications:,} applications, {args.sessions} sessions, attendance, course record, "
          f"{args.responses:,} questionnaire responses "
          f"({database_url.split(':')[0]}), created in {time.perf_counter() - began:.1f} s")

    office = get_user_model().objects.create_superuser("bench", "bench@example.org", "not-used")
    client = Client()
    client.force_login(office)
    first = series.sessions.order_by("number").first()
    pages = [
        ("series page", reverse("admin:office_stats_series", args=[series.pk])),
        ("session page", reverse("admin:office_stats_session", args=[first.pk])),
        ("report XLSX", reverse("admin:office_stats_report", args=[series.pk, "xlsx"])),
        ("report PDF", reverse("admin:office_stats_report", args=[series.pk, "pdf"])),
    ]
    client.get(pages[0][1])  # warm: templates, translations, pygal's imports
    for name, url in pages:
        runs = 1 if name == "report PDF" else args.runs
        seconds, queries, size = measure(client, url, runs)
        print(f"{name:13} {seconds * 1000:8.0f} ms  {queries:3d} queries  {size / 1024:7.0f} KB  (median of {runs})")

    counting, drawing = [], []
    for _run in range(args.runs):
        began = time.perf_counter()
        figures = statistics_for_series(series)
        counting.append(time.perf_counter() - began)
        began = time.perf_counter()
        charts_for(figures)
        drawing.append(time.perf_counter() - began)
    print(f"series page: counting {median(counting) * 1000:.0f} ms, "
          f"charts {median(drawing) * 1000:.0f} ms (medians)")


if __name__ == "__main__":
    main()
