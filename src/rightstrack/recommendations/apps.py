from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "rightstrack.recommendations"
    label = "recommendations"
