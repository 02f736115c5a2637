"""Who answered a questionnaire, counted as every figure counts it: attendees' responses, and the others apart.

An attendee is what registrations.figures says (attendance recorded as attended, not cancelled).
A response counts by its application while attached, and by what was kept on detaching it at
erasure (Response.respondent, Response.repeated), so the figures read the same before and after.
Each person counts once for a session, whatever the versions of its questionnaire they answered.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from registrations.figures import absent_q, attended_q
from registrations.models import Application

from .enums import Respondent
from .models import Questionnaire, Response

_PERCENT = Decimal("0.1")
_MEAN = Decimal("0.01")


def percent(count: int, base: int) -> Decimal | None:
    """Return count/base as a percentage rounded half up to one decimal (None when base is 0)."""
    if not base:
        return None
    return (Decimal(count * 100) / Decimal(base)).quantize(_PERCENT, rounding=ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    """Return total/count rounded half up to two decimals (None when count is 0)."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_MEAN, rounding=ROUND_HALF_UP)


@dataclass
class ResponseFigures:
    """A session's (or one questionnaire version's) responses, told apart by who sent them.

    `from_attendees` are people whose attendance is recorded as attended (registrations.figures),
    each counted once whatever the versions they answered; `from_others` are everyone else who
    answered (recorded absent where the office allows it, attendance changed since): shown apart,
    never in the rate. `responses` counts every response of every version.
    """

    attendees: int = 0
    from_attendees: int = 0
    from_others: int = 0
    responses: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Attendees who answered, of the attendees, as a percentage (None before any attendance is recorded)."""
        return percent(self.from_attendees, self.attendees)


def from_attendee_q(prefix: str = "", *, attached_only: bool = False) -> Q:
    """A response sent by an attendee of the questionnaire's session: while attached, or as kept on detaching.

    `prefix` is the path from the model queried to the response ("response__" for an answer).
    """
    attached = Q(**{f"{prefix}application__session_id": F(f"{prefix}questionnaire__session_id")}) & attended_q(
        f"{prefix}application__"
    )
    if attached_only:
        return attached
    return attached | Q(**{f"{prefix}application__isnull": True, f"{prefix}respondent": Respondent.ATTENDED})


def _response_counts(responses, group: str, *, once_per_person: bool) -> dict:
    """Return {group value: ResponseFigures without attendees} for the Response queryset (one query).

    Attached responses are people counted by their application (distinct); detached ones by the
    respondent kept on detaching, leaving out with `once_per_person` those marked repeated.
    """
    attached = from_attendee_q(attached_only=True)
    detached = Q(application__isnull=True)
    if once_per_person:
        detached &= Q(repeated=False)
    rows = responses.order_by().values(group).annotate(
        responses=Count("pk"),
        people=Count("application_id", distinct=True),
        attendees=Count("application_id", distinct=True, filter=attached),
        kept_attendees=Count("pk", filter=detached & Q(respondent=Respondent.ATTENDED)),
        kept_others=Count("pk", filter=detached & ~Q(respondent=Respondent.ATTENDED)),
    )
    return {
        row[group]: ResponseFigures(
            from_attendees=row["attendees"] + row["kept_attendees"],
            from_others=row["people"] - row["attendees"] + row["kept_others"],
            responses=row["responses"],
        )
        for row in rows
    }


def attendees_by_session(session_ids: list[int]) -> dict[int, int]:
    """Return {session id: attendees} (registrations.figures), one grouped query."""
    return dict(
        Application.objects.filter(attended_q(), session__in=session_ids).order_by().values("session_id")
        .annotate(n=Count("pk")).values_list("session_id", "n")
    )


def response_figures_by_session(session_ids: list[int], *, attendees: dict[int, int] | None = None) -> dict:
    """Return {session id: ResponseFigures} over every version of each session's questionnaire (one or two queries).

    `attendees` ({session id: attendees}) when the caller has counted them already.
    """
    counts = _response_counts(
        Response.objects.filter(questionnaire__session__in=session_ids), "questionnaire__session_id",
        once_per_person=True,
    )
    if attendees is None:
        attendees = attendees_by_session(session_ids)
    figures = {}
    for pk in session_ids:
        each = counts.get(pk, ResponseFigures())
        each.attendees = attendees.get(pk, 0)
        figures[pk] = each
    return figures


def response_figures_for(questionnaire: Questionnaire) -> ResponseFigures:
    """Return one questionnaire version's responses by who sent them, and its session's attendees (two queries)."""
    counts = _response_counts(
        Response.objects.filter(questionnaire=questionnaire), "questionnaire_id", once_per_person=False
    )
    figures = counts.get(questionnaire.pk, ResponseFigures())
    if questionnaire.session_id:
        figures.attendees = attendees_by_session([questionnaire.session_id]).get(questionnaire.session_id, 0)
    return figures


def respondents_on_detaching(responses) -> dict[int, tuple[str, bool]]:
    """Return {response id: (Respondent, repeated)} for attached responses about to be detached (three queries).

    What the figures read from the application while a response is attached, kept for when it is not:
    whom it came from, and whether the same person answered a newer version of the session's
    questionnaire (the session's figures count each person once, in the newest version).
    """
    rows = list(responses.filter(application__isnull=False).order_by()
                .values_list("pk", "application_id", "questionnaire__session_id", "questionnaire__version"))
    attended = set(responses.filter(from_attendee_q()).values_list("pk", flat=True))
    absent = set(responses.filter(Q(application__session_id=F("questionnaire__session_id")) & absent_q("application__"))
                 .values_list("pk", flat=True))
    newest: dict[tuple, int] = {}
    for _pk, application_id, session_id, version in rows:
        key = (application_id, session_id)
        newest[key] = max(newest.get(key, version), version)
    kept = {}
    for pk, application_id, session_id, version in rows:
        respondent = Respondent.ATTENDED if pk in attended else Respondent.ABSENT if pk in absent else Respondent.OTHER
        kept[pk] = (respondent, version < newest[(application_id, session_id)])
    return kept
