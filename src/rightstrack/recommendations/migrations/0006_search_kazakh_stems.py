"""Re-index recommendations: Kazakh words are now stemmed with the Kazakh stemmer and look-alike letters folded."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from rightstrack.recommendations import search

    search.rebuild()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0005_mechanism_kazakh_names")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
