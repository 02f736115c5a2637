from django.core.management.base import BaseCommand

from demo.office_year import demo_office_year_load
from seminars.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the real series from the seed page (FY2025) and a demo year (FY2026) dated around today, with the "
        "office's work on it: applicants, attendance, questionnaire responses, certificates, a draw to run "
        "(idempotent)."
    )

    def handle(self, *args, **options):
        seed_series, year_series = demo_load()
        worked = demo_office_year_load(year_series)
        for series in (seed_series, year_series):
            self.stdout.write(f"Loaded {series}: {series.sessions.count()} sessions.")
        if worked:
            self.stdout.write("Added the office's work on the demo year: applications, attendance, responses.")
