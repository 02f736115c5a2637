"""Answers to registrations' signals."""
from .client import zoom_configured
from .services import registrations_cancel_for


def place_lost(sender, *, application, session, **kwargs):
    """An application was cancelled or moved away (sent after commit): cancel its registrant in Zoom."""
    if zoom_configured():
        registrations_cancel_for(application)
