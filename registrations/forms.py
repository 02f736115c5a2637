"""The application form and the applicant's cancellation form."""
import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .enums import Attendance, Industry, OrganisationSize, Prefecture
from .models import Application
from .selectors import attendance_options
from .validators import email_address_normalise, validate_multi_line, validate_single_line

# Hiragana, katakana (full width after NFKC), the long-vowel mark, middle dots and spaces.
KANA_RE = re.compile(r"^[\u3041-\u3096\u309b-\u309f\u30a0-\u30ff\u3000 ・]+$")
# Hyphen-like characters people type between the groups of a phone number.
PHONE_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−ー()]")
# 10 digits: landlines and 0120/0800 numbers; 11 digits: 050 (IP) and 070/080/090 (mobile).
PHONE_RE = re.compile(r"^(0[1-9]\d{8}|0[5789]0\d{8})$")
# The honeypot's innocent-looking name: people never see it, form-filling robots fill it.
HONEYPOT_FIELD = "fax_extension"
# Whitespace controls that mean a space on one line (a tab pasted from a spreadsheet, a line break). The Unicode
# line and paragraph separators are not among them: nobody types them, and a one-line field refuses them as marks.
SPACE_CONTROLS_RE = re.compile(r"[\t\n\r\x0b\x0c]+")
# Line breaks as browsers send them (CRLF) and as other programs paste them: stored as LF, as browsers count them.
LINE_BREAKS_RE = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029]")


