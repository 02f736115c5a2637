"""The figures of a series or of one session, counted in the database: a fixed number of queries whatever the data.

Every figure is an aggregate (Count with a filter, grouped by session and one field), so the
pages, the XLSX and the PDF cost the same for ten applications as for fifty thousand. The
fields counted (status, session, industry, organisation size, prefecture, how people attend,
the attendance records) survive the erasure of personal data (registrations/retention.py).
People who came to several sessions are counted from the course record (certificates), which
keeps a keyed digest per attended session after the applications' emails are erased.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.selectors import people_by_sessions_attended
from questionnaires.enums import QuestionKind
from questionnaires.figures import from_attendee_q, response_figures_by_session
from questionnaires.models import Answer
from registrations.enums import (
    ApplicationStatus,
    Attendance,
    Industry,
    OrganisationSize,
    Prefecture,
)
from registrations.figures import absent_q, attended_q, not_recorded_q, session_is_held
from registrations.models import Application
from seminars.models import TOKYO, Series, Session

# The comparison key of the questionnaire's question "how satisfied were you" (1 to 5), as the series'
# template gives it (questionnaires/demo.py); the mean satisfaction is the mean of its answers.
SATISFACTION_KEY = "satisfaction"

# The statuses counted, in the order the pages show them.
STATUSES = [
    ("confirmed", ApplicationStatus.CONFIRMED),
    ("waitlisted", ApplicationStatus.WAITLISTED),
    ("awaiting_draw", ApplicationStatus.AWAITING_DRAW),
    ("not_drawn", ApplicationStatus.NOT_DRAWN),
    ("cancelled", ApplicationStatus.CANCELLED),
]


@dataclass
class Figures:
    """The figures of one session, or of the whole series (`session` None), each counted one way everywhere.

    The statuses break the applications down (they add up to `applications`); attended, absent and
    not recorded break down the applications expected at the session (registrations.figures). Rates
    are of held sessions only: a session not yet held has none, never 0 %.
    """

    session: Session | None
    capacity: int | None
    # Whether the session has started (for the series: any of its sessions).
    held: bool = False
    applications: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    awaiting_draw: int = 0
    not_drawn: int = 0
    cancelled: int = 0
    attended: int = 0
    absent: int = 0
    not_recorded: int = 0
    # People who answered the questionnaire: attendees (each once), and others apart (questionnaires.figures).
    responses: int = 0
    responses_others: int = 0
    # The held sessions' attended and absent, and their attendees' responses: what the rates divide.
    held_attended: int = 0
    held_absent: int = 0
    held_responses: int = 0
    # The satisfaction question's points added up, and how many attendees answered it (for the mean).
    satisfaction_points: int = 0
    satisfaction_answers: int = 0

    @property
    def satisfaction(self) -> float | None:
        """The mean of the attendees' answers to the satisfaction question (1 to 5), or None without any."""
        return self.satisfaction_points / self.satisfaction_answers if self.satisfaction_answers else None

    @property
    def label(self) -> str:
        if self.session is None:
            return gettext("All sessions")
        return gettext("Session %(number)s") % {"number": self.session.number}

    @property
    def fill_rate(self) -> float | None:
        """Confirmed places as a share of the capacity (0..1), or None without a capacity."""
        return self.confirmed / self.capacity if self.capacity else None

    @property
    def expected(self) -> int:
        """The applications expected at the session: attended, absent and not recorded add up to it."""
        return self.attended + self.absent + self.not_recorded

    @property
    def attendance_rate(self) -> float | None:
        """Attended of those whose attendance is recorded, in held sessions (0..1); None when none is recorded."""
        recorded = self.held_attended + self.held_absent
        return self.held_attended / recorded if recorded else None

    @property
    def response_rate(self) -> float | None:
        """Attendees who answered the questionnaire, of the attendees of held sessions (0..1), or None."""
        return self.held_responses / self.held_attended if self.held_attended else None


