from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("applications/<str:token>/certificates/session.pdf", views.session_certificate, name="session"),
    path("applications/<str:token>/certificates/course.pdf", views.course_certificate, name="course"),
    path("certificates/<slug:code>/", views.verify, name="verify"),
]
