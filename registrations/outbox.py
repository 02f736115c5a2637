"""The mail outbox: rows written in the caller's transaction, delivered by Celery after commit."""
from django.db import IntegrityError, transaction

from .models import Application, OutboxMessage


def outbox_add(
    *,
    application: Application,
    kind: str,
    key: str = "",
    context: dict | None = None,
    resend_of: OutboxMessage | None = None,
) -> OutboxMessage | None:
    """Add one mail row for (application, kind, key) unless it exists; return it, or None if it existed.

    Call inside the transaction of the event that causes the mail, so the row and
    the event commit together (an application is never saved without its mail).
    """
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                application=application,
                kind=kind,
                key=key,
                context=context or {},
                resend_of=resend_of,
                to_email=application.email,
            )
    except IntegrityError:
        return None
