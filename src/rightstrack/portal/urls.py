from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("reports/<slug:slug>/download/<str:fmt>/", views.report_download, name="download"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("trials/", views.trials, name="trials"),
    path("search/", views.search, name="search"),
    path("feed.atom", views.feed, name="feed"),
]
