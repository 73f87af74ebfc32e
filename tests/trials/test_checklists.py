"""Checklist versions: the packaged YAML, validation, immutability once used, id mapping across versions."""

from __future__ import annotations

import pytest
import yaml

from rightstrack.core.errors import Forbidden, InvalidInput, TooLarge
from rightstrack.core.models import AuditEvent
from rightstrack.trials import actions, checklists, findings
from rightstrack.trials.models import Checklist, Indicator

from .conftest import observe


def v1_data() -> dict:
    return yaml.safe_load(checklists.DEFAULT_YAML.read_text(encoding="utf-8"))


def v2_text(**changes) -> str:
    data = v1_data()
    data["version"] = 2
    data["status"] = "active"
    data["supersedes"] = 1
    codes = [i["id"] for i in data["indicators"]]
    mapping = [{"from": c, "to": c, "relation": "same"} for c in codes]
    # DET-1 changes meaning (not comparable); DEL-2 is retired; PUB-5 is added.
    mapping = [m for m in mapping if m["from"] not in ("DET-1", "DEL-2")]
    mapping += [
        {"from": "DET-1", "to": "DET-1", "relation": "changed"},
        {"from": "DEL-2", "to": None, "relation": "retired"},
        {"from": None, "to": "PUB-5", "relation": "added"},
    ]
    data["indicators"] = [i for i in data["indicators"] if i["id"] != "DEL-2"]
    data["indicators"].append({**data["indicators"][0], "id": "PUB-5", "question_en": "Was a new thing seen?"})
    data["mapping"] = mapping
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True)


def test_packaged_checklist_is_installed(db):
    checklist = Checklist.objects.get(key="fair-trial-core", version=1)
    assert checklist.indicators.count() == 55
    assert checklist.groups.count() == 16
    assert len(checklist.derived) == 8
    det1 = checklist.indicators.get(code="DET-1")
    assert det1.scope == "defendant" and det1.series == "DET-1" and det1.negative_values == ["yes"]
    assert checklist.indicators.get(code="CNS-1").negative_values == ["no_counsel"]
    assert checklist.indicators.get(code="JUD-1").repeat == "once"


def test_import_new_version_maps_series(org_a, admin_a):
    checklist = actions.import_checklist(admin_a, v2_text())
    assert checklist.supersedes.version == 1
    series = dict(checklist.indicators.values_list("code", "series"))
    assert series["PUB-1"] == "PUB-1"  # same: the series continues
    assert series["DET-1"] == "DET-1@v2"  # changed: a new series
    assert series["PUB-5"] == "PUB-5"
    assert "DEL-2" not in series
    assert checklists.current_checklist() == checklist  # v2 is active
    assert AuditEvent.objects.filter(verb="checklist.import").count() == 1


def test_findings_pool_same_questions_across_versions(trial, admin_a, coordinator_a, monitor2_a):
    observe(trial, answers={"PUB-3": "yes", ("DET-1", 0): "yes"})
    actions.import_checklist(admin_a, v2_text())
    actions.assign_monitor(coordinator_a, trial.hearing, monitor2_a)
    second = observe(trial, monitor2_a, answers={"PUB-3": "no", ("DET-1", 0): "no"})
    assert second.checklist.version == 2
    rows = {f.key: f for f in findings.indicator_findings(coordinator_a, breakdown=["version"])}
    # PUB-3 kept its series: the later accepted answer counts for the hearing, across versions.
    assert (rows["PUB-3"].total.n, rows["PUB-3"].total.d) == (0, 1)
    assert len(rows["PUB-3"].by) == 1
    # DET-1 changed meaning: v1 and v2 answers stay apart.
    assert (rows["DET-1"].total.n, rows["DET-1"].total.d) == (1, 1)
    assert (rows["DET-1@v2"].total.n, rows["DET-1@v2"].total.d) == (0, 1)


def test_used_version_is_frozen(trial, admin_a):
    observe(trial, answers={"PUB-3": "yes"}, accept=False)
    before = list(Indicator.objects.values_list("pk", "question_en"))
    text = yaml.safe_dump({**v1_data(), "title": "Changed title"}, allow_unicode=True)
    with pytest.raises(InvalidInput, match="can no longer change"):
        actions.import_checklist(admin_a, text)
    assert list(Indicator.objects.values_list("pk", "question_en")) == before
    assert not AuditEvent.objects.filter(verb="checklist.import").exists()


def test_unused_version_can_be_replaced(db, org_a, admin_a):
    text = yaml.safe_dump({**v1_data(), "title": "Corrected title"}, allow_unicode=True)
    checklist = actions.import_checklist(admin_a, text)
    assert checklist.title_en == "Corrected title" and Checklist.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("- just a list", "top level"),
        (yaml.safe_dump({**v1_data(), "version": "two"}), "version"),
        (yaml.safe_dump({**v1_data(), "groups": []}), "groups"),
    ],
)
def test_bad_yaml_is_refused(db, org_a, admin_a, text, message):
    with pytest.raises(InvalidInput, match=message):
        actions.import_checklist(admin_a, text)
    assert Checklist.objects.count() == 1


def test_bad_indicators_are_refused(db, org_a, admin_a):
    data = v1_data()
    data["indicators"][0]["type"] = "stars"
    with pytest.raises(InvalidInput, match="unknown answer type"):
        actions.import_checklist(admin_a, yaml.safe_dump(data))
    data = v1_data()
    data["indicators"][3]["applies_if"] = "ZZZ-1 == yes"
    with pytest.raises(InvalidInput, match="unknown indicators"):
        actions.import_checklist(admin_a, yaml.safe_dump(data))
    data = v1_data()
    data["indicators"].append(dict(data["indicators"][0]))
    with pytest.raises(InvalidInput, match="appears twice"):
        actions.import_checklist(admin_a, yaml.safe_dump(data))


def test_new_version_needs_a_complete_mapping(db, org_a, admin_a):
    data = yaml.safe_load(v2_text())
    data["mapping"] = data["mapping"][1:]
    with pytest.raises(InvalidInput, match="no row for PUB-1"):
        actions.import_checklist(admin_a, yaml.safe_dump(data))
    with pytest.raises(InvalidInput, match="supersedes"):
        actions.import_checklist(admin_a, yaml.safe_dump({**yaml.safe_load(v2_text()), "supersedes": None}))
    assert Checklist.objects.count() == 1


def test_retired_ids_are_never_reused(db, org_a, admin_a):
    data = yaml.safe_load(v2_text())
    data["indicators"].append({**data["indicators"][0], "id": "DEL-2"})
    with pytest.raises(InvalidInput, match="retired ids cannot be reused"):
        actions.import_checklist(admin_a, yaml.safe_dump(data))


def test_oversize_and_permission(db, org_a, admin_a, coordinator_a):
    with pytest.raises(TooLarge):
        actions.import_checklist(admin_a, "x" * (checklists.MAX_YAML_BYTES + 1))
    with pytest.raises(Forbidden):
        actions.import_checklist(coordinator_a, v2_text())
    assert Checklist.objects.count() == 1 and not AuditEvent.objects.exists()


def test_import_page(client, org_a, admin_a, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get("/trials/checklists/import/").status_code == 404
    client.force_login(admin_a)
    response = client.post("/trials/checklists/import/", {"text": "id: [unclosed"})
    assert response.status_code == 400 and "not valid YAML" in response.content.decode()
    response = client.post("/trials/checklists/import/", {"text": v2_text()})
    assert response.status_code == 302
    assert Checklist.objects.filter(version=2).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "DET-1@v2" in detail and "retired" in detail
