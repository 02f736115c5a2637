"""The draw of a session that gives its places by lottery (seminars.enums.Allocation.LOTTERY).

Applications to such a session await the draw while the application period runs
(registrations.services.application_create). After the period the office runs the
draw (office.services.draw_run, which records who ran it and the seed, and calls
`session_allocate_by_draw` here): the applications awaiting it are shuffled with
`random.Random(seed)` in order of their primary key, so the same seed and the same
list always give the same order; the first ones take the free places, the rest
join the waiting list in drawn order, or are not drawn when the session keeps no
waiting list. Each drawn application keeps its position (Application.draw_position),
which the waiting list follows afterwards (selectors.waitlist_queue).
"""
import datetime as dt
import random

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from seminars.enums import Allocation
from seminars.models import Session

from .enums import ApplicationStatus
from .models import Application
from .status import application_status_change

DRAW_ACTION = "draw"


class DrawRefused(Exception):
    """The draw cannot run now; `message` is for the office."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


def draw_order(application_ids, seed: str) -> list[int]:
    """Return the application ids in drawn order: sorted, then shuffled by random.Random(seed)."""
    order = sorted(application_ids)
    random.Random(seed).shuffle(order)  # noqa: S311 - a fair, reproducible order, not a secret
    return order


def session_allocate_by_draw(*, session: Session, seed: str, by, now: dt.datetime) -> dict[int, str]:
    """Give the places of a lottery session to its applications awaiting the draw; return {id: new status}.

    The first applications in drawn order take the places still free
    (capacity minus places taken; all of them without a capacity), the rest join the
    waiting list in drawn order, or become "not drawn" when the session keeps none.
    Call inside the transaction that records the draw.

    Side effects: each application's status and draw position, with its audit entry
    (by `by`, action "draw"), through the one status change
    (status.application_status_change; no mail: the office sends the results after
    looking at them, notifications.draw_result_wave); the places taken, in one update
    (the database refuses more than the capacity).

    Raise DrawRefused with code "first_come" (not a lottery session), "open" (the
    application period still runs) or "held" (the session has started).
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.allocation != Allocation.LOTTERY:
            raise DrawRefused("first_come", _("This session gives its places first come, first served."))
        if now < session.applications_close_at:
            raise DrawRefused("open", _("The application period has not ended yet; draw after it closes."))
        if now >= session.starts_at:
            raise DrawRefused("held", _("The session has started; it is too late for a draw."))
        awaiting = Application.objects.select_for_update().filter(
            session=session, status=ApplicationStatus.AWAITING_DRAW
        )
        order = draw_order(awaiting.values_list("pk", flat=True), seed)
        free = len(order) if session.capacity is None else max(session.capacity - session.places_taken, 0)
        rest = ApplicationStatus.WAITLISTED if session.waitlist_enabled else ApplicationStatus.NOT_DRAWN
        results = {pk: (ApplicationStatus.CONFIRMED if position < free else rest) for position, pk in enumerate(order)}
        by_pk = awaiting.in_bulk(order)
        for position, pk in enumerate(order, start=1):
            application_status_change(
                by_pk[pk], to=results[pk], now=now, action=DRAW_ACTION, by=by, actor_label=by.get_username(),
                fields={"draw_position": position}, changes={"draw_position": position},
            )
        confirmed = sum(1 for status in results.values() if status == ApplicationStatus.CONFIRMED)
        if confirmed:
            Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + confirmed)
    return results
