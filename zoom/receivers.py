"""Answers to registrations' signals."""
from .client import zoom_configured
from .models import ZoomRegistration
from .services import registrations_cancel_for


def place_lost(sender, *, application, session, **kwargs):
    """An application was cancelled or moved away (sent after commit): cancel its registrant in Zoom."""
    if zoom_configured():
        registrations_cancel_for(application)


def personal_data_erased(sender, *, application_ids, **kwargs):
    """Erased applications: their registrant IDs in Zoom (a handle on the person there) and any error text go too."""
    ZoomRegistration.objects.filter(application_id__in=application_ids).update(registrant_id="", last_error="")
