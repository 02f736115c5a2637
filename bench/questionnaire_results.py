"""Measure the office's questionnaire results page and the series comparison (not a test).

    .venv/bin/python bench/questionnaire_results.py [--responses 5000] [--others 500] [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/seminars_bench_questionnaire]

Creates a throwaway database (the PostgreSQL database named in --database-url is dropped and
created again; without PostgreSQL, SQLite in a temporary folder), a series of five sessions and a
template of 10 questions (3 scales, 3 single choice, 2 multiple choice, 2 free text) copied to each.
Session 1 gets --responses attendees who all answer; sessions 2 to 5 get --others each. Answers are
drawn from a fixed seed: every scale and single choice answered, multiple choice one to three ticks
(or none, a fifth of the time), free text from a third of the respondents.

Then it fetches, as an office user through Django's test client (the whole admin view: selectors,
pygal's charts, templates), the results page of session 1 and the comparison of the series, --runs
times each, and prints the median and spread of the time and the number of SQL queries. The same
pages of a questionnaire with 100 responses (session 2 before its others arrive) are counted first:
the query counts must be the same whatever the number of responses.
"""
import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_bench_questionnaire"
sys.path.insert(0, str(REPO))

from bench.environment import bench_django_setup  # noqa: E402

QUESTIONS = [  # (key, kind, number of choices)
    ("satisfaction", "scale", 0), ("understanding", "single", 4), ("useful_parts", "multiple", 6),
    ("next_themes", "multiple", 6), ("company_measures", "single", 4), ("speaker", "scale", 0),
    ("length", "single", 3), ("materials", "scale", 0), ("comments", "text", 0), ("requests", "text", 0),
]
COMMENTS = ["具体的な事例が多く、社内研修の参考になりました。", "時間がもう少し長いとよかったです。",
            "The case studies were very useful.", "電話対応の演習をもっと聞きたいです。"]


def build_series():
    """Create the series, five held sessions and the template of 10 questions, copied to each session."""
    import datetime as dt

    from questionnaires.models import Choice, Question, Questionnaire
    from questionnaires.services import questionnaire_copy
    from seminars.models import TOKYO, Series, Session

    series = Series.objects.create(slug="bench", title_en="Bench series", overview_en="-", audience_en="-",
                                   fee_note_en="Free", application_rule_en="-", contact_email="office@example.org")
    template = Questionnaire.objects.create(series=series, title_ja="受講者アンケート", title_en="Questionnaire")
    for order, (key, kind, choices) in enumerate(QUESTIONS):
        question = Question.objects.create(
            questionnaire=template, order=order, key=key, kind=kind, required=kind in ("scale", "single"),
            text_ja=f"設問 {order + 1}（{key}）", text_en=f"Question {order + 1} ({key})",
            scale_min_label_ja="不満" if kind == "scale" else "", scale_max_label_ja="満足" if kind == "scale" else "",
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=n, text_ja=f"選択肢{n + 1}", text_en=f"Choice {n + 1}")
            for n in range(choices)
        )
    questionnaires = []
    now = dt.datetime.now(tz=TOKYO)
    for number in range(1, 6):
        starts = now - dt.timedelta(days=8 - number, hours=3)
        session = Session.objects.create(
            series=series, number=number, slug=f"bench-{number}", level_en="Basic",
            title_en=f"Bench session {number}", title_ja=f"ベンチ講座 第{number}回", overview_en="-",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
            applications_open_on=(starts - dt.timedelta(days=30)).date(),
            applications_close_on=(starts - dt.timedelta(days=2)).date(),
        )
        questionnaires.append(questionnaire_copy(source=template, session=session, now=now))
    return series, questionnaires


