from django.db import migrations


def load_vocabularies(apps, schema_editor):
    from rightstrack.core import vocabularies

    vocabularies.load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_vocabularies, migrations.RunPython.noop)]
