"""Import a session's attendee report from a file, as the admin's upload does, and print what it recorded."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registrations.attendance import UNMATCHED_WHY, AttendanceRefused, attendance_import
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
            result = attendance_import(session=found, file_bytes=path.read_bytes(), filename=path.name, by=user)
        except AttendanceRefused as refusal:
            raise CommandError(str(refusal.message)) from refusal
        if result.unchanged:
            self.stdout.write(_("This file was already imported for the session on %(at)s; nothing was changed.")
                              % {"at": f"{result.attendance_import.imported_at:%Y-%m-%d %H:%M}"})
        self.stdout.write(
            _("%(format)s: %(rows)d rows read, %(matched)d people matched; %(attended)d attended, %(absent)d absent "
              "(%(missing)d of them not in the report); %(kept)d recorded by the office or at the door kept; "
              "%(unmatched)d rows not matched.") % {
                "format": result.report_format_label, "rows": result.rows, "matched": result.matched,
                "attended": result.attended, "absent": result.absent, "missing": result.absent_not_in_report,
                "kept": result.kept, "unmatched": len(result.unmatched),
            }
        )
        for row in result.unmatched:
            self.stdout.write(_("  line %(line)d: %(email)s %(name)s: %(why)s") % {
                **row, "email": row["email"] or "–", "why": UNMATCHED_WHY.get(row["why"], row["why"]),
            })
