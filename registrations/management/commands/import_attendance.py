"""Import a session's attendee report from a file, as the admin's upload does, and print what it recorded."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registrations.attendance import UNMATCHED_WHY, AttendanceRefused, attendance_import, import_summary
from seminars.models import Session


class Command(BaseCommand):
    help = _("Record a session's attendance from a webinar tool's attendee report (CSV).")

    def add_arguments(self, parser):
        parser.add_argument("session", help=_("The session's slug."))
        parser.add_argument("file", help=_("The attendee report (CSV)."))
        parser.add_argument("--by", help=_("The office user's name, recorded as who imported it."))

    def handle(self, *args, session, file, by=None, **options):
        found = Session.objects.filter(slug=session).first()
        if found is None:
            raise CommandError(_("No session has the slug “%(slug)s”.") % {"slug": session})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(_("No user is named “%(name)s”.") % {"name": by})
        try:
            with path.open("rb") as report:  # read as a stream; the size limit is the service's
                result = attendance_import(session=found, file=report, filename=path.name, by=user)
        except AttendanceRefused as refusal:
            raise CommandError(str(refusal.message)) from refusal
        if result.unchanged:
            self.stdout.write(_("This file was already imported for the session on %(at)s; nothing was changed.")
                              % {"at": f"{result.attendance_import.imported_at:%Y-%m-%d %H:%M}"})
        self.stdout.write(_("%(format)s: %(rows)d rows read, %(unmatched)d rows not matched.") % {
            "format": result.report_format_label, "rows": result.rows, "unmatched": len(result.unmatched),
        })
        self.stdout.write(import_summary(result))
        for row in result.unmatched:
            self.stdout.write(_("  line %(line)d: %(email)s %(name)s: %(why)s") % {
                **row, "email": row["email"] or "–", "why": UNMATCHED_WHY.get(row["why"], row["why"]),
            })
