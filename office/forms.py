"""The forms of the office's tools."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registrations.enums import ApplicationOrigin
from registrations.forms import ApplicationForm
from registrations.validators import validate_multi_line
from seminars.enums import SessionState

from .models import Announcement, Note

OFFICE_ORIGINS = [(value, label) for value, label in ApplicationOrigin.choices if value != ApplicationOrigin.WEB]


class OfficeApplicationForm(ApplicationForm):
    """The public form's fields and checks, as the office enters an application received by phone, fax or paper."""

    fax_extension = None  # no honeypot: the office is not a robot
    origin = forms.ChoiceField(label=_("Received by"), choices=OFFICE_ORIGINS, widget=forms.RadioSelect)
    language = forms.ChoiceField(
        label=_("Language of the applicant's mail"), choices=settings.LANGUAGES, initial="ja",
    )
    window_override_reason = forms.CharField(
        label=_("Reason for accepting outside the application period"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), validators=[validate_multi_line],
        help_text=_("Only when the session is not open for applications, also after it was held (a walk-in at the "
                    "venue, a late phone call); kept in the audit trail. The capacity, the waiting list and the "
                    "rule of one application per address still apply."),
    )
    # How to reach someone without an email address: the letters go there (office/letters.py).
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"), max_length=300, required=False, validators=[validate_multi_line],
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("For an applicant without email: the receipt, the joining details and any change go there "
                    "by post."),
    )
    fax = forms.CharField(
        label=_("FAX number"), max_length=20, required=False,
        help_text=_("For an applicant without email: the letters may go by FAX instead."),
    )
    field_order = ["origin", "language"]

    def __init__(self, *args, session, now, **kwargs):
        super().__init__(*args, session=session, **kwargs)
        self.now = now
        self.fields["consent"].label = _(
            "The applicant agreed to the privacy notice (read out on the phone, or signed on the fax or paper form)."
        )
        # Someone without an address can apply by phone, fax or paper: no mail then, the office prints the receipt.
        self.fields["email"].required = False
        self.fields["email_again"].required = False
        self.fields["email"].help_text = _(
            "The receipt and the joining details are sent here. Leave it empty when the applicant has no email "
            "address: then nothing is mailed, and the office sends each of them as a letter by post or FAX "
            "(the list “To send by post or FAX”)."
        )
        self.fields["name_reading"].widget.attrs.pop("lang", None)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and not cleaned.get("email_again") and "email_again" not in self.errors:
            self.add_error("email_again", forms.ValidationError(
                _("Please enter the email address again."), code="required"))
        if (not cleaned.get("email") and "email" not in self.errors
                and not (cleaned.get("postal_address") or "").strip() and not (cleaned.get("fax") or "").strip()):
            self.add_error("postal_address", forms.ValidationError(_(
                "Without an email address, give a postal address or a FAX number: the receipt and the joining "
                "details go there."), code="no_contact"))
        return cleaned

    def clean_window_override_reason(self):
        reason = self.cleaned_data["window_override_reason"].strip()
        state = self.session.state(now=self.now)
        not_open = (SessionState.UPCOMING, SessionState.CLOSED, SessionState.HELD, SessionState.ARCHIVED)
        if state in not_open and not reason:
            raise forms.ValidationError(
                _("The session is not open for applications (%(state)s): say why the office accepts this one.")
                % {"state": state.label},
                code="override",
            )
        return reason


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["application", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "cols": 70})}


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["session", "audience", "subject_ja", "body_ja", "subject_en", "body_en"]
        widgets = {
            "subject_ja": forms.TextInput(attrs={"size": 70, "lang": "ja"}),
            "subject_en": forms.TextInput(attrs={"size": 70, "lang": "en"}),
            "body_ja": forms.Textarea(attrs={"rows": 8, "cols": 70, "lang": "ja"}),
            "body_en": forms.Textarea(attrs={"rows": 8, "cols": 70, "lang": "en"}),
        }


class SendForm(forms.Form):
    large_confirmed = forms.BooleanField(label=_("Yes, send it to all of them."), required=False)