@dataclass
class DailyLine:
    """A session's applications per day (Japan time), with the running total."""

    session: Session
    days: list[tuple[dt.date, int, int]]  # (date, applications that day, total so far)

    @property
    def closes_on(self) -> dt.date:
        return self.session.applications_close_on

    @property
    def total(self) -> int:
        return self.days[-1][2] if self.days else 0

    def total_on(self, day: dt.date) -> int:
        """Return the running total at the end of `day`."""
        total = 0
        for each, _new, running in self.days:
            if each > day:
                break
            total = running
        return total


@dataclass
class BreakdownRow:
    value: str
    label: str
    counts: list[int]  # one per session, in the order of Breakdown.sessions
    total: int = 0
    share: float | None = None


@dataclass
class Breakdown:
    """Applications (not cancelled) counted by one field, per session and in total."""

    key: str
    title: str
    sessions: list[Session]
    rows: list[BreakdownRow]
    total: int = 0
    # Rows summed below the table (the prefectures outside Tokyo).
    subtotal: BreakdownRow | None = None


@dataclass
class ModeRow:
    """How applicants attend (online, at the venue): applied and attended, per session."""

    value: str
    label: str
    applied_by_session: list[int]
    attended_by_session: list[int]

    @property
    def applied(self) -> int:
        return sum(self.applied_by_session)

    @property
    def attended(self) -> int:
        return sum(self.attended_by_session)


@dataclass
class Statistics:
    """Everything the pages and the report show for a series, or for one session of it."""

    series: Series
    session: Session | None
    at: dt.datetime
    sessions: list[Session]
    figures: list[Figures]  # one per session
    total: Figures
    daily: list[DailyLine]
    breakdowns: list[Breakdown]
    modes: list[ModeRow]
    # Series only: people by the number of the series' sessions they attended, from the course record.
    repeat: dict[int, int] = field(default_factory=dict)
    repeat_kept_until: dt.datetime | None = None
    # When the course record last took in attendance: attendance recorded since counts from its next run.
    repeat_as_of: dt.datetime | None = None

    @property
    def repeat_people(self) -> int:
        """People who came to two or more sessions of the series."""
        return sum(people for sessions, people in self.repeat.items() if sessions >= 2)

    @property
    def repeat_rows(self) -> list[tuple[int, int]]:
        most = max([*self.repeat, len(self.sessions)])
        return [(sessions, self.repeat.get(sessions, 0)) for sessions in range(1, most + 1)]

    @property
    def breakdown(self) -> dict[str, Breakdown]:
        return {each.key: each for each in self.breakdowns}


def statistics_for_series(series: Series, *, now: dt.datetime | None = None) -> Statistics:
    """Return the figures of every session of `series` and of the series as a whole (9 queries)."""
    now = now or timezone.now()
    sessions = list(Session.objects.filter(series=series).select_related("series").order_by("number"))
    # By the sessions' ids, already at hand: no join with the sessions' table in every count.
    applications = Application.objects.filter(session__in=[each.pk for each in sessions])
    return _statistics(series, None, sessions, applications, now=now, repeat=_repeat(series))


def statistics_for_session(session: Session, *, now: dt.datetime | None = None) -> Statistics:
    """Return the figures of one session (8 queries)."""
    now = now or timezone.now()
    sessions = list(Session.objects.filter(pk=session.pk).select_related("series"))
    applications = Application.objects.filter(session=session)
    return _statistics(session.series, sessions[0], sessions, applications, now=now, repeat=None)


def _statistics(series, session, sessions, applications, *, now, repeat) -> Statistics:
    counts = _counts(applications)
    attendees = {
        each.pk: sum(row["attended"] for (pk, _mode), row in counts.items() if pk == each.pk) for each in sessions
    }
    answers = _questionnaire_counts(sessions, attendees)
    figures = [_figures(each, counts, answers, now=now) for each in sessions]
    standing = applications.exclude(status=ApplicationStatus.CANCELLED)
    statistics = Statistics(
        series=series,
        session=session,
        at=now,
        sessions=sessions,
        figures=figures,
        total=figures[0] if session is not None else _sum(figures),
        daily=_daily(sessions, applications),
        breakdowns=[
            _breakdown("industry", _("Industry"), Industry, sessions, standing),
            _breakdown("organisation_size", _("Organisation size"), OrganisationSize, sessions, standing),
            _prefectures(sessions, standing),
        ],
        modes=_modes(sessions, counts),
    )
    if repeat is not None:
        statistics.repeat = repeat
        statistics.repeat_as_of = course_record_taken_at(now)
        last_end = max((each.ends_at for each in sessions), default=None)
        if last_end is not None:
            statistics.repeat_kept_until = last_end + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    return statistics


