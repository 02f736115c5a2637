"""Public pages of the series."""
import mimetypes

from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .enums import SessionState
from .health import broker_reachable
from .models import Material, Session
from .page_cache import public_page
from .selectors import (
    archive_for,
    series_by_currency,
    series_for_page,
    series_other_years,
    session_for_page,
    sessions_for_archive,
    sessions_for_home,
)
from .validators import material_content_type


@public_page
def home(request):
    """The current year's series (sessions open or coming, else the latest), with links to the other years."""
    now = timezone.now()
    ranked = list(series_by_currency(now=now))
    return _series_page(request, ranked[0] if ranked else None, ranked, now=now)


@public_page
def series_detail(request, slug):
    """One year's series, as the home page shows the current one (earlier years are linked from it)."""
    series = series_for_page(slug)
    if series is None:
        raise Http404
    now = timezone.now()
    return _series_page(request, series, list(series_by_currency(now=now)), now=now)


def _series_page(request, series, ranked: list, *, now):
    sessions = list(sessions_for_home(series)) if series else []
    for session in sessions:
        session.current_state = session.state(now=now)
    # What a visitor can apply to now comes first; the rest keep their order in the series.
    sessions.sort(key=lambda session: session.current_state not in (SessionState.OPEN, SessionState.FULL))
    other_years = series_other_years(ranked, series)
    return render(request, "seminars/home.html", {
        "series": series, "sessions": sessions, "other_years": other_years,
        "current_series": ranked[0] if ranked else None,
    })


@public_page
def session_detail(request, slug):
    session = session_for_page(slug).first()
    if session is None:
        raise Http404
    now = timezone.now()
    session.current_state = session.state(now=now)
    # The public page shows an applicants-only archive to nobody: applicants watch it on their manage page.
    archive = archive_for(session, now=now)
    return render(request, "seminars/session_detail.html", {"session": session, "archive": archive})


@public_page
def archive(request):
    """Every year's recordings, grouped by series (newest year first), newest session first in each."""
    sessions = sessions_for_archive(now=timezone.now())
    years = []
    for session in sessions:
        if not years or years[-1]["series"].pk != session.series_id:
            years.append({"series": session.series, "sessions": []})
        years[-1]["sessions"].append(session)
    return render(request, "seminars/archive.html", {"sessions": sessions, "years": years})


@public_page
def accessibility(request):
    """The accessibility statement: the level aimed at, what was tested and how, whom to tell."""
    return render(request, "seminars/accessibility.html")


def stored_file_response(field_file, *, content_type: str, **kwargs) -> FileResponse:
    """Serve an uploaded file from storage (the web process serves no media folder); 404 if it is gone."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type=content_type, **kwargs)


def stored_image_response(field_file) -> FileResponse:
    """Serve an uploaded still image, only as one of the image types a page may show."""
    content_type, _ = mimetypes.guess_type(field_file.name)
    if content_type not in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        raise Http404
    return stored_file_response(field_file, content_type=content_type)


@require_GET
def material_download(request, pk):
    """Serve a material file as a download under its original name, with its own Content-Type."""
    material = get_object_or_404(Material.objects.exclude(file=""), pk=pk)
    return stored_file_response(
        material.file,
        as_attachment=True,
        filename=material.download_filename,
        content_type=material_content_type(material.file.name),
    )


@require_GET
def archive_thumbnail(request, slug):
    """Serve an archive's still image (media files are not served by the web process otherwise)."""
    session = get_object_or_404(Session.objects.exclude(archive_thumbnail=""), slug=slug)
    return stored_image_response(session.archive_thumbnail)


@require_GET
def archive_captions(request, slug):
    """Serve the captions of an archive the viewer may watch (applicants: with their manage-link token)."""
    session = get_object_or_404(Session.objects.exclude(archive_captions=""), slug=slug)
    application = None
    if token := request.GET.get("token"):
        from registrations.selectors import ManageLinkExpired, application_for_token

        try:
            application = application_for_token(token)
        except ManageLinkExpired:
            application = None
    if not archive_for(session, application=application).visible:
        raise Http404
    response = stored_file_response(session.archive_captions, content_type="text/vtt; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def healthz(request):
    """Report whether the database and the broker answer: 200 when both do, 503 otherwise."""
    checks = {"database": _database_reachable(), "broker": broker_reachable()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse({"status": "ok" if status == 200 else "unavailable", **checks}, status=status)


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable" to a health check
        return False