def respond(questionnaire, count: int, rng: random.Random, *, offset: int) -> None:
    """Add `count` attended applications to the questionnaire's session, each with a response (bulk inserts)."""
    from django.utils import timezone

    from questionnaires.models import Answer, Response
    from registrations.models import Application, AttendanceRecord

    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            session=questionnaire.session, reference=f"Q{offset + n:07d}", manage_secret=f"bench-{offset + n}",
            name=f"Person {n}", email=f"person{offset + n}@example.jp", organisation=f"株式会社ベンチ{n % 300}",
            industry="retail", organisation_size="1-9", prefecture="13", consented_at=now, privacy_notice_version="b",
        )
        for n in range(count)
    )
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(application=application, status="attended", minutes=110, source="report")
        for application in applications
    )
    responses = Response.objects.bulk_create(
        Response(questionnaire=questionnaire, application=application, submitted_at=now, updated_at=now,
                 sort_key=rng.randrange(2**31))
        for application in applications
    )
    questions = list(questionnaire.questions.prefetch_related("choices"))
    answers = []
    for response in responses:
        for question in questions:
            choices = [choice.pk for choice in question.choices.all()]
            if question.kind == "scale":
                answers.append(Answer(response=response, question=question, scale=rng.choices(
                    [1, 2, 3, 4, 5], weights=[1, 2, 5, 9, 7])[0]))
            elif question.kind == "single":
                answers.append(Answer(response=response, question=question, choice_id=rng.choice(choices)))
            elif question.kind == "multiple":
                if rng.random() >= 0.2:
                    for pk in rng.sample(choices, rng.randint(1, 3)):
                        answers.append(Answer(response=response, question=question, choice_id=pk))
            elif rng.random() < 1 / 3:
                answers.append(Answer(response=response, question=question, text=rng.choice(COMMENTS)))
    Answer.objects.bulk_create(answers, batch_size=5000)


def measure(client, url: str, runs: int) -> tuple[list[float], int]:
    """Fetch `url` `runs` times; return the times and the query count of the last fetch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates compiled, fonts and translations loaded
    times = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    return times, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--others", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()

    database_url = bench_django_setup(args.database_url, name="questionnaire")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from questionnaires.models import Answer
    from questionnaires.selectors import questionnaire_results, series_comparison

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    rng = random.Random(18)
    series, questionnaires = build_series()
    office = get_user_model().objects.create_superuser("office")
    client = Client()
    client.force_login(office)

    def results_url(questionnaire):
        return reverse("admin:questionnaires_questionnaire_results", args=[questionnaire.pk])

    comparison_url = reverse("admin:questionnaires_questionnaire_comparison", args=[series.pk])
    respond(questionnaires[1], 100, rng, offset=900_000)
    _times, small_results = measure(client, results_url(questionnaires[1]), 1)
    _times, small_comparison = measure(client, comparison_url, 1)

    began = time.perf_counter()
    respond(questionnaires[0], args.responses, rng, offset=0)
    for index, questionnaire in enumerate(questionnaires[1:], start=1):
        respond(questionnaire, args.others - (100 if index == 1 else 0), rng, offset=index * 100_000)
    total = args.responses + 4 * args.others
    print(f"{database_url.split(':')[0]}: {total:,} responses ({Answer.objects.count():,} answers) in "
          f"{time.perf_counter() - began:.1f} s; 10 questions; {args.runs} runs each")

    for name, url, small in (
        (f"results page, {args.responses:,} responses", results_url(questionnaires[0]), small_results),
        (f"series comparison, 5 sessions, {total:,} responses", comparison_url, small_comparison),
    ):
        times, queries = measure(client, url, args.runs)
        print(f"  {name}: median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, "
              f"max {max(times) * 1000:.0f}); {queries} queries (with 100 responses: {small})")
        assert queries == small, f"{name}: {queries} queries, {small} with 100 responses"
    for name, read in (("questionnaire_results()", lambda: questionnaire_results(questionnaires[0])),
                       ("series_comparison()", lambda: series_comparison(series))):
        times = []
        for _run in range(args.runs):
            began = time.perf_counter()
            read()
            times.append(time.perf_counter() - began)
        print(f"  of which the selector {name}: median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
