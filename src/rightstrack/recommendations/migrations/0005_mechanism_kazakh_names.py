from django.db import migrations, models


def load_kazakh(apps, schema_editor):
    from rightstrack.recommendations import vocabularies

    vocabularies.load_kazakh(apps)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_review_sources")]

    operations = [
        migrations.AddField(model_name="mechanism", name="name_kk", field=models.CharField(blank=True, max_length=200)),
        migrations.RunPython(load_kazakh, migrations.RunPython.noop),
    ]
