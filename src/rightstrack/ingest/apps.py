from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "rightstrack.ingest"
    label = "ingest"
