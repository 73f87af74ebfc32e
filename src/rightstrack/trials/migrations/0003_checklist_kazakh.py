from django.db import migrations, models


def fill_kazakh(apps, schema_editor):
    """Give the installed versions of the shipped checklist the Kazakh titles of its YAML (same codes)."""
    from rightstrack.trials.checklists import DEFAULT_YAML, read_yaml

    data = read_yaml(DEFAULT_YAML.read_bytes())
    Checklist = apps.get_model("trials", "Checklist")
    IndicatorGroup = apps.get_model("trials", "IndicatorGroup")
    Indicator = apps.get_model("trials", "Indicator")
    groups = {str(g["id"]): g.get("title_kk") or "" for g in data["groups"]}
    questions = {str(i["id"]): i.get("question_kk") or "" for i in data["indicators"]}
    options = {str(i["id"]): i.get("options") or [] for i in data["indicators"]}
    findings = {str(f["id"]): f.get("label_kk") or "" for f in data.get("derived_findings") or []}
    for checklist in Checklist.objects.filter(key=data["id"]):
        checklist.title_kk = data.get("title_kk") or ""
        checklist.derived = [
            {**spec, "label_kk": findings[spec["id"]]} if findings.get(spec.get("id")) else spec
            for spec in checklist.derived or []
        ]
        checklist.save(update_fields=["title_kk", "derived"])
        for code, title in groups.items():
            IndicatorGroup.objects.filter(checklist=checklist, code=code).update(title_kk=title)
        for indicator in Indicator.objects.filter(checklist=checklist, code__in=list(questions)):
            indicator.question_kk = questions[indicator.code]
            # Options gain their Kazakh labels where the installed version offers the same codes.
            kazakh = {o["code"]: o.get("kk") for o in options.get(indicator.code, []) if o.get("kk")}
            indicator.options = [
                {**o, "kk": kazakh[o["code"]]} if o.get("code") in kazakh else o for o in indicator.options or []
            ]
            indicator.save(update_fields=["question_kk", "options"])


class Migration(migrations.Migration):
    dependencies = [("trials", "0002_defendant_version")]

    operations = [
        migrations.AddField(
            model_name="checklist", name="title_kk", field=models.CharField(blank=True, max_length=300)
        ),
        migrations.AddField(model_name="indicator", name="question_kk", field=models.TextField(blank=True)),
        migrations.AddField(
            model_name="indicatorgroup", name="title_kk", field=models.CharField(blank=True, max_length=300)
        ),
        migrations.RunPython(fill_kazakh, migrations.RunPython.noop),
    ]
