from django.core.management.base import BaseCommand

from seminars.demo import demo_load


class Command(BaseCommand):
    help = "Load the seminar series from the seed page plus three sessions dated around today (idempotent)."

    def handle(self, *args, **options):
        series = demo_load()
        self.stdout.write(f"Loaded {series}: {series.sessions.count()} sessions.")
