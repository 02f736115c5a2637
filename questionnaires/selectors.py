"""Reads for questionnaires: the one a session or an application has, and the results the office reads.

The results take a fixed number of queries whatever the number of responses: the counts are
grouped in the database (`questionnaire_results`: 7 queries; `series_comparison`: 7).
Anonymous questionnaires never read the application behind a response.
"""
import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from registrations.figures import absent_q, attended_q, session_is_held
from registrations.models import Application
from seminars.models import Series, Session

from .enums import SCALE_POINTS, QuestionKind, QuestionnaireState
from .figures import (
    ResponseFigures,
    from_attendee_q,
    mean,
    percent,
    response_figures_by_session,
    response_figures_for,
)
from .models import Answer, Choice, Question, Questionnaire, Response

# Free-text answers shown per question on the results page; all of them on the question's own page.
TEXTS_ON_RESULTS_PAGE = 20
TEXTS_PER_PAGE = 100


# --- answering ---


def questionnaire_current(session: Session) -> Questionnaire | None:
    """Return the session's current questionnaire (the newest version), or None."""
    return Questionnaire.objects.filter(session=session, superseded_at__isnull=True).first()


def questionnaire_is_locked(questionnaire: Questionnaire) -> bool:
    """Return whether the questionnaire has a response, which fixes its questions."""
    return Response.objects.filter(questionnaire=questionnaire).exists()


def questionnaire_for_answering(session: Session) -> Questionnaire | None:
    """Return the session's current questionnaire with its questions and their choices, or None without questions."""
    questionnaire = (
        Questionnaire.objects.filter(session=session, superseded_at__isnull=True)
        .select_related("session__series")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.prefetch_related("choices")))
        .first()
    )
    if questionnaire is None or not questionnaire.questions.all():
        return None
    return questionnaire


def application_may_answer(application: Application, questionnaire: Questionnaire) -> bool:
    """Return whether the application may answer the questionnaire (its session's).

    Once its attendance is recorded as attended (registrations.figures), while its personal data is
    held; someone recorded absent only when the office allows it on this questionnaire
    (`absent_may_answer`), and their answers are then shown apart from the attendees'. Nobody
    answers before their attendance is recorded: an answer would otherwise count towards
    attendees who may turn out absent.
    """
    if application.personal_data_erased_at is not None or application.session_id != questionnaire.session_id:
        return False
    allowed = attended_q()
    if questionnaire.absent_may_answer:
        allowed |= absent_q()
    return Application.objects.filter(allowed, pk=application.pk).exists()


def response_for(questionnaire: Questionnaire, application: Application) -> Response | None:
    """Return the application's response to the questionnaire with its answers, or None."""
    return (
        Response.objects.filter(questionnaire=questionnaire, application=application)
        .prefetch_related("answers").first()
    )


def session_questionnaire_in_follow_up(session: Session, *, now: dt.datetime | None = None) -> Questionnaire | None:
    """Return the questionnaire the session's follow-up mail links to: current, with questions, open or opening.

    None when there is none, or it has closed: the mail then carries no questionnaire link.
    """
    questionnaire = questionnaire_current(session)
    if questionnaire is None or not questionnaire.questions.exists():
        return None
    if questionnaire.state(now=now) not in (QuestionnaireState.OPEN, QuestionnaireState.NOT_YET_OPEN):
        return None
    return questionnaire


def follow_up_data_for(sender, *, session: Session, **kwargs) -> dict:
    """Receiver of registrations.signals.follow_up_data_requested: the follow-up mail links the questionnaire
    while the session has one open or opening."""
    return {"questionnaire": True} if session_questionnaire_in_follow_up(session) else {}


@dataclass
class Invitation:
    """What the manage page says about the session's questionnaire for one application."""

    questionnaire: Questionnaire
    state: str
    response: Response | None

    @property
    def is_open(self) -> bool:
        return self.state == QuestionnaireState.OPEN

    @property
    def answered(self) -> bool:
        return self.response is not None


