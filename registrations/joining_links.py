"""Personal joining links (a webinar link issued for one person) as registrations sees them.

The integration that issues them (the zoom app) sits above registrations, which
therefore cannot import it and keeps none of its state. Registrations asks
through two signals (registrations/signals.py) and the integration answers from
its own records. Signals rather than a registry: it is the pattern the apps
already use with each other (application_place_lost, personal_data_erased), it
needs no setting, and with no integration connected every answer is empty, so
everyone gets the session's shared link.
"""
import datetime as dt
from collections.abc import Iterable

from seminars.models import Session

from .enums import ApplicationStatus
from .models import Application
from .signals import personal_joining_urls_requested, personal_links_awaited


def personal_joining_urls(session: Session, applications: Iterable[Application]) -> dict[int, str]:
    """Return {application id: personal joining link} for those of `applications` that have one.

    The one way the mail, the .ics and the manage page get a person's link. Only
    applications confirmed for `session` are asked about: a cancelled application,
    or one moved to another session, gets no link whatever the integration still
    holds. One query per integration for the whole list.
    """
    ids = {a.pk for a in applications if a.session_id == session.pk and a.status == ApplicationStatus.CONFIRMED}
    if not ids:
        return {}
    links: dict[int, str] = {}
    for _receiver, answer in personal_joining_urls_requested.send(
        sender=Application, session=session, application_ids=sorted(ids)
    ):
        links.update({pk: url for pk, url in (answer or {}).items() if pk in ids and url})
    return links


def personal_links_awaited_until(session: Session) -> dt.datetime | None:
    """Return until when the session's confirmations wait for personal links, or None when it has none.

    The earliest time any integration names: from then on a confirmation still
    without its link goes with the session's shared link.
    """
    times = [answer for _receiver, answer in personal_links_awaited.send(sender=Application, session=session)
             if answer is not None]
    return min(times) if times else None
