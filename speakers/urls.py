from django.urls import path

from . import views

app_name = "speakers"
urlpatterns = [
    path("<slug:slug>/", views.speaker_detail, name="detail"),
    path("<slug:slug>/photo", views.speaker_photo, name="photo"),
]