def invitation_for(application: Application, *, now: dt.datetime | None = None) -> Invitation | None:
    """Return the questionnaire invitation the manage page shows, or None when there is nothing to show.

    Shown while the questionnaire is open to an application that may answer, and once it has closed
    to one that answered. Three queries at most.
    """
    now = now or timezone.now()
    questionnaire = questionnaire_current(application.session)
    if questionnaire is None:
        return None
    state = questionnaire.state(now=now)
    if state not in (QuestionnaireState.OPEN, QuestionnaireState.CLOSED):
        return None
    response = Response.objects.filter(questionnaire=questionnaire, application=application).first()
    if response is None and (
        state != QuestionnaireState.OPEN or not application_may_answer(application, questionnaire)
    ):
        return None
    return Invitation(questionnaire=questionnaire, state=state, response=response)


# --- results ---


@dataclass
class ResultRow:
    """One choice or point of the scale: how many chose it, and their share of those who answered."""

    label: str
    count: int
    percent: Decimal | None
    point: int | None = None


@dataclass
class TextAnswer:
    text: str
    session: Session
    # Empty for anonymous questionnaires and for responses detached by erasure.
    organisation: str = ""


@dataclass
class QuestionResult:
    question: Question
    responses: int
    answered: int
    rows: list[ResultRow] = field(default_factory=list)
    mean: Decimal | None = None
    texts: list[TextAnswer] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def not_answered(self) -> int:
        return self.responses - self.answered

    @property
    def more_texts(self) -> int:
        """How many free-text answers are not shown on the results page."""
        return max(0, self.answered - len(self.texts))


# Whose answers a results page shows: the attendees' (the default), or the others' apart from them.
RESPONDENTS_SHOWN = ("attendees", "others")


@dataclass
class Results:
    questionnaire: Questionnaire
    figures: ResponseFigures
    questions: list[QuestionResult]
    # "attendees" or "others" (RESPONDENTS_SHOWN): whose answers the questions' counts are of.
    shown: str = "attendees"

    @property
    def responses(self) -> int:
        """The responses whose answers are counted below."""
        return self.figures.from_attendees if self.shown == "attendees" else self.figures.from_others

    @property
    def attendees(self) -> int:
        return self.figures.attendees

    @property
    def from_others(self) -> int:
        return self.figures.from_others

    @property
    def rate(self) -> Decimal | None:
        """Attendees who answered, of the attendees (None before attendance is recorded)."""
        return self.figures.rate


def _text_order(questionnaire: Questionnaire) -> list:
    # Anonymous: the random order drawn at submission, which says nothing of when or by whom.
    if questionnaire.anonymous:
        return [F("response__sort_key").asc(), F("pk").asc()]
    return [F("response__submitted_at").asc(), F("pk").asc()]


def _text_answers(questionnaire: Questionnaire, answers) -> list[tuple[int, TextAnswer]]:
    """Return (question id, TextAnswer) for the Answer queryset; an anonymous one never reads the application."""
    if questionnaire.anonymous:
        rows = answers.values_list("question_id", "text")
        return [(question_id, TextAnswer(text=text, session=questionnaire.session)) for question_id, text in rows]
    rows = answers.values_list("question_id", "text", "response__application__organisation")
    return [(question_id, TextAnswer(text=text, session=questionnaire.session, organisation=organisation or ""))
            for question_id, text, organisation in rows]


def questionnaire_results(questionnaire: Questionnaire, *, shown: str = "attendees") -> Results:
    """Return the results of one questionnaire: per question the counts, shares, mean and first free-text answers.

    The answers counted are the attendees' (`shown` "attendees"), or apart from them everyone else's
    ("others": recorded absent where the office allows it, or attendance changed since answering).
    Shares are of those who answered the question (for multiple choice they add up to more than 100 %);
    the response rate is of the session's attendees. Seven queries, whatever the number of responses.
    """
    questions = list(
        Question.objects.filter(questionnaire=questionnaire).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "pk"))
        )
    )
    figures = response_figures_for(questionnaire)
    answers = Answer.objects.filter(question__questionnaire=questionnaire).order_by()
    from_attendees = Response.objects.filter(from_attendee_q(), questionnaire=questionnaire).values("pk")
    answers = answers.filter(response__in=from_attendees) if shown == "attendees" else answers.exclude(
        response__in=from_attendees
    )
    responses = figures.from_attendees if shown == "attendees" else figures.from_others
    counts, answered = _grouped_counts(answers)
    texts = defaultdict(list)
    text_answers = (
        answers.filter(question__kind=QuestionKind.TEXT)
        .annotate(place=Window(RowNumber(), partition_by=[F("question_id")], order_by=_text_order(questionnaire)))
        .filter(place__lte=TEXTS_ON_RESULTS_PAGE)
        .order_by("question_id", "place")
    )
    for question_id, text in _text_answers(questionnaire, text_answers):
        texts[question_id].append(text)
    return Results(
        questionnaire=questionnaire,
        figures=figures,
        shown=shown,
        questions=[
            _question_result(question, responses, answered.get(question.pk, 0), counts[question.pk],
                             texts[question.pk])
            for question in questions
        ],
    )


