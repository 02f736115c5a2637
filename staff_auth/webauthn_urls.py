"""django-otp-webauthn's passkey ceremonies, with their browser messages in the portal's languages.

The library's own catalogue has no Japanese: its JavaScript asks for `otp_webauthn:js-i18n-catalog`,
which here serves this app's djangojs catalogue (staff_auth/locale) instead.
"""
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import urls as library_urls

app_name = "otp_webauthn"

urlpatterns = [
    *[pattern for pattern in library_urls.urlpatterns if pattern.name != "js-i18n-catalog"],
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["staff_auth"]), name="js-i18n-catalog"),
]
