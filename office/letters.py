"""Letters by post or FAX: what the portal would mail someone without an email address, printed instead.

For each application the office entered without an address, the letters due follow from its state,
as the mails do for everyone else: the receipt; the confirmation with the joining details once the
session's application period has closed (again after a move to another session); a notice of each
change (a move, corrected details), of a cancellation by the office, of a place from the waiting
list and of the draw's result. The office prints each
letter (A4 PDF, in the applicant's language, with the office's name, phone and address) and marks it
sent (services.letter_mark_sent): the list shows each letter once, until it is marked.
"""
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application, AuditEntry
from registrations.notifications import mail_render
from registrations.references import reference_display
from seminars.formatting import format_day

from .models import LetterSent

LETTER_KINDS = {
    MailKind.RECEIPT: _("Receipt"),
    MailKind.CONFIRMATION: _("Confirmation with the joining details"),
    MailKind.CHANGE: _("Notice of a change"),
    MailKind.CANCELLATION: _("Notice of cancellation"),
    MailKind.PROMOTION: MailKind.PROMOTION.label,
    MailKind.DRAW_RESULT: MailKind.DRAW_RESULT.label,
}
# The audit entries that stand for a change notice or a cancellation notice, by their action.
NOTICE_ACTIONS = {
    "move": MailKind.CHANGE, "update": MailKind.CHANGE, "cancel": MailKind.CANCELLATION,
    "promote": MailKind.PROMOTION, "draw": MailKind.DRAW_RESULT,
}


@dataclass(frozen=True)
class Letter:
    """One letter to print for one application: the mail `kind` it stands for, keyed as that mail would be."""

    application: Application
    kind: str
    key: str
    data: dict

    @property
    def label(self):
        return LETTER_KINDS[self.kind]


def _applications_without_address():
    return (
        Application.objects.filter(email="", personal_data_erased_at__isnull=True)
        .select_related("session__series", "postal_contact")
        .prefetch_related(Prefetch("audit_entries", queryset=AuditEntry.objects.filter(
            action__in=list(NOTICE_ACTIONS)).order_by("at", "pk"), to_attr="notice_entries"))
        .order_by("session__starts_at", "pk")
    )


_FIELD_NAMES = {field.name for field in Application._meta.get_fields()}


def _field_label(name: str):
    return Application._meta.get_field(name).verbose_name


def _letters_of(application: Application, *, now: dt.datetime) -> list[Letter]:
    session = application.session
    letters = []
    if application.status != ApplicationStatus.CANCELLED and now < session.starts_at:
        letters.append(Letter(application, MailKind.RECEIPT, "", {"status": application.status}))
    if (application.status == ApplicationStatus.CONFIRMED and now >= session.applications_close_at
            and now < session.ends_at):
        letters.append(Letter(application, MailKind.CONFIRMATION, f"session:{session.pk}", {}))
    for entry in application.notice_entries:
        kind = NOTICE_ACTIONS[entry.action]
        if entry.action == "cancel" and entry.actor_label == "applicant":
            continue  # they cancelled it themselves: nothing to tell them
        data = {}
        if kind in (MailKind.PROMOTION, MailKind.DRAW_RESULT) and isinstance(entry.changes.get("status"), list):
            data["status"] = entry.changes["status"][1]  # as the draw or the promotion left it
        if entry.action == "move" and isinstance(entry.changes.get("session"), list):
            data["previous_session_id"] = entry.changes["session"][0]
        if kind == MailKind.CHANGE:
            # The labels of the fields changed, as the change mail lists them (lazy: in the letter's language).
            names = ["session"] if entry.action == "move" else [name for name in entry.changes if name != "status"]
            data["fields"] = [_field_label(name) for name in names if name in _FIELD_NAMES]
        letters.append(Letter(application, kind, str(entry.pk), data))
    return letters


def letters_to_send(*, now: dt.datetime | None = None) -> list[Letter]:
    """Return every letter due and not yet marked sent, by session date, each once (three queries)."""
    now = now or timezone.now()
    applications = list(_applications_without_address())
    sent = set(LetterSent.objects.filter(application__in=applications).values_list("application_id", "kind", "key"))
    return [
        letter for application in applications for letter in _letters_of(application, now=now)
        if (application.pk, letter.kind, letter.key) not in sent
    ]


def letter_for(application: Application, kind: str, key: str, *, now: dt.datetime | None = None) -> Letter | None:
    """Return the letter (application, kind, key) if it is due for the application at `now`, else None."""
    application = _applications_without_address().filter(pk=application.pk).first()
    if application is None:
        return None
    return next((each for each in _letters_of(application, now=now or timezone.now())
                 if (each.kind, each.key) == (kind, key)), None)


def office_sender(series) -> dict:
    """The office's name, phone and address on a letter: from settings, else the series' own contact."""
    return {
        "name": settings.OFFICE_NAME or series.title,
        "phone": settings.OFFICE_PHONE,
        "address": settings.OFFICE_POSTAL_ADDRESS,
        "email": series.contact_email,
    }


def letter_html(letter: Letter, *, now: dt.datetime | None = None) -> str:
    """Return the letter as HTML for printing: the mail's text, addressed by post, in the applicant's language."""
    now = now or timezone.now()
    application = letter.application
    rendered = mail_render(application, letter.kind, data=letter.data, now=now)
    contact = getattr(application, "postal_contact", None)
    with translation.override(application.language):
        return render_to_string("office/letter.html", {
            "language": application.language,
            "application": application,
            "contact": contact,
            "reference": reference_display(application.reference),
            "subject": rendered["subject"],
            "body": rendered["body_text"],
            "office": office_sender(application.session.series),
            "dated": format_day(timezone.localdate(now), application.language),
        })


def letter_pdf(letter: Letter, *, now: dt.datetime | None = None) -> bytes:
    """Return the letter as an A4 PDF (WeasyPrint; it fetches nothing)."""
    from weasyprint import HTML  # about a second to import: only where a PDF is made

    from .documents import _no_fetching

    return HTML(string=letter_html(letter, now=now), url_fetcher=_no_fetching).write_pdf()
