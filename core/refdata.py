"""Loading the reference data shipped in core/data: Member States, entities and missions.

The files are project data written from public UN sources (see each file's header). A broken
file stops the load with the file, the item and the reason; nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, yamlsafe
from core.models import Entity, MemberState, Mission

DATA_DIR = Path(__file__).parent / "data"
ALL_MISSIONS = "all-missions"


class ReferenceDataError(Exception):
    pass


@dataclass(frozen=True)
class RefSummary:
    counts: dict[str, int]


def _yaml(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = yamlsafe.load_file(path)
    except yamlsafe.YamlError as exc:
        raise ReferenceDataError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ReferenceDataError(
            _("%(file)s: expected a list under '%(key)s'") % {"file": path, "key": key}
        )
    return data[key]


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ReferenceDataError(
            _("%(where)s: %(value)r is not a date (YYYY-MM-DD)") % {"where": where, "value": value}
        ) from None


def _set(obj: Any, values: dict[str, Any], counts: Counter[str]) -> None:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        counts["updated"] += 1


@transaction.atomic
def load_reference_data(
    data_dir: Path = DATA_DIR, actor: AbstractBaseUser | None = None
) -> RefSummary:
    """Create or update Member States, entities and missions; idempotent."""
    counts: Counter[str] = Counter()
    states = _load_states(data_dir / "member_states.csv", counts)
    entity_rows = _yaml(data_dir / "entities.yaml", "entities")
    mission_rows = _yaml(data_dir / "missions.yaml", "missions")
    entities = _load_entities(entity_rows, mission_rows, counts)
    _load_missions(mission_rows, entities, states, counts, data_dir / "missions.yaml")
    _link(entity_rows, entities, counts, data_dir / "entities.yaml")
    if counts.get("created") or counts.get("updated"):
        audit.log(
            action="reference.loaded",
            obj=entities["dpo"] if "dpo" in entities else next(iter(entities.values())),
            actor=actor,
            data=dict(counts),
        )
    return RefSummary(dict(counts))


def _load_states(path: Path, counts: Counter[str]) -> dict[str, MemberState]:
    existing = {s.iso3: s for s in MemberState.objects.all()}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ReferenceDataError(f"{path}: {exc}") from None
    for line, row in enumerate(rows, start=2):
        try:
            values: dict[str, Any] = {
                "iso3": row["iso3"],
                "iso2": row["iso2"],
                "m49": int(row["m49"]),
                "name": row["name"],
                "name_fr": row["name_fr"],
                "formal_name": row["formal_name"],
                "formal_name_fr": row["formal_name_fr"],
                "region": row["region"],
                "subregion": row["subregion"],
            }
        except (KeyError, ValueError, TypeError) as exc:
            raise ReferenceDataError(
                _("%(file)s:%(line)d: bad row (%(reason)s)")
                % {"file": path, "line": line, "reason": exc}
            ) from None
        state = existing.get(values["iso3"])
        if state is None:
            existing[values["iso3"]] = MemberState.objects.create(**values)
            counts["created"] += 1
        else:
            _set(state, values, counts)
    return existing


def _load_entities(
    rows: list[dict[str, Any]], missions: list[dict[str, Any]], counts: Counter[str]
) -> dict[str, Entity]:
    existing = {e.code: e for e in Entity.objects.all()}
    kinds = set(Entity.Kind.values)
    wanted: list[dict[str, Any]] = [
        {
            "code": r.get("id"),
            "acronym": r.get("acronym") or "",
            "name": r.get("name") or "",
            "name_fr": r.get("name_fr") or "",
            "kind": r.get("kind"),
            "aliases": list(r.get("aliases") or []),
            "uncertain": bool(r.get("uncertain")),
            "note": (r.get("note") or "").strip(),
        }
        for r in rows
    ] + [
        {
            "code": m.get("id"),
            "acronym": m.get("acronym") or "",
            "name": m.get("name") or "",
            "name_fr": m.get("name_fr") or "",
            "kind": Entity.Kind.MISSION,
            "aliases": list(m.get("aliases") or []),
            "uncertain": False,
            "note": (m.get("note") or "").strip(),
        }
        for m in missions
    ]
    for values in wanted:
        if not values["code"] or not values["name"] or values["kind"] not in kinds:
            raise ReferenceDataError(
                _("entity %(code)s: needs an id, a name and a kind among %(kinds)s")
                % {"code": values["code"] or "?", "kinds": ", ".join(sorted(kinds))}
            )
        entity = existing.get(values["code"])
        if entity is None:
            existing[values["code"]] = Entity.objects.create(**values)
            counts["created"] += 1
        else:
            _set(entity, values, counts)
    return existing


def _load_missions(
    rows: list[dict[str, Any]],
    entities: dict[str, Entity],
    states: dict[str, MemberState],
    counts: Counter[str],
    path: Path,
) -> None:
    existing = {m.entity_id: m for m in Mission.objects.prefetch_related("host_states")}
    for row in rows:
        where = f"{path}: mission {row['id']}"
        entity = entities[row["id"]]
        values = {
            "mission_type": row.get("type"),
            "in_plan_group": bool(row.get("in_plan_group")),
            "host_territory": row.get("host_territory") or "",
            "hq": row.get("hq") or "",
            "start_date": _date(row.get("start_date"), where),
            "end_date": _date(row.get("end_date"), where),
            "regional_asg_id": _entity_id(entities, row.get("regional_asg"), where),
            "division_id": _entity_id(entities, row.get("division"), where),
            "aliases": list(row.get("aliases") or []),
        }
        if values["mission_type"] not in Mission.Type.values:
            raise ReferenceDataError(_("%(where)s: type must be pko or spm") % {"where": where})
        hosts = []
        for iso3 in row.get("host_states") or []:
            if iso3 not in states:
                raise ReferenceDataError(
                    _("%(where)s: host State %(iso3)s is not a Member State")
                    % {"where": where, "iso3": iso3}
                )
            hosts.append(states[iso3])
        mission = existing.get(entity.pk)
        if mission is None:
            mission = Mission.objects.create(entity=entity, **values)
            counts["created"] += 1
        else:
            _set(mission, values, counts)
        if {s.pk for s in mission.host_states.all()} != {s.pk for s in hosts}:
            mission.host_states.set(hosts)
            counts["updated"] += 1


def _entity(entities: dict[str, Entity], code: str | None, where: str) -> Entity | None:
    if not code:
        return None
    if code not in entities:
        raise ReferenceDataError(
            _("%(where)s: unknown entity %(code)s") % {"where": where, "code": code}
        )
    return entities[code]


def _entity_id(entities: dict[str, Entity], code: str | None, where: str) -> int | None:
    entity = _entity(entities, code, where)
    return entity.pk if entity else None


def _link(
    rows: list[dict[str, Any]], entities: dict[str, Entity], counts: Counter[str], path: Path
) -> None:
    """Parents and group members, once every entity exists."""
    plan_missions = list(Entity.objects.filter(mission__in_plan_group=True))
    current_members: dict[int, set[int]] = {}
    for group_id, member_id in Entity.members.through.objects.values_list(
        "from_entity_id", "to_entity_id"
    ):
        current_members.setdefault(group_id, set()).add(member_id)
    for row in rows:
        where = f"{path}: entity {row['id']}"
        entity = entities[row["id"]]
        _set(entity, {"parent_id": _entity_id(entities, row.get("parent"), where)}, counts)
        members = row.get("members")
        if members is None:
            continue
        wanted = (
            plan_missions
            if members == ALL_MISSIONS
            else [e for e in (_entity(entities, c, where) for c in members) if e]
        )
        if current_members.get(entity.pk, set()) != {m.pk for m in wanted}:
            entity.members.set(wanted)
            counts["updated"] += 1
