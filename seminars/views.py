"""Public pages of the series."""
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .enums import SessionState
from .health import broker_reachable
from .selectors import series_current, session_for_page, sessions_for_archive, sessions_for_home


def home(request):
    series = series_current()
    now = timezone.now()
    sessions = list(sessions_for_home(series)) if series else []
    for session in sessions:
        session.current_state = session.state(now=now)
    return render(request, "seminars/home.html", {"sessions": sessions})


def session_detail(request, slug):
    session = session_for_page(slug).first()
    if session is None:
        raise Http404
    session.current_state = session.state()
    return render(request, "seminars/session_detail.html", {"session": session})


def archive(request):
    now = timezone.now()
    past = []
    for session in sessions_for_archive().filter(ends_at__lte=now):
        session.current_state = session.state(now=now)
        if session.current_state in (SessionState.HELD, SessionState.ARCHIVED):
            past.append(session)
    return render(request, "seminars/archive.html", {"sessions": past})


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
