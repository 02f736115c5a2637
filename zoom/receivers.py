"""Answers to registrations' signals (registrations/signals.py): the zoom app's side of the personal links."""
from .client import zoom_configured
from .models import RegistrationState, ZoomRegistration
from .services import personal_links_issued, registrations_cancel_for, zoom_fallback_at


def place_lost(sender, *, application, session, **kwargs):
    """An application was cancelled or moved away (sent after commit): cancel its registrant in Zoom."""
    if zoom_configured():
        registrations_cancel_for(application)


def personal_data_erased(sender, *, application_ids, **kwargs):
    """Erased applications: their registrant IDs and links in Zoom (a handle on the person there) and errors go too."""
    ZoomRegistration.objects.filter(application_id__in=application_ids).update(registrant_id="", join_url="",
                                                                               last_error="")


def personal_joining_urls(sender, *, session, application_ids, **kwargs) -> dict[int, str]:
    """Return the personal links Zoom issued to these applications for the session's webinar (one query).

    Only registrations that are REGISTERED: one being cancelled or dropped has no
    link to give. Nothing when the session has no webinar or the portal no credentials.
    """
    if not personal_links_issued(session):
        return {}
    return dict(
        ZoomRegistration.objects.filter(application_id__in=application_ids, webinar_id=session.zoom_webinar_id,
                                        state=RegistrationState.REGISTERED)
        .exclude(join_url="").values_list("application_id", "join_url")
    )


def personal_links_awaited(sender, *, session, **kwargs):
    """Return until when the session's confirmations wait for Zoom's personal links (ZOOM_FALLBACK_HOURS), or None."""
    return zoom_fallback_at(session) if personal_links_issued(session) else None
