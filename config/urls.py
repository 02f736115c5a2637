from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from seminars.calendar import session_ics
from seminars.views import healthz, language_choose

# The office's application list is wide: give it the whole screen rather than a navigation sidebar.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("sessions/<slug:slug>/calendar.ics", session_ics, name="session_ics"),
    path("", include("seminars.urls")),
    path("speakers/", include("speakers.urls")),
    path("", include("registrations.urls")),
    path("language/", language_choose, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# Django's 400 page without its CSRF check, which would read a refused request body again (config/errors.py).
handler400 = "config.errors.bad_request"
# Django's 500 page (templates/500.html), with a plain fallback if even that cannot render.
handler500 = "config.errors.server_error"