def phone_normalise(text: str) -> str | None:
    """Return a Japanese phone number as its national digits ("0312345678"), or None if it is not one.

    Accepts 03-1234-5678, 090-1234-5678, 0312345678, (03) 1234-5678, full-width
    digits, and the international form +81 3 1234 5678 / +81-(0)3-1234-5678.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > 30:
        return None
    digits = PHONE_SEPARATORS_RE.sub("", text)
    if digits.startswith("+81"):
        digits = digits[3:]
        digits = digits if digits.startswith("0") else "0" + digits
    return digits if PHONE_RE.match(digits) else None


class TextField(forms.CharField):
    """Text checked as it will be stored: whitespace controls made what a person meant, optionally NFKC, stripped.

    max_length and the character rules (registrations.validators) apply to that
    value, so normalising can never make it longer than its column.
    """

    def __init__(self, *, multi_line=False, nfkc=False, **kwargs):
        self.multi_line, self.nfkc = multi_line, nfkc
        super().__init__(**kwargs)
        self.validators.append(validate_multi_line if multi_line else validate_single_line)

    def to_python(self, value):
        value = super().to_python(value)
        if self.multi_line:
            value = LINE_BREAKS_RE.sub("\n", value)
        else:
            value = SPACE_CONTROLS_RE.sub(" ", value)
        if self.nfkc:
            value = unicodedata.normalize("NFKC", value)
        return value.strip()


class EmailField(forms.EmailField):
    """An email address as typed on a Japanese keyboard: full-width letters, ＠ and ． made ASCII, then checked.

    NFKC, trimmed; an ideographic full stop (。) is read as the dot it stands
    for, as IDNA does in a domain. The domain is then normalised as mail delivery
    reads it (validators.email_address_normalise: IDNA 2008 with UTS #46), so an
    invisible mark in it cannot make a second address for one mailbox; a domain in
    Japanese (user@例え.jp) is kept readable. The address is stored in this form.
    """

    default_validators = [*forms.EmailField.default_validators, validate_single_line]

    def to_python(self, value):
        value = unicodedata.normalize("NFKC", super().to_python(value))
        value = value.replace("\u3002", ".").strip()
        return email_address_normalise(value) if value else value


def _text(label, max_length, *, required=True, **kwargs):
    return TextField(label=label, max_length=max_length, required=required, **kwargs)


def _field_max(name: str) -> int:
    return Application._meta.get_field(name).max_length


def _choice(label, choices, **kwargs) -> forms.ChoiceField:
    """A choice from one of our TextChoices lists, with a blank "Choose…" first."""
    return forms.ChoiceField(label=label, choices=[("", _("Choose…")), *choices.choices], **kwargs)


def _required(message) -> dict:
    """Error messages with our own words for an empty field, instead of Django's "This field is required."."""
    return {"required": message}


class ApplicationForm(forms.Form):
    """What an applicant gives when applying to one session; the rules of applying live in the service."""

    name = _text(
        _("Name"),
        _field_max("name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_required(_("Please enter your name.")),
    )
    name_reading = _text(
        _("Name reading (kana)"),
        _field_max("name_reading"),
        required=False,
        nfkc=True,
        help_text=_("In hiragana or katakana, e.g. ヤマダ ハナコ."),
    )
    email = EmailField(
        label=_("Email address"),
        max_length=_field_max("email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Your receipt and the joining details are sent here."),
        error_messages=_required(_("Please enter your email address.")),
    )
    email_again = EmailField(
        label=_("Email address again"),
        max_length=_field_max("email"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("To make sure it has no typing mistake."),
        error_messages=_required(_("Please enter your email address again.")),
    )
    organisation = _text(
        _("Organisation"),
        _field_max("organisation"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages=_required(_("Please enter the name of your organisation.")),
    )
    department = _text(
        _("Department"), _field_max("department"), error_messages=_required(_("Please enter your department."))
    )
    position = _text(
        _("Position"),
        _field_max("position"),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages=_required(_("Please enter your position.")),
    )
    industry = _choice(_("Industry"), Industry, error_messages=_required(_("Please choose your industry.")))
    organisation_size = _choice(
        _("Organisation size"),
        OrganisationSize,
        error_messages=_required(_("Please choose the size of your organisation.")),
    )
    prefecture = _choice(
        _("Prefecture of your workplace"),
        Prefecture,
        error_messages=_required(_("Please choose the prefecture of your workplace.")),
    )
    phone = _text(
        _("Phone (optional)"),
        30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("A Japanese number, e.g. 03-1234-5678 or 090-1234-5678."),
    )
    attendance = forms.ChoiceField(
        label=_("How will you attend?"),
        widget=forms.RadioSelect,
        choices=Attendance.choices,
        error_messages=_required(_("Please choose how you will attend.")),
    )
    question = _text(
        _("A question for the speakers (optional)"),
        Application._meta.get_field("question").max_length,
        required=False,
        multi_line=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 1,000 characters."),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."),
        error_messages=_required(_("Please tick the box to agree to the privacy notice.")),
    )
    # The honeypot: hidden from people and assistive technology, left empty by them.
    fax_extension = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        options = attendance_options(session)
        self.fields["attendance"].choices = [(value, Attendance(value).label) for value in options]
        if len(options) == 1:
            self.fields["attendance"].initial = options[0]
        self.fields["name_reading"].label = _("Name reading in kana (optional)")
        self.fields["name_reading"].widget.attrs["lang"] = "ja"

    @cached_property
    def helper(self) -> FormHelper:
        """The crispy layout, for the template."""
        helper = FormHelper()
        helper.form_tag = True
        helper.form_method = "post"
        helper.form_action = reverse("registrations:apply", kwargs={"slug": self.session.slug})
        helper.attrs = {"novalidate": "novalidate"}
        # A template of its own, so makemessages extracts the sentence whole for translators.
        privacy = HTML('{% include "registrations/_consent_note.html" %}')
        helper.layout = Layout(
            Fieldset(
                _("About you"),
                "name", "name_reading", "email", "email_again",
            ),
            Fieldset(
                _("Your workplace"),
                "organisation", "department", "position", "industry", "organisation_size", "prefecture", "phone",
            ),
            Fieldset(
                _("The session"),
                "attendance", "question",
            ),
            Div(privacy, "consent", css_class="consent"),
            Div(HONEYPOT_FIELD, css_class="hp-field", aria_hidden="true"),
            Submit("submit", _("Send application"), css_class="btn"),
        )
        return helper

    # --- per-field rules ---

    def clean_name_reading(self):
        value = self.cleaned_data["name_reading"]
        if value and not KANA_RE.match(value):
            raise forms.ValidationError(_("Please write the reading in hiragana or katakana."), code="kana")
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        normalised = phone_normalise(value)
        if normalised is None:
            raise forms.ValidationError(
                _("Please enter a Japanese phone number, e.g. 03-1234-5678 or 090-1234-5678."), code="phone"
            )
        return normalised

    def clean(self):
        cleaned = super().clean()
        email, again = cleaned.get("email"), cleaned.get("email_again")
        if email and again and email.lower() != again.lower():
            self.add_error("email_again", forms.ValidationError(_("The two email addresses differ."), code="mismatch"))
        return cleaned

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class CancelForm(forms.Form):
    """The applicant confirms they want to give up their place."""

    confirm = forms.BooleanField(label=_("Yes, cancel my application."))

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout("confirm", Submit("submit", _("Cancel my application"), css_class="btn btn-danger"))
