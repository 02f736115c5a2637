from django.urls import path

from . import views

app_name = "questionnaires"
urlpatterns = [
    path("applications/<str:token>/questionnaire/", views.answer, name="answer"),
    path("applications/<str:token>/questionnaire/thanks/", views.thanks, name="thanks"),
]
