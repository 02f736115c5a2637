"""Everything that writes questionnaires and responses: copying, versions, choices, answering, erasure.

Questions are fixed once a questionnaire has a response (`QuestionnaireLocked`): the answers would
otherwise count towards a question other than the one people read. The office makes a new
version instead (`questionnaire_new_version`), which replaces the old one for new answers while
the old one keeps its responses.
"""
import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.models import Application
from registrations.redaction import personal_values_pattern, personal_values_redact
from seminars.models import Session

from .enums import SCALE_POINTS, QuestionKind, QuestionnaireState
from .figures import respondents_on_detaching
from .models import Answer, Choice, Question, Questionnaire, Response
from .selectors import application_may_answer, questionnaire_current, questionnaire_is_locked

# Free text of a questionnaire that is not anonymous names its writer's concerns next to their organisation:
# it is deleted when the personal data is erased (the privacy notice says so). Anonymous free text stays.
KEEP_NAMED_FREE_TEXT = False
# Copied from a questionnaire to its copy; the moments are not: a copy opens by default at its session's end.
_COPIED_FIELDS = ("title_ja", "title_en", "intro_ja", "intro_en", "anonymous", "absent_may_answer")
_QUESTION_FIELDS = (
    "order", "kind", "required", "key", "text_ja", "text_en", "help_text_ja", "help_text_en",
    "scale_min_label_ja", "scale_min_label_en", "scale_max_label_ja", "scale_max_label_en",
)


class QuestionnaireLocked(Exception):
    """The questionnaire has responses: its questions can no longer change."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        super().__init__(_(
            "%(questionnaire)s already has responses: its questions can no longer be changed. Make a new "
            "version of it instead."
        ) % {"questionnaire": questionnaire})


class QuestionnaireRefused(Exception):
    """A copy or a new version that cannot be made; `message` says why in the office's words."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, message
        super().__init__(message)


class ResponseRefused(Exception):
    """An answer that cannot be taken now: `code` is "not_open", "closed", "not_eligible" or "invalid"."""

    def __init__(self, code: str, message: str = ""):
        self.code, self.message = code, message
        super().__init__(message or code)


def questionnaire_assert_editable(questionnaire: Questionnaire) -> None:
    """Raise QuestionnaireLocked when the questionnaire has responses (its questions are then fixed)."""
    if questionnaire.pk and questionnaire_is_locked(questionnaire):
        raise QuestionnaireLocked(questionnaire)


def _copy_into(source: Questionnaire, *, session: Session, version: int, now: dt.datetime) -> Questionnaire:
    copy = Questionnaire.objects.create(
        series=session.series, session=session, version=version, copied_from=source, created_at=now,
        **{field: getattr(source, field) for field in _COPIED_FIELDS},
    )
    for question in source.questions.prefetch_related("choices"):
        fields = {field: getattr(question, field) for field in _QUESTION_FIELDS}
        new = Question.objects.create(questionnaire=copy, **fields)
        Choice.objects.bulk_create(
            Choice(question=new, order=choice.order, text_ja=choice.text_ja, text_en=choice.text_en)
            for choice in question.choices.all()
        )
    return copy


@transaction.atomic
def questionnaire_copy(*, source: Questionnaire, session: Session, now: dt.datetime | None = None) -> Questionnaire:
    """Copy a questionnaire (usually the series' template) to a session that has none yet; return the copy.

    The copy has the source's title, introduction, anonymity and questions with their choices and
    comparison keys; it opens and closes at the defaults (from the session's end). Refused
    (QuestionnaireRefused "exists") when the session already has a questionnaire: edit that one, or
    make a new version of it.
    """
    now = now or timezone.now()
    # One copy at a time per session: two office users copying at once must not both pass the check.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    current = questionnaire_current(session)
    if current is not None:
        raise QuestionnaireRefused("exists", _(
            "%(session)s already has a questionnaire: change that one, or make a new version of it."
        ) % {"session": session})
    return _copy_into(source, session=session, version=1, now=now)


