from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("news/", views.news_list, name="list"),
    path("news/feed/", views.news_feed, name="feed"),
    path("news/<int:pk>/", views.news_detail, name="detail"),
]
