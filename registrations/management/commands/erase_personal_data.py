"""Erase the applicants' personal data now due, as beat does daily; --dry-run only counts."""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from outbox.services import messages_about
from registrations.retention import applications_due_for_erasure, applications_erase_personal_data


class Command(BaseCommand):
    help = _(
        "Erase the personal data of applications whose session ended PERSONAL_DATA_RETENTION_DAYS or more days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Print what would be erased without changing anything.")
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        if dry_run:
            due = applications_due_for_erasure()
            counts = {
                "applications": due.count(),
                "sessions": due.values("session").distinct().count(),
                "mails": messages_about(due).count(),
                "days": days,
            }
            self.stdout.write(
                _(
                    "Dry run: %(applications)d applications of %(sessions)d sessions (with %(mails)d mails) "
                    "are due for erasure (%(days)d days after their session). Nothing was changed."
                )
                % counts
            )
            return
        erased = applications_erase_personal_data()
        self.stdout.write(
            self.style.SUCCESS(
                _("Erased the personal data of %(applications)d applications (%(days)d days after their session).")
                % {"applications": erased, "days": days}
            )
        )
