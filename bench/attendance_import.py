"""Measure importing a 5,000-person Zoom webinar attendee report into a session (not a test).

    .venv/bin/python bench/attendance_import.py [--people 5000] [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/seminars_bench_attendance]

Creates a throwaway database (the PostgreSQL database named in --database-url is
dropped and created again; without PostgreSQL, SQLite in a temporary folder), a
session of 120 minutes with --people confirmed applications, and two attendee
reports in Zoom's webinar format (host and panelist sections, one row per
person, every fifth person rejoining once, every tenth on two devices at once,
200 guests nobody applied with). The two files differ slightly, so each run is
a real import that replaces the previous one (the same file twice changes
nothing and would measure only the digest). Prints, per run and as the median:
parsing alone, and the whole import (parse, match, one upsert of the records,
the audit entries) in seconds and rows per second.
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_bench_attendance"
sys.path.insert(0, str(REPO))

from bench.environment import bench_django_setup  # noqa: E402


def zoom_report(people: int, start: dt.datetime, variant: int) -> bytes:
    """Return a Zoom webinar attendee report (English headers, 12/17/2026 02:00:00 PM times) as bytes."""
    def when(minutes: float) -> str:
        return (start + dt.timedelta(minutes=minutes)).strftime("%m/%d/%Y %I:%M:%S %p")

    lines = [
        "Attendee Report,", 'Report Generated:,"Dec 17, 2026 04:31 PM"',
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,"
        "Total Users,Max Concurrent Views",
        f'Bench,812 3456 7890,"{when(-8)}",128,{people},0,{people},{people},{people}',
        "Host Details,", "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),"
        "Is Guest,Country/Region Name",
        f"Yes,Office,host@example.org,{when(-8)},{when(125)},133,No,Japan",
        "Panelist Details,", "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),"
        "Is Guest,Country/Region Name",
        f"Yes,Speaker,speaker@example.org,{when(-5)},{when(122)},127,No,Japan",
        "Attendee Details,",
        "Attended,User Name (Original Name),First Name,Last Name,Email,Phone,Registration Time,Approval Status,"
        "Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,Source Name",
    ]
    for n in range(people):
        email = f"person{n}@example.jp"
        stay = (n * 7 + variant) % 121
        lines.append(f"Yes,Person {n},Person,{n},{email},,{when(-900)},approved,{when(0)},{when(stay)},{stay},No,"
                     "Japan,")
        if n % 5 == 0 and stay < 100:  # rejoined after a break
            lines.append(f"Yes,Person {n},Person,{n},{email},,--,--,{when(stay + 5)},{when(120)},"
                         f"{max(0, 115 - stay)},No,Japan,")
        if n % 10 == 0:  # a second device, overlapping
            lines.append(f"Yes,Person {n} (iPad),Person,{n},{email},,--,--,{when(10)},{when(40)},30,No,Japan,")
    for n in range(200):
        lines.append(f"Yes,Guest {n},Guest,{n},guest{n}@example.com,,--,--,{when(0)},{when(60)},60,Yes,Japan,")
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()

    database_url = bench_django_setup(args.database_url, name="attendance")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from registrations.attendance import attendance_import
    from registrations.attendance_reports import report_parse
    from registrations.models import Application, AttendanceRecord
    from seminars.models import TOKYO, Series, Session

    call_command("migrate", verbosity=0)
    start = dt.datetime(2026, 12, 17, 14, 0, tzinfo=TOKYO)
    series = Series.objects.create(slug="bench", title_en="Bench series", overview_en="-", audience_en="-",
                                   fee_note_en="Free", application_rule_en="-", contact_email="office@example.org")
    session = Session.objects.create(
        series=series, number=1, slug="bench-1", level_en="Basic", title_en="Bench session", overview_en="-",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), applications_open_on=dt.date(2026, 11, 1),
        applications_close_on=dt.date(2026, 12, 10),
    )
    Application.objects.bulk_create(
        Application(
            session=session, reference=f"B{n:07d}", manage_secret=f"bench-{n}", name=f"Person {n}",
            email=f"person{n}@example.jp", organisation="Bench", industry="retail", organisation_size="1-9",
            prefecture="13", consented_at=start, privacy_notice_version="bench",
        )
        for n in range(args.people)
    )
    office = get_user_model().objects.create_user("office")
    files = [zoom_report(args.people, start, variant) for variant in (0, 1)]
    rows = sum(1 for line in files[0].splitlines() if line.startswith(b"Yes,Person") or line.startswith(b"Yes,Guest"))
    print(f"{database_url.split(':')[0]}: {args.people} applications, {rows} attendee rows "
          f"({len(files[0]) / 1024:.0f} KB), {args.runs} runs")
    parse_times, import_times = [], []
    for run in range(args.runs):
        content = files[run % 2]
        began = time.perf_counter()
        report_parse(content)
        parse_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        result = attendance_import(session=session, file=content, filename=f"run{run}.csv", by=office)
        import_times.append(time.perf_counter() - began)
        assert not result.unchanged and result.matched == args.people and len(result.unmatched) == 200
        print(f"  run {run + 1}: parse {parse_times[-1]:.2f} s, import {import_times[-1]:.2f} s "
              f"({rows / import_times[-1]:,.0f} rows/s); {result.attended} attended, {result.absent} absent")
    assert AttendanceRecord.objects.count() == args.people
    parse, whole = statistics.median(parse_times), statistics.median(import_times)
    print(f"median: parse {parse:.2f} s ({rows / parse:,.0f} rows/s); whole import {whole:.2f} s "
          f"({rows / whole:,.0f} rows/s)")


if __name__ == "__main__":
    main()
