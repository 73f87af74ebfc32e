import unicodedata

from django.db import migrations, models

import rightstrack.core.models


def _key(value):
    # Frozen copy of core.models.name_key, so this migration does not change if that function does.
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def fill_keys(apps, schema_editor):
    Person = apps.get_model("core", "Person")
    batch = []
    for person in Person.objects.only("pk", "pseudonym", "real_name").iterator(chunk_size=2000):
        person.pseudonym_key, person.real_name_key = _key(person.pseudonym), _key(person.real_name)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["pseudonym_key", "real_name_key"])
            batch = []
    Person.objects.bulk_update(batch, ["pseudonym_key", "real_name_key"])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_vocabularies")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="pseudonym_key",
            field=rightstrack.core.models.NameKeyField(
                blank=True, default="", editable=False, max_length=120, source="pseudonym"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="real_name_key",
            field=rightstrack.core.models.NameKeyField(
                blank=True, default="", editable=False, max_length=200, source="real_name"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["organisation", "pseudonym_key"], name="person_pseudonym_key"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["organisation", "real_name_key"], name="person_real_name_key"),
        ),
    ]