def _grouped_counts(answers) -> tuple[dict, dict]:
    """Return ({question id: {choice id or point: count}}, {question id: respondents who answered it}).

    Two grouped queries: the answers per choice, point or (for free text) question; and, for multiple
    choice only, the respondents, as one person ticks several choices. Every other question holds one
    answer per respondent, so its respondents are the sum of its counts.
    """
    counts, answered = defaultdict(dict), defaultdict(int)
    for question_id, choice_id, scale, n in (
        answers.values("question_id", "choice_id", "scale").annotate(n=Count("pk"))
        .values_list("question_id", "choice_id", "scale", "n")
    ):
        counts[question_id][choice_id or scale] = n
        answered[question_id] += n
    answered.update(
        answers.filter(question__kind=QuestionKind.MULTIPLE).values("question_id")
        .annotate(n=Count("response_id", distinct=True)).values_list("question_id", "n")
    )
    return counts, answered


def _question_result(question, responses, answered, counts, texts) -> QuestionResult:
    result = QuestionResult(question=question, responses=responses, answered=answered, texts=texts)
    if question.kind == QuestionKind.SCALE:
        result.rows = [
            ResultRow(label=_scale_label(question, point), count=counts.get(point, 0),
                      percent=percent(counts.get(point, 0), answered), point=point)
            for point in SCALE_POINTS
        ]
        result.mean = mean(sum(point * counts.get(point, 0) for point in SCALE_POINTS), answered)
    elif question.has_choices:
        result.rows = [
            ResultRow(label=choice.text, count=counts.get(choice.pk, 0), percent=percent(counts.get(choice.pk, 0),
                                                                                        answered))
            for choice in question.choices.all()
        ]
    return result


def _scale_label(question: Question, point: int) -> str:
    end = {SCALE_POINTS[0]: question.scale_min_label, SCALE_POINTS[-1]: question.scale_max_label}.get(point)
    return f"{point} ({end})" if end else str(point)


def text_answers_page(question: Question, *, page: int | str = 1):
    """Return one page of the question's free-text answers (TEXTS_PER_PAGE) and the page: (Page, [TextAnswer])."""
    questionnaire = question.questionnaire
    answers = Answer.objects.filter(question=question).exclude(text="").order_by(*_text_order(questionnaire))
    pages = Paginator(answers, TEXTS_PER_PAGE)
    current = pages.get_page(page)
    start = (current.number - 1) * TEXTS_PER_PAGE
    return current, [text for _question, text in _text_answers(questionnaire, answers[start:start + TEXTS_PER_PAGE])]


# --- the same questions across the sessions of a series ---


@dataclass
class SessionFigures:
    """A session's responses by who sent them (ResponseFigures), and whether it has been held."""

    session: Session
    figures: ResponseFigures
    held: bool = True

    @property
    def responses(self) -> int:
        return self.figures.from_attendees

    @property
    def attendees(self) -> int:
        return self.figures.attendees

    @property
    def from_others(self) -> int:
        return self.figures.from_others

    @property
    def rate(self) -> Decimal | None:
        return self.figures.rate if self.held else None


@dataclass
class ComparedRow:
    """One session's answers to a compared question: a cell per column, the mean for scales."""

    session: Session
    answered: int
    cells: list[ResultRow]
    mean: Decimal | None = None


@dataclass
class ComparedQuestion:
    key: str
    kind: str
    text: str
    columns: list[str]
    rows: list[ComparedRow]