@transaction.atomic
def questionnaire_new_version(questionnaire: Questionnaire, *, now: dt.datetime | None = None) -> Questionnaire:
    """Make the next version of a session's questionnaire, to change questions that already have answers.

    The new version has the same questions (to be changed) and moments, and takes every answer from now
    on; the old one is marked replaced and keeps its responses and results. Refused for a template, for a
    version already replaced, and for a questionnaire without responses (change it directly).
    """
    now = now or timezone.now()
    questionnaire = Questionnaire.objects.select_for_update(of=("self",)).select_related("session__series").get(
        pk=questionnaire.pk
    )
    if questionnaire.is_template or questionnaire.superseded_at is not None:
        raise QuestionnaireRefused("not_current", _("Only the current questionnaire of a session gets a new version."))
    if not questionnaire_is_locked(questionnaire):
        raise QuestionnaireRefused("not_answered", _(
            "%(questionnaire)s has no responses yet: change its questions directly."
        ) % {"questionnaire": questionnaire})
    questionnaire.superseded_at = now
    questionnaire.save(update_fields=["superseded_at"])
    copy = _copy_into(questionnaire, session=questionnaire.session, version=questionnaire.version + 1, now=now)
    copy.opens_at, copy.closes_at = questionnaire.opens_at, questionnaire.closes_at
    copy.save(update_fields=["opens_at", "closes_at"])
    return copy


def question_choices_set(question: Question, texts: list[tuple[str, str]]) -> None:
    """Make the question's choices exactly `texts`, a list of (Japanese, English) in order.

    Choices keep their rows where they stay at the same place (so a fixed typo is the same choice);
    choices of a question that is not single or multiple choice are removed. Raise QuestionnaireLocked
    once the questionnaire has responses.
    """
    questionnaire_assert_editable(question.questionnaire)
    if not question.has_choices:
        texts = []
    existing = list(question.choices.order_by("order", "pk"))
    for order, (text_ja, text_en) in enumerate(texts):
        if order < len(existing):
            choice = existing[order]
            if (choice.order, choice.text_ja, choice.text_en) != (order, text_ja, text_en):
                choice.order, choice.text_ja, choice.text_en = order, text_ja, text_en
                choice.save(update_fields=["order", "text_ja", "text_en"])
        else:
            Choice.objects.create(question=question, order=order, text_ja=text_ja, text_en=text_en)
    Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(texts):]]).delete()


@dataclass(frozen=True)
class Submitted:
    response: Response
    created: bool


def _answers_for(response: Response, questions: list[Question], values: dict) -> list[Answer]:
    """Return the Answer rows for `values` ({question id: value}); raise ResponseRefused("invalid") on a value
    the question cannot hold (the form checks the same and says it in the respondent's words)."""
    answers = []
    for question in questions:
        value = values.get(question.pk)
        if question.kind == QuestionKind.TEXT and value is not None:
            value = str(value).strip()
        if value in (None, "", [], ()):
            if question.required:
                raise ResponseRefused("invalid", f"question {question.pk} requires an answer")
            continue
        if question.kind == QuestionKind.TEXT:
            answers.append(Answer(response=response, question=question, text=value))
        elif question.kind == QuestionKind.SCALE:
            if int(value) not in SCALE_POINTS:
                raise ResponseRefused("invalid", f"question {question.pk}: {value} is not a point of the scale")
            answers.append(Answer(response=response, question=question, scale=int(value)))
        else:
            chosen = [int(value)] if question.kind == QuestionKind.SINGLE else sorted({int(v) for v in value})
            offered = {choice.pk for choice in question.choices.all()}
            if not set(chosen) <= offered or (question.kind == QuestionKind.SINGLE and len(chosen) != 1):
                raise ResponseRefused("invalid", f"question {question.pk}: choices {chosen} are not offered")
            answers.extend(Answer(response=response, question=question, choice_id=pk) for pk in chosen)
    return answers


