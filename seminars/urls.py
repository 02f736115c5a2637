from django.urls import path

from . import views

app_name = "seminars"
urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<slug:slug>/", views.session_detail, name="session"),
    path("archive/", views.archive, name="archive"),
]
