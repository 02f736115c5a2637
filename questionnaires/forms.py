"""The respondent's form, built from the questionnaire's questions; the office's forms in admin_forms.py."""
from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.forms import TextField

from .enums import SCALE_POINTS, QuestionKind
from .models import TEXT_ANSWER_MAX_LENGTH, Questionnaire, Response

REQUIRED_MESSAGES = {
    QuestionKind.SINGLE: _("Please choose an answer."),
    QuestionKind.MULTIPLE: _("Please choose at least one answer."),
    QuestionKind.SCALE: _("Please choose a point from 1 to 5."),
    QuestionKind.TEXT: _("Please write an answer."),
}


def field_name(question) -> str:
    return f"q{question.pk}"


class ResponseForm(forms.Form):
    """One field per question, in order: radio buttons, tick boxes, a 1-5 scale or a text box.

    `values()` returns the answers as services.response_submit takes them. Initial values come
    from the application's earlier response, so sending the form again edits it.
    """

    def __init__(self, *args, questionnaire: Questionnaire, response: Response | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        earlier = _earlier_values(response) if response else {}
        for question in questionnaire.questions.all():
            field = _field_for(question)
            field.question = question
            name = field_name(question)
            self.fields[name] = field
            if question.pk in earlier:
                self.initial[name] = earlier[question.pk]

    def question_fields(self):
        """Yield (question, bound field) in the questionnaire's order."""
        for name, field in self.fields.items():
            yield field.question, self[name]

    def values(self) -> dict:
        """Return {question id: answer} from the cleaned data (choice ids as integers)."""
        out = {}
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            question = field.question
            if question.kind == QuestionKind.MULTIPLE:
                out[question.pk] = [int(v) for v in value or []]
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
                out[question.pk] = int(value) if value else None
            else:
                out[question.pk] = value or ""
        return out


def _field_for(question) -> forms.Field:
    messages = {"required": REQUIRED_MESSAGES[question.kind]}
    common = {"label": question.text, "required": question.required, "help_text": question.help_text,
              "error_messages": messages}
    if question.kind == QuestionKind.TEXT:
        return TextField(multi_line=True, max_length=TEXT_ANSWER_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 5}), **common)
    if question.kind == QuestionKind.SCALE:
        ends = {SCALE_POINTS[0]: question.scale_min_label, SCALE_POINTS[-1]: question.scale_max_label}
        choices = [(str(point), f"{point} {ends[point]}" if ends.get(point) else str(point)) for point in SCALE_POINTS]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


def _earlier_values(response: Response) -> dict:
    values = {}
    for answer in response.answers.all():
        if answer.choice_id:
            values.setdefault(answer.question_id, []).append(str(answer.choice_id))
        elif answer.scale:
            values[answer.question_id] = str(answer.scale)
        else:
            values[answer.question_id] = answer.text
    # A single choice is one value, not a list.
    return {key: value[0] if isinstance(value, list) and len(value) == 1 else value for key, value in values.items()}