def response_submit(
    *, questionnaire: Questionnaire, application: Application, values: dict, now: dt.datetime | None = None
) -> Submitted:
    """Store the application's answers to the questionnaire: its one response, created or replaced.

    `values` maps question ids to a choice id (single), a list of choice ids (multiple), a point of
    the scale, or text. Refused (ResponseRefused) outside the questionnaire's open period, for an
    application that may not answer (cancelled, erased, recorded absent) and for a value the
    question cannot hold. Side effects, in one transaction: the response's answers are replaced;
    `updated_at` is now; on the first submission `submitted_at` too and a random listing order.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The office cannot change questions while an answer to them is being stored (and vice versa).
        locked = (
            Questionnaire.objects.select_for_update(of=("self",)).select_related("session").get(pk=questionnaire.pk)
        )
        state = locked.state(now=now)
        if state == QuestionnaireState.NOT_YET_OPEN:
            raise ResponseRefused("not_open")
        if state != QuestionnaireState.OPEN:
            raise ResponseRefused("closed")
        if not application_may_answer(application, locked):
            raise ResponseRefused("not_eligible")
        questions = list(locked.questions.prefetch_related("choices"))
        response = Response.objects.filter(questionnaire=locked, application=application).first()
        created = response is None
        if created:
            response = Response(questionnaire=locked, application=application, submitted_at=now, updated_at=now,
                                sort_key=secrets.randbelow(2**31))
            try:
                with transaction.atomic():
                    response.save()
            except IntegrityError:
                # The same person sent the form twice at once: the other request made the response; edit it.
                response = Response.objects.get(questionnaire=locked, application=application)
                created = False
        answers = _answers_for(response, questions, values)
        if not created:
            response.answers.all().delete()
            response.updated_at = now
            response.save(update_fields=["updated_at"])
        Answer.objects.bulk_create(answers)
    return Submitted(response=response, created=created)


def responses_detach_on_erasure(
    sender, *, application_ids: list[int], now: dt.datetime, personal_values: dict | None = None, **kwargs
) -> int:
    """Detach the responses of applications whose personal data was erased (registrations.signals receiver).

    The responses and their choice and scale answers stay for the statistics, linked to no one;
    free text stays only in anonymous questionnaires (KEEP_NAMED_FREE_TEXT). Each keeps whom it
    came from (an attendee or not) and whether the person also answered a newer version, so the
    figures read the same after erasure as before. In the anonymous free text that stays, the
    person's own name, reading, email, phone and organisation (`personal_values`, read by the
    erasure before it blanked them) are redacted first (registrations.redaction): people write
    them into comments anyway. Return how many responses were detached.
    """
    responses = Response.objects.filter(application_id__in=application_ids)
    # Whom each response came from, which the figures can no longer read once it is linked to no one.
    kept = respondents_on_detaching(responses)
    for respondent, repeated in set(kept.values()):
        Response.objects.filter(pk__in=[pk for pk, value in kept.items() if value == (respondent, repeated)]).update(
            respondent=respondent, repeated=repeated
        )
    if not KEEP_NAMED_FREE_TEXT:
        Answer.objects.filter(
            response__in=responses, question__kind=QuestionKind.TEXT, response__questionnaire__anonymous=False
        ).delete()
    _free_text_redact(responses, personal_values or {})
    return responses.update(application=None, detached_at=now)


def _free_text_redact(responses, personal_values: dict) -> None:
    """Redact each person's own values from the free text of their responses that stays (anonymous ones)."""
    texts = Answer.objects.filter(response__in=responses, question__kind=QuestionKind.TEXT).exclude(text="")
    changed = []
    for answer in texts.select_related("response").only("pk", "text", "response__application_id"):
        pattern = personal_values_pattern(personal_values.get(answer.response.application_id, {}))
        redacted = personal_values_redact(answer.text, pattern)
        if redacted != answer.text:
            answer.text = redacted
            changed.append(answer)
    Answer.objects.bulk_update(changed, ["text"])