# What _questionnaire_counts() counts for each session; the series' mean weighs every answer alike.
QUESTIONNAIRE_COUNTED = ["responses", "responses_others", "satisfaction_points", "satisfaction_answers"]
# What _counts() counts for each session and way of attending.
COUNTED = ["applications", *(name for name, _status in STATUSES), "attended", "absent", "not_recorded"]
# What only held sessions add to the series' rates.
HELD_COUNTED = ["held_attended", "held_absent", "held_responses"]


def _counts(applications) -> dict[tuple[int, str], dict[str, int]]:
    """Return the counts by (session, online/venue): applications, each status, attended, absent, not recorded.

    One query; attended, absent and not recorded as registrations.figures defines them.
    """
    rows = applications.values("session_id", "attendance").annotate(
        applications=Count("pk"),
        **{name: Count("pk", filter=Q(status=status)) for name, status in STATUSES},
        attended=Count("pk", filter=attended_q()),
        absent=Count("pk", filter=absent_q()),
        not_recorded=Count("pk", filter=not_recorded_q()),
    ).order_by()
    return {(row["session_id"], row["attendance"]): row for row in rows}


def _questionnaire_counts(sessions, attendees: dict[int, int]) -> dict[int, dict[str, int]]:
    """Return, per session, who answered the questionnaire and the satisfaction answers' sum and count (2 queries).

    Every version of a session's questionnaire counts (a replaced one keeps its responses), and
    responses detached from erased applications too (questionnaires.figures). The mean satisfaction
    is of the attendees' answers, as the questionnaire's results show them.
    """
    ids = [each.pk for each in sessions]
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for pk, figures in response_figures_by_session(ids, attendees=attendees).items():
        counts[pk] |= {"responses": figures.from_attendees, "responses_others": figures.from_others}
    for row in Answer.objects.filter(
        from_attendee_q("response__"),
        question__questionnaire__session__in=ids, question__key=SATISFACTION_KEY,
        question__kind=QuestionKind.SCALE, scale__isnull=False,
    ).values("question__questionnaire__session_id").annotate(points=Sum("scale"), answers=Count("pk")).order_by():
        counts[row["question__questionnaire__session_id"]] |= {
            "satisfaction_points": row["points"], "satisfaction_answers": row["answers"],
        }
    return counts


def _figures(session: Session, counts, answers, *, now) -> Figures:
    rows = [row for (session_id, _mode), row in counts.items() if session_id == session.pk]
    figures = Figures(session=session, capacity=session.capacity, held=session_is_held(session, now=now),
                      **{name: sum(row[name] for row in rows) for name in COUNTED}, **answers.get(session.pk, {}))
    if figures.held:
        figures.held_attended, figures.held_absent = figures.attended, figures.absent
        figures.held_responses = figures.responses
    return figures


def _sum(figures: list[Figures]) -> Figures:
    capacities = [each.capacity for each in figures]
    total = Figures(session=None, capacity=None if None in capacities or not capacities else sum(capacities),
                    held=any(each.held for each in figures))
    for name in [*COUNTED, *QUESTIONNAIRE_COUNTED, *HELD_COUNTED]:
        setattr(total, name, sum(getattr(each, name) for each in figures))
    return total


def _daily(sessions: list[Session], applications) -> list[DailyLine]:
    """Return each session's applications per day in Japan time, all statuses (one query)."""
    rows = (
        applications.annotate(day=TruncDate("created_at", tzinfo=TOKYO))
        .values("session_id", "day")
        .annotate(count=Count("pk"))
        .order_by("session_id", "day")
    )
    per_session: dict[int, list] = {each.pk: [] for each in sessions}
    for row in rows:
        days = per_session[row["session_id"]]
        running = (days[-1][2] if days else 0) + row["count"]
        days.append((row["day"], row["count"], running))
    return [DailyLine(session=each, days=per_session[each.pk]) for each in sessions]


