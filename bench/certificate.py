"""Measure rendering one certificate to PDF (not a test).

    .venv/bin/python bench/certificate.py [--count 20] [--language ja] [--kind session] [--out var/screens]

Builds a throwaway SQLite database in a temporary folder: a series of five sessions
(the demo's titles) and one applicant (ja and en) who attended all five, so the course
certificate is the longest it gets. Then it renders the chosen certificate --count
times (WeasyPrint, Noto CJK, the QR code as SVG) and prints the median and spread of
the time and the PDF's size. The first rendering is timed apart: it loads the fonts.

With --out it also writes the four certificates (ja and en, session and course) as
PDFs into that folder, for a look with `pdftoppm -png -r 70`.
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build():
    """Create the series, sessions, application and attendance; return the attended applications."""
    from registrations.enums import AttendanceSource, AttendanceStatus
    from registrations.models import Application, AttendanceRecord
    from seminars.models import TOKYO, Series, Session

    series = Series.objects.create(
        slug="bench", title_ja="カスタマーハラスメント防止対策セミナー",
        title_en="Customer Harassment Prevention Seminars",
        overview_en="-", audience_en="-", fee_note_en="Free", application_rule_en="-",
        contact_email="office@example.org", completion_min_sessions=3,
    )
    titles = [
        ("カスタマーハラスメントの基礎知識と企業の取組",
         "Basic Knowledge of Customer Harassment and Corporate Initiatives"),
        ("カスタマーハラスメントの理解と組織的な対応",
         "Understanding Customer Harassment and Organizational Responses"),
        ("対面の場面におけるカスタマーハラスメント対策",
         "Measures for Handling Customer Harassment in In-Person Situations"),
        ("電話対応におけるカスタマーハラスメント対策", "Handling Customer Harassment in Phone Response"),
        ("訪問の場面におけるカスタマーハラスメントへの対応策",
         "Response Strategies for Customer Harassment During In-Person Visits"),
    ]
    applications = {}
    for number, (title_ja, title_en) in enumerate(titles, start=1):
        starts = dt.datetime(2026, 7 + number, 17, 14, 0, tzinfo=TOKYO)
        session = Session.objects.create(
            series=series, number=number, slug=f"bench-{number}", level_ja="基礎編", level_en="Basic",
            title_ja=title_ja, title_en=title_en, overview_en="-", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2), applications_open_on=starts.date() - dt.timedelta(days=30),
            applications_close_on=starts.date() - dt.timedelta(days=3),
        )
        for language in ("ja", "en"):
            application = Application.objects.create(
                session=session, reference=f"B{number}{language.upper()}00000",
                manage_secret=f"bench-{number}-{language}",
                name="山田 花子" if language == "ja" else "Hanako Yamada",
                email=f"hanako.{language}@example.jp", organisation="株式会社サンプル商事", department="人事部",
                industry="retail", organisation_size="100-299", prefecture="13",
                consented_at=starts - dt.timedelta(days=20), privacy_notice_version="2025-06", language=language,
            )
            AttendanceRecord.objects.create(
                application=application, status=AttendanceStatus.ATTENDED, minutes=118, source=AttendanceSource.REPORT
            )
            applications[(number, language)] = application
    return applications


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--language", choices=["ja", "en"], default="ja")
    parser.add_argument("--kind", choices=["session", "course"], default="session")
    parser.add_argument("--out", type=Path, help="also write the four certificates as PDFs into this folder")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="bench-certificate-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": "bench-only-not-secret",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        "CACHE_URL": "",
    })
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from certificates.documents import certificate_pdf
    from certificates.selectors import course_record_for
    from certificates.services import certificate_issue_for_course, certificate_issue_for_session

    call_command("migrate", verbosity=0)
    applications = build()
    now = timezone.now()

    def render(kind: str, language: str) -> bytes:
        application = applications[(5, language)]
        if kind == "course":
            certificate = certificate_issue_for_course(application=application, now=now)
            return certificate_pdf(certificate, application=application, record=course_record_for(application, now=now))
        certificate = certificate_issue_for_session(application=application, now=now)
        return certificate_pdf(certificate, application=application)

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for kind in ("session", "course"):
            for language in ("ja", "en"):
                path = args.out / f"certificate-{kind}-{language}.pdf"
                path.write_bytes(render(kind, language))
                print(f"wrote {path}")

    started = time.perf_counter()
    first = render(args.kind, args.language)
    first_seconds = time.perf_counter() - started
    times, sizes = [], []
    for _ in range(args.count):
        started = time.perf_counter()
        pdf = render(args.kind, args.language)
        times.append(time.perf_counter() - started)
        sizes.append(len(pdf))
    print(
        f"{args.kind} certificate, {args.language}: first rendering {first_seconds * 1000:.0f} ms "
        f"({len(first) / 1024:.0f} KB)"
    )
    print(
        f"  {args.count} renderings: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); "
        f"PDF median {statistics.median(sizes) / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
