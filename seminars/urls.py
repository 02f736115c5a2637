from django.urls import path

from . import views

app_name = "seminars"
urlpatterns = [
    path("", views.home, name="home"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("sessions/<slug:slug>/", views.session_detail, name="session"),
    path("sessions/<slug:slug>/captions.vtt", views.archive_captions, name="archive_captions"),
    path("sessions/<slug:slug>/thumbnail", views.archive_thumbnail, name="archive_thumbnail"),
    path("archive/", views.archive, name="archive"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("materials/<int:pk>/download/", views.material_download, name="material_download"),
]