@dataclass
class Comparison:
    series: Series
    sessions: list[SessionFigures]
    questions: list[ComparedQuestion]


def _choice_identity(choice: Choice) -> str:
    """Return what makes two sessions' choices the same answer: the text (Japanese first), normalised."""
    return unicodedata.normalize("NFKC", choice.text_ja or choice.text_en or "").strip().casefold()


def series_comparison(series: Series, *, now: dt.datetime | None = None) -> Comparison:
    """Return the questions that share a comparison key across the series' sessions, side by side.

    Every version of a session's questionnaire counts towards that session; the answers compared are
    the attendees' (registrations.figures), as the response rate counts them. Choices are the same
    answer in two sessions when their (Japanese) texts match; the columns are every choice met, in
    the order first met. Free-text questions are counted, not compared. Seven queries.
    """
    questionnaires = list(
        Questionnaire.objects.filter(series=series, session__isnull=False).select_related("session")
        .order_by("session__number", "version")
    )
    now = now or timezone.now()
    session_ids = list(dict.fromkeys(questionnaire.session_id for questionnaire in questionnaires))
    figures = response_figures_by_session(session_ids)
    sessions = {}
    for questionnaire in questionnaires:
        session = questionnaire.session
        sessions.setdefault(session.pk, SessionFigures(
            session=session, figures=figures[session.pk], held=session_is_held(session, now=now),
        ))

    questions = list(
        Question.objects.filter(questionnaire__in=[q.pk for q in questionnaires]).exclude(key="")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    by_pk = {questionnaire.pk: questionnaire for questionnaire in questionnaires}
    answers = Answer.objects.filter(
        question__in=[question.pk for question in questions],
        response__in=Response.objects.filter(from_attendee_q(), questionnaire__in=list(by_pk)).values("pk"),
    ).order_by()
    counts, answered = _grouped_counts(answers)

    groups: dict[tuple[str, str], list[Question]] = {}
    for question in sorted(questions, key=lambda q: (by_pk[q.questionnaire_id].session.number, q.order, q.pk)):
        groups.setdefault((question.key, question.kind), []).append(question)
    compared = [
        _compared(key, kind, members, by_pk, answered, counts)
        for (key, kind), members in groups.items()
    ]
    return Comparison(series=series, sessions=list(sessions.values()), questions=compared)


def _compared(key, kind, members, by_pk, answered, counts) -> ComparedQuestion:
    latest = members[-1]
    per_session: dict[int, dict] = {}
    columns: dict[str, str] = {}
    for question in members:
        session = by_pk[question.questionnaire_id].session
        entry = per_session.setdefault(session.pk, {"session": session, "answered": 0, "counts": defaultdict(int)})
        entry["answered"] += answered.get(question.pk, 0)
        if kind == QuestionKind.SCALE:
            for point in SCALE_POINTS:
                entry["counts"][point] += counts[question.pk].get(point, 0)
        elif kind != QuestionKind.TEXT:
            for choice in question.choices.all():
                identity = _choice_identity(choice)
                columns.setdefault(identity, choice.text)
                entry["counts"][identity] += counts[question.pk].get(choice.pk, 0)
    if kind == QuestionKind.SCALE:
        labels = {str(point): _scale_label(latest, point) for point in SCALE_POINTS}
        keys = list(SCALE_POINTS)
    else:
        labels, keys = columns, list(columns)
    rows = []
    for entry in per_session.values():
        cells = [ResultRow(label=str(labels[str(k)] if kind == QuestionKind.SCALE else labels[k]),
                           count=entry["counts"][k], percent=percent(entry["counts"][k], entry["answered"]),
                           point=k if kind == QuestionKind.SCALE else None) for k in keys]
        row = ComparedRow(session=entry["session"], answered=entry["answered"], cells=cells)
        if kind == QuestionKind.SCALE:
            row.mean = mean(sum(point * entry["counts"][point] for point in SCALE_POINTS), entry["answered"])
        rows.append(row)
    column_labels = [labels[str(k)] if kind == QuestionKind.SCALE else labels[k] for k in keys]
    return ComparedQuestion(key=key, kind=kind, text=latest.text, columns=column_labels, rows=rows)
