"""Questionnaires (アンケート) after a session: the questions the office builds, and the responses to them.

A session has at most one current questionnaire; a new version replaces it when its questions
must change after answers arrived (services.questionnaire_copy), and the earlier version keeps
its responses. A series has one template that the office copies to each session.

A response belongs to an application while the application's personal data exists: that is what
makes the link personal and lets the applicant edit the response. Erasure detaches it
(services.responses_detach_on_erasure); the answers stay for the statistics.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrations.models import Application
from registrations.validators import validate_multi_line, validate_single_line
from seminars.models import Series, Session

from .enums import SCALE_POINTS, QuestionKind, QuestionnaireState, Respondent

# A session's questionnaire opens when the session ends and stays open this long, unless the office sets its moments.
DEFAULT_OPEN_DAYS = 14
# The longest free-text answer a respondent may write.
TEXT_ANSWER_MAX_LENGTH = 2000


class Questionnaire(models.Model):
    """A session's questionnaire (one version of it), or the series' template when it has no session."""

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("series")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="questionnaires",
        verbose_name=_("session"), help_text=_("Empty for the series' template, which is copied to each session."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    intro = models.TextField(
        _("introduction"), blank=True, validators=[validate_multi_line],
        help_text=_("Shown above the questions, e.g. what the answers are used for."),
    )
    anonymous = models.BooleanField(
        _("anonymous"), default=False,
        help_text=_("The office sees and exports the answers without the applicant's reference, name or "
                    "organisation, and without the time they were sent."),
    )
    absent_may_answer = models.BooleanField(
        _("those recorded absent may answer"), default=False,
        help_text=_("The questionnaire is offered to attendees once their attendance is recorded. Tick this to "
                    "let those recorded absent answer too (e.g. after watching the recording); their answers "
                    "are shown apart and never count in the response rate."),
    )
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: when the session ends."),
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True,
        help_text=lazy(lambda: gettext("Empty: %(days)s days after the session ends.") % {"days": DEFAULT_OPEN_DAYS},
                       str)(),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("copied from"),
    )
    # Set when a newer version of the same session's questionnaire replaced this one; it then takes no answers.
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["series", "session__number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "version"], condition=Q(session__isnull=False),
                name="questionnaire_unique_version_per_session",
            ),
            models.UniqueConstraint(
                fields=["session"], condition=Q(session__isnull=False, superseded_at__isnull=True),
                name="questionnaire_one_current_per_session",
            ),
            models.UniqueConstraint(
                fields=["series"], condition=Q(session__isnull=True), name="questionnaire_one_template_per_series",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="questionnaire_closes_after_opening",
            ),
        ]

    def __str__(self):
        if self.session_id is None:
            return _("Template: %(title)s") % {"title": self.title}
        if self.version > 1:
            return _("%(session)s (version %(version)s)") % {"session": self.session, "version": self.version}
        return str(self.session)

    def get_absolute_url(self):
        return reverse("admin:questionnaires_questionnaire_change", args=[self.pk])

    @property
    def is_template(self) -> bool:
        return self.session_id is None

    @property
    def open_from(self) -> dt.datetime | None:
        """Return when answers are taken from: the moment set, else the session's end (None for a template)."""
        if self.opens_at is not None:
            return self.opens_at
        return self.session.ends_at if self.session_id else None

    @property
    def open_until(self) -> dt.datetime | None:
        """Return when answers stop being taken: the moment set, else DEFAULT_OPEN_DAYS after the session's end."""
        if self.closes_at is not None:
            return self.closes_at
        return self.session.ends_at + dt.timedelta(days=DEFAULT_OPEN_DAYS) if self.session_id else None

    def state(self, *, now: dt.datetime | None = None) -> QuestionnaireState:
        """Return the questionnaire's state at `now`: the one place its clock is read."""
        if self.session_id is None:
            return QuestionnaireState.TEMPLATE
        if self.superseded_at is not None:
            return QuestionnaireState.SUPERSEDED
        now = now or timezone.now()
        if now < self.open_from:
            return QuestionnaireState.NOT_YET_OPEN
        if now >= self.open_until:
            return QuestionnaireState.CLOSED
        return QuestionnaireState.OPEN

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The questionnaire must close after it opens.")})


