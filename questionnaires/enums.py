"""The kinds of question and the states of a questionnaire."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale from 1 to 5")
    TEXT = "text", _("Free text")


# The points of a scale question, lowest first.
SCALE_POINTS = (1, 2, 3, 4, 5)


class QuestionnaireState(models.TextChoices):
    """Where a session's questionnaire stands at a moment (Questionnaire.state)."""

    NOT_YET_OPEN = "not_yet_open", pgettext_lazy("questionnaire", "Not open yet")
    OPEN = "open", pgettext_lazy("questionnaire", "Open")
    CLOSED = "closed", pgettext_lazy("questionnaire", "Closed")
    # An earlier version: the office made a new one, and only the newest takes answers.
    SUPERSEDED = "superseded", pgettext_lazy("questionnaire", "Replaced by a newer version")
    TEMPLATE = "template", pgettext_lazy("questionnaire", "Series template")


class Respondent(models.TextChoices):
    """Whom a detached response came from, kept when the application's personal data is erased.

    While a response belongs to its application, the figures read this from the application's
    attendance (registrations.figures); erasure detaches the response, and this keeps the answer.
    """

    ATTENDED = "attended", _("An attendee")
    ABSENT = "absent", _("Someone recorded absent")
    OTHER = "other", _("Someone whose attendance was not recorded")
