"""The second factor's pages, under the admin's address in each language (/admin/…, /en/admin/…)."""
from django.urls import path

from staff_auth import views

app_name = "staff_auth"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("app/", views.authenticator_app, name="authenticator_app"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
