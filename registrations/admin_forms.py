"""The forms of the office's actions on applications (cancel, move, resend) and of the change form."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seminars.enums import SessionState
from seminars.models import Session

from .enums import MailKind
from .forms import EmailField
from .models import Application
from .office_changes import OFFICE_EDITABLE_FIELDS
from .validators import validate_multi_line


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), validators=[validate_multi_line],
        help_text=_("Kept in the application's audit trail."),
    )


class CancelForm(forms.Form):
    """Why the office cancels (kept private), and what the applicant is told, if anything."""

    reason = forms.CharField(
        label=_("Reason (kept on file, not sent)"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[validate_multi_line],
        help_text=_("Kept in the application's audit trail for the office; never shown to the applicant."),
    )
    message = forms.CharField(
        label=_("Message to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[validate_multi_line],
        help_text=_("Optional; quoted in the cancellation notice. Leave empty to send the notice without a message."),
    )


# Why a session cannot normally take an application moved into it, by its state.
UNAVAILABLE_BECAUSE = {
    SessionState.UPCOMING: _("applications not open yet"),
    SessionState.CLOSED: _("applications closed"),
    SessionState.FULL: _("full"),
}


class SessionChoiceField(forms.ModelChoiceField):
    """Sessions labelled with their places, and with why one cannot normally take an application."""

    def __init__(self, *args, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    def label_from_instance(self, session):
        if session.capacity is None:
            label = gettext("%(session)s (%(taken)d places taken, no limit)") % {
                "session": session, "taken": session.places_taken,
            }
        else:
            label = gettext("%(session)s (%(taken)d of %(capacity)d places taken)") % {
                "session": session, "taken": session.places_taken, "capacity": session.capacity,
            }
        why = UNAVAILABLE_BECAUSE.get(session.state(now=self.now))
        if why:
            label = gettext("%(label)s — warning: %(why)s") % {"label": label, "why": why}
        return label


class MoveForm(ReasonForm):
    """The session to move to: every session yet to start, listed at once, each labelled with its places.

    One that cannot normally take an application (closed, full, not open yet) says why, and is accepted
    only with the exception box ticked; a full session is refused by the move itself.
    """

    to_session = forms.ModelChoiceField(label=_("Move to session"), queryset=Session.objects.none())
    include_unavailable = forms.BooleanField(
        label=_("Make an exception for a session that is closed, full or not open yet"), required=False,
        help_text=_("Only when you have a reason to override the application period or the capacity; "
                    "a full session still refuses the move."),
    )

    def __init__(self, *args, current_sessions=(), include_unavailable=False, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["include_unavailable"].initial = include_unavailable
        self.fields["to_session"] = SessionChoiceField(
            label=_("Move to session"), now=self.now,
            queryset=Session.objects.filter(starts_at__gt=self.now).exclude(pk__in=current_sessions)
            .select_related("series").order_by("starts_at"),
        )
        if not self.fields["to_session"].queryset.exists():
            self.fields["to_session"].help_text = _("No other session is yet to start: there is nowhere to move to.")
        self.order_fields(["to_session", "include_unavailable", "reason"])

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("to_session")
        why = UNAVAILABLE_BECAUSE.get(target.state(now=self.now)) if target else None
        if why and not cleaned.get("include_unavailable"):
            self.add_error("to_session", gettext(
                "This session is not taking applications (%(why)s): tick the exception box to move into it "
                "anyway.") % {"why": why})
        return cleaned


class ResendForm(forms.Form):
    kind = forms.ChoiceField(label=_("Mail to send again"), choices=MailKind.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        validators=[validate_multi_line], help_text=_("Optional; kept in the audit trail."),
    )


class ApplicationChangeForm(forms.ModelForm):
    """The application's details, plus why the office changes them and whether to tell the applicant."""

    office_reason = forms.CharField(
        label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        validators=[validate_multi_line], help_text=_("Required when you change anything; kept in the audit trail."),
    )
    notify_applicant = forms.BooleanField(
        label=_("Send the applicant a change notice"), required=False,
        help_text=_("A mail listing the fields that changed, to the (new) email address."),
    )

    class Meta:
        model = Application
        fields = list(OFFICE_EDITABLE_FIELDS)
        # The public form's address field: stored as it will be sent, as every application's address is.
        field_classes = {"email": EmailField}

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.changed_data if name in OFFICE_EDITABLE_FIELDS]
        if changed and not (cleaned.get("office_reason") or "").strip():
            self.add_error("office_reason", _("Say why you change the application."))
        return cleaned
