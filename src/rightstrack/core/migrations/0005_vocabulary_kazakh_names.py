from django.db import migrations, models


def load_kazakh(apps, schema_editor):
    from rightstrack.core import vocabularies

    vocabularies.load_kazakh(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_notifications")]

    operations = [
        migrations.AddField(
            model_name="iccprarticle", name="title_kk", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AddField(model_name="sdg", name="title_kk", field=models.CharField(blank=True, max_length=200)),
        migrations.AddField(model_name="theme", name="name_kk", field=models.CharField(blank=True, max_length=200)),
        migrations.RunPython(load_kazakh, migrations.RunPython.noop),
    ]