class Question(models.Model):
    """One question of a questionnaire, in the order the office gave."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.CharField(_("question"), max_length=500, validators=[validate_single_line])
    help_text = models.CharField(_("hint"), max_length=500, blank=True, validators=[validate_single_line])
    required = models.BooleanField(_("answer required"), default=True)
    scale_min_label = models.CharField(
        _("label of 1"), max_length=60, blank=True, validators=[validate_single_line],
        help_text=_("Scale questions: what the lowest point means, e.g. “Not satisfied”."),
    )
    scale_max_label = models.CharField(
        _("label of 5"), max_length=60, blank=True, validators=[validate_single_line],
        help_text=_("Scale questions: what the highest point means, e.g. “Very satisfied”."),
    )
    key = models.SlugField(
        _("comparison key"), max_length=40, blank=True,
        help_text=_("Questions with the same key are compared across the sessions of the series, e.g. "
                    "“satisfaction”. Copied with the template."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], condition=~Q(key=""), name="question_unique_key_in_questionnaire",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Choice(models.Model):
    """One answer a single- or multiple-choice question offers."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("choice"), max_length=200, validators=[validate_single_line])

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One application's response to a questionnaire; sent again, it is edited rather than added."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses", verbose_name=_("questionnaire")
    )
    # Empty once detached: the application's personal data was erased (the answers stay for the statistics).
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="questionnaire_responses",
        verbose_name=_("application"),
    )
    submitted_at = models.DateTimeField(_("sent at"))
    updated_at = models.DateTimeField(_("last changed at"))
    # A random number drawn once: anonymous responses are listed and exported in this order, which says
    # nothing of when (or by whom) they were sent.
    sort_key = models.PositiveIntegerField(_("listing order"), editable=False)
    detached_at = models.DateTimeField(_("detached from the application at"), null=True, blank=True)
    # Set on detaching: whether the person had attended, which the figures can no longer read from the application.
    respondent = models.CharField(
        _("respondent"), max_length=10, choices=Respondent.choices, blank=True, editable=False,
    )
    # Set on detaching when the same person also answered a newer version of the session's questionnaire:
    # the session's figures count each person once, in the newest version they answered.
    repeated = models.BooleanField(_("also answered a newer version"), default=False, editable=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        # By column: ordering by the questionnaire itself would join it (and its own ordering) into every count.
        ordering = ["questionnaire_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "application"], condition=Q(application__isnull=False),
                name="response_one_per_application",
            ),
        ]

    def __str__(self):
        return _("Response %(number)s to %(questionnaire)s") % {"number": self.pk, "questionnaire": self.questionnaire}


class Answer(models.Model):
    """The answer to one question: a choice (one row per choice ticked), a point of the scale, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"))
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers", verbose_name=_("choice")
    )
    scale = models.PositiveSmallIntegerField(
        _("point of the scale"), null=True, blank=True,
        validators=[MinValueValidator(SCALE_POINTS[0]), MaxValueValidator(SCALE_POINTS[-1])],
    )
    text = models.TextField(_("text"), blank=True, max_length=TEXT_ANSWER_MAX_LENGTH, validators=[validate_multi_line])

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        # None: the results count answers grouped in the database, where an ordering across relations costs joins.
        constraints = [
            models.CheckConstraint(
                condition=(Q(choice__isnull=False) & Q(scale__isnull=True) & Q(text=""))
                | (Q(choice__isnull=True) & Q(scale__isnull=False) & Q(text=""))
                | (Q(choice__isnull=True) & Q(scale__isnull=True) & ~Q(text="")),
                name="answer_exactly_one_value",
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=SCALE_POINTS[0], scale__lte=SCALE_POINTS[-1]),
                name="answer_scale_within_points",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"], condition=Q(choice__isnull=False),
                name="answer_each_choice_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(choice__isnull=True), name="answer_one_value_per_question",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["question", "scale"], name="answer_question_scale"),
        ]

    def __str__(self):
        return f"{self.question}: {self.choice or self.scale or self.text[:40]}"
