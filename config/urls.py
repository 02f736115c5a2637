from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from seminars.calendar import session_ics
from seminars.views import healthz

# The office's application list is wide: give it the whole screen rather than a navigation sidebar.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]

# Each language has its own URLs, so that no cache (browser, proxy or ours) can mix them up:
# Japanese at the root, English under /en/ (as the metropolitan government's own sites do).
# Links already sent by mail (/sessions/…, /applications/…) keep working: they are the Japanese pages.
# The office's admin too: /admin/ in Japanese, /en/admin/ in English.
urlpatterns += i18n_patterns(
    # The second factor's pages and the passkey ceremonies (staff_auth), ahead of the admin's own URLs.
    path("admin/second-factor/", include("staff_auth.urls")),
    path("admin/second-factor/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("admin/", admin.site.urls),
    path("sessions/<slug:slug>/calendar.ics", session_ics, name="session_ics"),
    path("", include("seminars.urls")),
    path("speakers/", include("speakers.urls")),
    path("", include("registrations.urls")),
    path("", include("certificates.urls")),
    path("", include("questionnaires.urls")),
    path("", include("news.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# Django's 400 page without its CSRF check, which would read a refused request body again (config/errors.py).
handler400 = "config.errors.bad_request"
# Django's 500 page (templates/500.html), with a plain fallback if even that cannot render.
handler500 = "config.errors.server_error"
