"""A series copied to the next year takes its questionnaires along (receiver of seminars.signals.series_copied)."""
import datetime as dt

from .models import Choice, Question, Questionnaire
from .selectors import questionnaire_current
from .services import _COPIED_FIELDS, _QUESTION_FIELDS, questionnaire_copy


def questionnaires_copy_for_series(sender, *, source, copy, sessions: dict, now: dt.datetime, **kwargs) -> int:
    """Copy the series' template to `copy`, and each session's current questionnaire to the session's copy.

    The copies open and close at their defaults (from each new session's end), take no responses
    with them, and name the questionnaire they came from. Return how many questionnaires were made.
    """
    made = 0
    template = Questionnaire.objects.filter(series=source, session__isnull=True).first()
    if template is not None and not Questionnaire.objects.filter(series=copy, session__isnull=True).exists():
        new = Questionnaire.objects.create(
            series=copy, session=None, copied_from=template, created_at=now,
            **{field: getattr(template, field) for field in _COPIED_FIELDS},
        )
        for question in template.questions.prefetch_related("choices"):
            added = Question.objects.create(questionnaire=new, **{f: getattr(question, f) for f in _QUESTION_FIELDS})
            Choice.objects.bulk_create(
                Choice(question=added, order=choice.order, text_ja=choice.text_ja, text_en=choice.text_en)
                for choice in question.choices.all()
            )
        made += 1
    for old_session, new_session in sessions.items():
        current = questionnaire_current(old_session)
        if current is not None and questionnaire_current(new_session) is None:
            questionnaire_copy(source=current, session=new_session, now=now)
            made += 1
    return made
