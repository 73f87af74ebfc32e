from django.db import migrations


def load_vocabularies(apps, schema_editor):
    from rightstrack.recommendations import vocabularies

    vocabularies.load(apps)


def create_search(apps, schema_editor):
    from rightstrack.recommendations import search

    search.create_schema(schema_editor)


def drop_search(apps, schema_editor):
    from rightstrack.recommendations import search

    search.drop_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [
        migrations.RunPython(load_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(create_search, drop_search),
    ]
