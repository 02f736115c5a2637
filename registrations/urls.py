from django.urls import path

from . import views

app_name = "registrations"
urlpatterns = [
    path("sessions/<slug:slug>/apply/", views.apply, name="apply"),
    path("applications/<str:token>/", views.manage, name="manage"),
    path("applications/<str:token>/received/", views.applied, name="applied"),
    path("applications/<str:token>/cancel/", views.cancel, name="cancel"),
    path("privacy/", views.privacy, name="privacy"),
]
