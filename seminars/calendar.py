"""A session as an iCalendar event (RFC 5545): the public .ics and the one attached to confirmations."""
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from .enums import SessionFormat
from .models import TOKYO, Session


def session_uid(session: Session) -> str:
    """Return the event's UID: stable per session, so a second import updates the same event."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"session-{session.pk}@{host}"


def session_calendar(session: Session, *, private: bool = False, stamp=None, joining_url: str = "") -> bytes:
    """Return a calendar with the session as one event, Asia/Tokyo times.

    The public file links the session page only. `private=True` (the file attached
    to a confirmation, seen by the applicant alone) adds the joining link as the
    event's location and the joining instructions to its description; `joining_url`
    (an applicant's personal webinar link) takes the place of the session's shared link.
    """
    page_url = settings.SITE_URL.rstrip("/") + session.get_absolute_url()
    joining_url = (joining_url or session.joining_url) if private else ""
    lines = [session.overview]
    if joining_url:
        lines += ["", _("Joining link: %(url)s") % {"url": joining_url}, session.joining_instructions]
    lines += ["", page_url]
    event = Event()
    event.add("uid", session_uid(session))
    # DTSTAMP changes with each file; the stable UID is what identifies the event.
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", session.starts_at.astimezone(TOKYO))
    event.add("dtend", session.ends_at.astimezone(TOKYO))
    # The session itself ("第1回「…」"): the series' name would push it out of sight in a calendar's narrow cell.
    event.add("summary", str(session))
    event.add("url", page_url)
    if joining_url:
        event.add("location", joining_url)
    elif location := session_location(session):
        event.add("location", location)
    event.add("description", "\n".join(line for line in lines if line is not None).strip())

    calendar = Calendar()
    calendar.add("prodid", "-//Seminar portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # The VTIMEZONE that the TZID of DTSTART/DTEND refers to.
    calendar.add_component(_tokyo_timezone())
    return calendar.to_ical()


def session_location(session: Session) -> str:
    """Return where the session takes place, in the active language: the venue, "Online (Zoom)", or both."""
    if session.format == SessionFormat.VENUE:
        return session.venue
    if session.format == SessionFormat.HYBRID and session.venue:
        return _("%(venue)s or online (Zoom)") % {"venue": session.venue}
    return _("Online (Zoom)")


@functools.cache
def _tokyo_timezone() -> Timezone:
    # Built once per process: deriving it from the tz database takes ~25 ms, a mail wave needs it thousands of times.
    return Timezone.from_tzinfo(TOKYO)


def session_ics(request, slug):
    """Serve /sessions/<slug>/calendar.ics: the session as a public calendar event."""
    session = Session.objects.select_related("series").filter(slug=slug).first()
    if session is None:
        raise Http404
    response = HttpResponse(session_calendar(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    return response
