"""`a4p plan load`: validation of every kind of malformed file, all-or-nothing, idempotence."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from core.models import AuditEntry, Entity
from plans.exporters import plan_tree
from plans.models import Deliverable, DeliverableEntity, Plan
from plans.planfile import PlanFileError, parse_plan_text, read_plan_file
from plans.services import plan_load


def shipped() -> dict[str, Any]:
    return yaml.safe_load(Path(settings.A4P_PLAN_FILE).read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any] | str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    text = (
        data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    )
    path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> tuple[Any, ...]:
    return (
        Plan.objects.count(),
        Deliverable.objects.count(),
        DeliverableEntity.objects.count(),
        json.dumps(plan_tree(Plan.objects.get(code="a4p-plus-2021-2023")), sort_keys=True),
    )


def entity_codes() -> list[str]:
    return list(Entity.objects.values_list("code", flat=True))


def deliverable(data: dict[str, Any], p: int, r: int, d: int) -> dict[str, Any]:
    return data["priorities"][p]["results"][r]["deliverables"][d]


def _missing_code(data: dict[str, Any]) -> None:
    del deliverable(data, 0, 0, 1)["code"]


def _duplicate_code(data: dict[str, Any]) -> None:
    deliverable(data, 0, 0, 1)["code"] = "1.1.1"


def _outside_result(data: dict[str, Any]) -> None:
    deliverable(data, 1, 0, 0)["code"] = "2.2.9"


def _result_outside_priority(data: dict[str, Any]) -> None:
    data["priorities"][2]["results"][0]["code"] = "4.9"


def _unknown_entity(data: dict[str, Any]) -> None:
    deliverable(data, 2, 0, 0)["lead_entities"] = ["dpo-omaa"]


def _unknown_marker(data: dict[str, Any]) -> None:
    deliverable(data, 0, 0, 0)["markers"] = ["climate"]


def _unknown_field(data: dict[str, Any]) -> None:
    deliverable(data, 0, 0, 0)["owner"] = "someone"


def _entity_twice(data: dict[str, Any]) -> None:
    deliverable(data, 0, 0, 0)["supporting_entities"] = ["regional-asgs"]


def _no_lead(data: dict[str, Any]) -> None:
    deliverable(data, 0, 0, 0)["lead_entities"] = []


def _bad_period(data: dict[str, Any]) -> None:
    data["plan"]["period_end"] = "2020-01-01"


def _bad_date(data: dict[str, Any]) -> None:
    data["plan"]["period_start"] = "2021-13-01"


def _duplicate_priority(data: dict[str, Any]) -> None:
    data["priorities"][1]["number"] = 1


@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (_missing_code, "priorities[0].results[0].deliverables[1]", "missing field code"),
        (
            _duplicate_code,
            "priorities[0].results[0].deliverables[1].code",
            "duplicate deliverable code 1.1.1",
        ),
        (
            _outside_result,
            "priorities[1].results[0].deliverables[0].code",
            "deliverable 2.2.9 is not numbered under result 2.1",
        ),
        (
            _result_outside_priority,
            "priorities[2].results[0].code",
            "result 4.9 is not numbered under priority 3",
        ),
        (
            _unknown_entity,
            "priorities[2].results[0].deliverables[0].lead_entities[0]",
            "unknown entity dpo-omaa (did you mean dpo-oma?)",
        ),
        (
            _unknown_marker,
            "priorities[0].results[0].deliverables[0].markers[0]",
            "unknown marker climate",
        ),
        (_unknown_field, "priorities[0].results[0].deliverables[0]", "unknown field"),
        (
            _entity_twice,
            "priorities[0].results[0].deliverables[0].supporting_entities[0]",
            "entity regional-asgs is named twice",
        ),
        (_no_lead, "priorities[0].results[0].deliverables[0].lead_entities", "should be non-empty"),
        (_bad_period, "plan.period_end", "ends before it starts"),
        (_bad_date, "plan.period_start", "is not a 'date'"),
        (_duplicate_priority, "priorities[1].number", "duplicate priority number 1"),
    ],
)
def test_malformed_file_is_rejected_with_path_line_and_reason(
    plan: Plan, tmp_path: Path, mutate: Any, path: str, reason: str
) -> None:
    data = copy.deepcopy(shipped())
    mutate(data)
    file = write(tmp_path, data)
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("plan", "load", str(file), stdout=StringIO())
    message = str(caught.value)
    assert "nothing was written" in message
    assert f"{file}:" in message
    assert f": {path}: " in message
    assert reason in message
    assert snapshot() == before


def test_the_reported_line_is_the_line_of_the_fault(tmp_path: Path, plan: Plan) -> None:
    text = Path(settings.A4P_PLAN_FILE).read_text(encoding="utf-8")
    text = text.replace('code: "4.3.3"', 'code: "4.3.2"')
    line = next(
        i
        for i, row in enumerate(text.splitlines(), 1)
        if 'code: "4.3.2"' in row and i > text[: text.index('"4.3.2"')].count("\n") + 1
    )
    with pytest.raises(PlanFileError) as caught:
        parse_plan_text(text, "plan.yaml", entity_codes())
    [problem] = caught.value.problems
    assert problem.line == line
    assert problem.message == "duplicate deliverable code 4.3.2"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("priorities: [\n  - number: 1\n    title: [unclosed\n", "not valid YAML or JSON"),
        ("", "does not hold a plan document"),
        ("- just\n- a list\n", "does not hold a plan document"),
        ("format: 1\nformat: 1\nplan: {}\n", "key format appears twice"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n"
                for p, k in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "the aliases expand to more than",
        ),
        ("plan: " + "[" * 5_000 + "]" * 5_000 + "\n", "nested more than 50 levels deep"),
    ],
)
def test_unreadable_documents(plan: Plan, tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        read_plan_file(write(tmp_path, text), entity_codes())
    assert reason in str(caught.value)


def test_a_file_that_is_not_utf8_is_rejected(tmp_path: Path, db: None) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"format: 1\nplan:\n  title: \xe9t\xe9\n")
    with pytest.raises(PlanFileError) as caught:
        read_plan_file(path, [])
    assert "plan.yaml:3:" in str(caught.value)
    assert "not UTF-8" in str(caught.value)


def test_a_missing_file_is_reported(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("plan", "load", str(tmp_path / "absent.yaml"), stdout=StringIO())


def test_loading_the_same_file_again_changes_nothing(plan: Plan) -> None:
    before = snapshot()
    audit_count = AuditEntry.objects.count()
    out = StringIO()
    call_command("plan", "load", str(settings.A4P_PLAN_FILE), stdout=out)
    assert "already up to date" in out.getvalue()
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_count


def test_check_only_validates(plan: Plan, tmp_path: Path) -> None:
    data = shipped()
    deliverable(data, 0, 0, 0)["text"] = "Changed."
    out = StringIO()
    call_command("plan", "load", str(write(tmp_path, data)), "--check", stdout=out)
    assert "valid plan a4p-plus-2021-2023 (71 deliverables)" in out.getvalue()
    assert plan.deliverables.get(code="1.1.1").text != "Changed."


def test_a_changed_file_updates_in_place_and_is_audited(plan: Plan, tmp_path: Path) -> None:
    data = shipped()
    deliverable(data, 0, 0, 0)["text"] = "Reworded."
    deliverable(data, 0, 0, 0)["supporting_entities"] = []
    del data["priorities"][0]["results"][0]["deliverables"][2]
    summary = plan_load(plan_file=read_plan_file(write(tmp_path, data), entity_codes()))
    assert summary.changed
    d = plan.deliverables.get(code="1.1.1")
    assert d.text == "Reworded."
    assert not d.parts.filter(role="support").exists()
    assert not plan.deliverables.filter(code="1.1.3").exists()
    entry = AuditEntry.objects.filter(action="plan.loaded").first()
    assert entry is not None
    assert entry.object_id == str(plan.pk)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_then_load_is_the_identity(plan: Plan, tmp_path: Path, fmt: str) -> None:
    out = StringIO()
    call_command("plan", "export", "--format", fmt, stdout=out)
    exported = out.getvalue()
    file = write(tmp_path, exported, f"plan.{fmt}")
    Plan.objects.all().delete()
    call_command("plan", "load", str(file), stdout=StringIO())
    again = StringIO()
    call_command("plan", "export", "--format", fmt, stdout=again)
    assert again.getvalue() == exported


def test_export_has_the_documented_shape(plan: Plan) -> None:
    out = StringIO()
    call_command("plan", "export", "--format", "json", stdout=out)
    tree = json.loads(out.getvalue())
    deliverables = [d for p in tree["priorities"] for r in p["results"] for d in r["deliverables"]]
    assert len(deliverables) == 71
    assert set(deliverables[0]) == {
        "code",
        "text",
        "lead_text",
        "lead_entities",
        "supporting_entities",
        "oversight_entities",
        "markers",
        "footnotes",
    }
    d314 = next(d for d in deliverables if d["code"] == "3.1.4")
    assert d314["lead_entities"][0]["entity"] == "dpo-orolsi-pd"
    assert "police capabilities" in d314["lead_entities"][0]["scope"]


def test_export_of_an_unknown_plan_is_a_clear_error(plan: Plan) -> None:
    with pytest.raises(CommandError, match="No plan nope to export"):
        call_command("plan", "export", "--plan", "nope", stdout=StringIO())


def test_the_shipped_yaml_equals_its_export(plan: Plan) -> None:
    """The file in the repository is exactly what the database holds after loading it
    (the file may write an entity as a bare code, the export always as a mapping)."""
    data = shipped()
    for p in data["priorities"]:
        for r in p["results"]:
            for d in r["deliverables"]:
                for key in ("lead_entities", "supporting_entities", "oversight_entities"):
                    d[key] = [{"entity": e} if isinstance(e, str) else e for e in d[key]]
    assert data == plan_tree(plan)
