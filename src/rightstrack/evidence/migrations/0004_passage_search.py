"""A full-text index of passages (English, Russian, Kazakh stems), filled from the passages already stored."""

from django.db import migrations


def create_search(apps, schema_editor):
    from rightstrack.evidence import search

    search.INDEX.create_schema()
    search.rebuild()


def drop_search(apps, schema_editor):
    from rightstrack.evidence import search

    search.INDEX.drop_schema()


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_passage_language_heading")]

    operations = [migrations.RunPython(create_search, drop_search)]