def _counts_by(field_name: str, applications) -> dict[tuple[int, str], int]:
    rows = applications.values("session_id", field_name).annotate(count=Count("pk")).order_by()
    return {(row["session_id"], row[field_name]): row["count"] for row in rows}


def _rows(values_labels, sessions, counts) -> list[BreakdownRow]:
    rows = []
    for value, label in values_labels:
        per_session = [counts.get((each.pk, value), 0) for each in sessions]
        rows.append(BreakdownRow(value=value, label=str(label), counts=per_session, total=sum(per_session)))
    return rows


def _with_shares(breakdown: Breakdown) -> Breakdown:
    breakdown.total = sum(row.total for row in breakdown.rows)
    for row in [*breakdown.rows, *([breakdown.subtotal] if breakdown.subtotal else [])]:
        row.share = row.total / breakdown.total if breakdown.total else None
    return breakdown


def _breakdown(key, title, choices, sessions, applications) -> Breakdown:
    """Return the applications counted by a choice field, every choice shown, in the choices' order (one query)."""
    counts = _counts_by(key, applications)
    known = [(value, label) for value, label in choices.choices]
    # A value no longer among the choices is still counted, under its stored value.
    unknown = sorted({value for _pk, value in counts} - set(choices.values))
    rows = _rows([*known, *((value, value or "–") for value in unknown)], sessions, counts)
    return _with_shares(Breakdown(key=key, title=str(title), sessions=sessions, rows=rows))


def _prefectures(sessions, applications) -> Breakdown:
    """Return Tokyo, then the other prefectures that have applicants (most first), and their sum (one query)."""
    counts = _counts_by("prefecture", applications)
    labels = dict(Prefecture.choices)
    rows = _rows(
        [(value, labels.get(value, value)) for value in {value for _pk, value in counts} - {Prefecture.TOKYO}],
        sessions, counts,
    )
    rows.sort(key=lambda row: (-row.total, row.value))
    tokyo = _rows([(Prefecture.TOKYO, Prefecture.TOKYO.label)], sessions, counts)[0]
    outside = BreakdownRow(
        value="outside_tokyo", label=gettext("Outside Tokyo"),
        counts=[sum(row.counts[index] for row in rows) for index in range(len(sessions))],
        total=sum(row.total for row in rows),
    )
    return _with_shares(Breakdown(
        key="prefecture", title=gettext("Prefecture of the workplace"), sessions=sessions, rows=[tokyo, *rows],
        subtotal=outside,
    ))


def _modes(sessions, counts) -> list[ModeRow]:
    """Return how applicants attend (online, at the venue): applications not cancelled and attended, per session."""
    def count(session, value, name) -> int:
        row = counts.get((session.pk, value))
        if row is None:
            return 0
        return row["applications"] - row["cancelled"] if name == "applied" else row["attended"]

    return [
        ModeRow(
            value=value, label=str(label),
            applied_by_session=[count(each, value, "applied") for each in sessions],
            attended_by_session=[count(each, value, "attended") for each in sessions],
        )
        for value, label in Attendance.choices
    ]


def course_record_taken_at(now: dt.datetime) -> dt.datetime:
    """Return the last moment at or before `now` the hourly task took attendance into the course record.

    Read from beat's schedule (config/celery.py, "keep-course-records"), so the page's note follows it.
    """
    from config.celery import app

    minute = min(app.conf.beat_schedule["keep-course-records"]["schedule"].minute)
    local = timezone.localtime(now)
    taken = local.replace(minute=minute, second=0, microsecond=0)
    return taken if taken <= local else taken - dt.timedelta(hours=1)


def _repeat(series: Series) -> dict[int, int]:
    """Return {sessions attended: people} for the series, from the course record or its summary (one query)."""
    return {sessions: people for sessions, people in people_by_sessions_attended(series.pk) if sessions}


def series_latest() -> Series | None:
    """Return the series whose last session is the latest (the one the office works on), or None."""
    latest_first = F("last").desc(nulls_last=True)
    return Series.objects.annotate(last=Max("sessions__starts_at")).order_by(latest_first, "-pk").first()
