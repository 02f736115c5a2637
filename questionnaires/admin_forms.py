"""The office's forms in admin: a question with its choices typed one per line, copying to sessions."""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrations.validators import validate_multi_line
from seminars.models import Session

from .enums import QuestionKind
from .models import Question
from .selectors import questionnaire_is_locked

# A choice question offers at least this many answers.
MIN_CHOICES = 2


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    """A question; for single and multiple choice, its choices one per line in each language."""

    choices_ja = forms.CharField(
        label=_("choices [ja]"), required=False, validators=[validate_multi_line],
        widget=forms.Textarea(attrs={"rows": 5, "cols": 40}),
        help_text=_("Single and multiple choice: one choice per line, in order."),
    )
    choices_en = forms.CharField(
        label=_("choices [en]"), required=False, validators=[validate_multi_line],
        widget=forms.Textarea(attrs={"rows": 5, "cols": 40}),
        help_text=_("The same choices in English, line for line (empty: the Japanese ones are shown)."),
    )

    class Meta:
        model = Question
        fields = ["order", "kind", "required", "text", "help_text", "scale_min_label", "scale_max_label", "key"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            choices = list(self.instance.choices.order_by("order", "pk"))
            self.initial.setdefault("choices_ja", "\n".join(choice.text_ja or "" for choice in choices))
            self.initial.setdefault("choices_en", "\n".join(choice.text_en or "" for choice in choices))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        japanese, english = _lines(cleaned.get("choices_ja")), _lines(cleaned.get("choices_en"))
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(japanese) < MIN_CHOICES:
                self.add_error("choices_ja", gettext("Give at least %(count)d choices, one per line.")
                               % {"count": MIN_CHOICES})
            elif english and len(english) != len(japanese):
                self.add_error("choices_en", gettext(
                    "Give as many English lines as Japanese ones (%(count)d), or none."
                ) % {"count": len(japanese)})
            elif len(set(japanese)) != len(japanese):
                self.add_error("choices_ja", gettext("Each choice only once, please."))
        elif japanese or english:
            self.add_error("choices_ja", gettext("Only single and multiple choice questions have choices."))
        too_long = [line for line in japanese + english if len(line) > 200]
        if too_long:
            self.add_error("choices_ja", gettext("A choice has at most 200 characters."))
        return cleaned

    def choice_texts(self) -> list[tuple[str, str]]:
        """Return the choices as (Japanese, English) pairs; English is empty when not given."""
        japanese, english = _lines(self.cleaned_data.get("choices_ja")), _lines(self.cleaned_data.get("choices_en"))
        return [(text, english[index] if index < len(english) else "") for index, text in enumerate(japanese)]


class QuestionFormSet(BaseInlineFormSet):
    """Refuses any change to the questions once the questionnaire has responses (also a crafted POST)."""

    def clean(self):
        super().clean()
        questionnaire = self.instance
        if questionnaire.pk and questionnaire_is_locked(questionnaire) and any(
            form.has_changed() for form in self.forms
        ):
            raise ValidationError(gettext(
                "This questionnaire already has responses: its questions can no longer be changed. Make a new "
                "version of it instead."
            ))
        # The database allows a comparison key once per questionnaire; the rows are checked together here.
        keys = [
            form.cleaned_data.get("key") for form in self.forms
            if form.cleaned_data.get("key") and not form.cleaned_data.get("DELETE")
        ]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValidationError(gettext("Each comparison key once per questionnaire, please: %(keys)s.")
                                  % {"keys": ", ".join(repeated)})


class CopyToSessionsForm(forms.Form):
    """The sessions of the template's series that have no questionnaire yet."""

    sessions = forms.ModelMultipleChoiceField(
        label=_("Copy to these sessions"), queryset=Session.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one session.")},
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions
