"""Plan versions: the published states of a plan and the one revision being prepared.

A version keeps the whole plan as a tree in the plan-file shape. A revision is a draft version
whose tree the planning unit changes (by editing in the app or by loading a changed file); each
change between the version in force and the revision needs a reason; publishing applies the
revision to the live plan, retiring (never deleting) what it drops, and binds later cycles to it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.models import Entity
from plans.exporters import plain_number, plan_tree
from plans.models import Plan, PlanVersion
from plans.planfile import PlanFile, parse_plan_text
from plans.services import PlanLoadError, plan_load

ROLE_KEYS = ("lead_entities", "supporting_entities", "oversight_entities")


class VersionError(Exception):
    """A refused change to versions; the message is for the user."""


# Trees -----------------------------------------------------------------------------------------


def normalize(raw: dict[str, Any]) -> dict[str, Any]:
    """A validated plan document in the exact shape `plan_tree` exports, so that trees from a
    file and from the database compare equal when they mean the same plan."""
    tree = json.loads(json.dumps(raw))
    for priority in tree["priorities"]:
        for result in priority["results"]:
            for d in result["deliverables"]:
                for key in ROLE_KEYS:
                    d[key] = [{"entity": e} if isinstance(e, str) else e for e in d.get(key, [])]
                d.setdefault("markers", [])
                d.setdefault("footnotes", [])
    tree.setdefault("dimensions", [])
    order = {d["code"]: i for i, d in enumerate(tree["dimensions"])}
    for ind in tree.setdefault("indicators", []):
        ind.setdefault("direction", "increase")
        ind.setdefault("period_aggregation", "latest")
        ind.setdefault("entity_aggregation", "sum")
        for key in ("end_target",):
            if key in ind:
                ind[key] = plain_number(ind[key])
        if "baseline" in ind:
            ind["baseline"]["value"] = plain_number(ind["baseline"]["value"])
        if "targets" in ind:
            ind["targets"] = {k: plain_number(v) for k, v in sorted(ind["targets"].items())}
        if ind.get("disaggregations"):
            ind["disaggregations"] = sorted(ind["disaggregations"], key=order.__getitem__)
        for key in (
            "definition",
            "data_source",
            "wps",
            "computed",
            "scale",
            "disaggregations",
            "targets",
        ):
            if key in ind and not ind[key]:
                del ind[key]
    return tree


def validate_tree(tree: dict[str, Any], name: str) -> PlanFile:
    """Run the plan-file checks on a tree (raises PlanFileError)."""
    codes = Entity.objects.values_list("code", flat=True)
    return parse_plan_text(json.dumps(tree, ensure_ascii=False), name, codes)


def deliverables_of(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        d["code"]: {**d, "result": r["code"]}
        for p in tree["priorities"]
        for r in p["results"]
        for d in r["deliverables"]
    }


def _results_of(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["code"]: {"title": r["title"], "priority": p["number"]}
        for p in tree["priorities"]
        for r in p["results"]
    }


@dataclass(frozen=True)
class Change:
    target: str  # deliverable, indicator, result, priority, plan, markers, dimensions
    code: str
    kind: str  # added, changed, retired
    fields: tuple[tuple[str, Any, Any], ...] = field(default=())

    @property
    def key(self) -> str:
        return f"{self.target}:{self.code}"


def _compare(
    target: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[Change]:
    changes = []
    for code in sorted(set(old) | set(new), key=_code_key):
        if code not in old:
            changes.append(Change(target, code, "added"))
        elif code not in new:
            changes.append(Change(target, code, "retired"))
        elif old[code] != new[code]:
            names = sorted(set(old[code]) | set(new[code]))
            changes.append(
                Change(
                    target,
                    code,
                    "changed",
                    tuple(
                        (n, old[code].get(n), new[code].get(n))
                        for n in names
                        if old[code].get(n) != new[code].get(n)
                    ),
                )
            )
    return changes


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order: 3.1.9 before 3.1.10, numbers before letters."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.replace("-", ".").split(".")
    )


def diff_trees(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed from one version to another, item by item, field by field."""
    changes: list[Change] = []
    if old["plan"] != new["plan"]:
        changes.append(
            Change(
                "plan",
                new["plan"]["code"],
                "changed",
                tuple(
                    (k, old["plan"].get(k), new["plan"].get(k))
                    for k in sorted(set(old["plan"]) | set(new["plan"]))
                    if old["plan"].get(k) != new["plan"].get(k)
                ),
            )
        )
    changes += _compare(
        "priority",
        {str(p["number"]): {"title": p["title"]} for p in old["priorities"]},
        {str(p["number"]): {"title": p["title"]} for p in new["priorities"]},
    )
    changes += _compare("result", _results_of(old), _results_of(new))
    changes += _compare("deliverable", deliverables_of(old), deliverables_of(new))
    changes += _compare(
        "marker", {m["code"]: m for m in old["markers"]}, {m["code"]: m for m in new["markers"]}
    )
    changes += _compare(
        "dimension",
        {d["code"]: d for d in old.get("dimensions", [])},
        {d["code"]: d for d in new.get("dimensions", [])},
    )
    changes += _compare(
        "indicator",
        {i["code"]: i for i in old.get("indicators", [])},
        {i["code"]: i for i in new.get("indicators", [])},
    )
    return changes


# Reads -----------------------------------------------------------------------------------------


def published_versions(plan: Plan) -> list[PlanVersion]:
    return list(plan.versions.filter(state=PlanVersion.State.PUBLISHED).order_by("number"))


def current_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(state=PlanVersion.State.PUBLISHED).order_by("-number").first()


def draft_revision(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(state=PlanVersion.State.DRAFT).first()


def version_in_force(plan: Plan, on: dt.date) -> PlanVersion | None:
    """The latest published version effective on that day (the first one before it began)."""
    published = plan.versions.filter(state=PlanVersion.State.PUBLISHED)
    return (
        published.filter(effective_from__lte=on).order_by("-effective_from", "-number").first()
        or published.order_by("number").first()
    )


# Writes ----------------------------------------------------------------------------------------


def _next_number(plan: Plan) -> int:
    return (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def version_initial(*, plan: Plan, actor: User | None = None, source: str = "") -> PlanVersion:
    """Version 1: what the database holds now, published, effective from the plan's start."""
    if plan.versions.exists():
        raise VersionError(_("Plan %(code)s already has versions.") % {"code": plan.code})
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        state=PlanVersion.State.PUBLISHED,
        tree=plan_tree(plan),
        source=source,
        effective_from=plan.period_start,
        created_by=actor,
        published_at=timezone.now(),
        published_by=actor,
    )
    audit.log(action="plan.version_published", obj=version, actor=actor, data={"number": 1})
    return version


@transaction.atomic
def revision_propose(
    *,
    plan: Plan,
    tree: dict[str, Any],
    actor: User | None = None,
    source: str = "",
    reason: str = "",
) -> PlanVersion:
    """Make `tree` the draft revision (replacing an earlier draft), keeping the reasons already
    given for changes that remain, and giving `reason` to the others when set."""
    validate_tree(tree, source or _("revision"))
    base = current_version(plan)
    if base is None:
        raise VersionError(_("Plan %(code)s has no published version.") % {"code": plan.code})
    revision = draft_revision(plan)
    old_reasons = revision.reasons if revision else {}
    keys = [c.key for c in diff_trees(base.tree, tree)]
    reasons = {k: old_reasons.get(k) or reason for k in keys if old_reasons.get(k) or reason}
    if revision is None:
        revision = PlanVersion.objects.create(
            plan=plan,
            number=_next_number(plan),
            state=PlanVersion.State.DRAFT,
            tree=tree,
            reasons=reasons,
            source=source,
            created_by=actor,
        )
    else:
        revision.tree, revision.reasons, revision.source = tree, reasons, source or revision.source
        revision.save(update_fields=["tree", "reasons", "source"])
    audit.log(
        action="plan.revision_proposed",
        obj=revision,
        actor=actor,
        data={"changes": len(keys), "source": source},
    )
    return revision


@transaction.atomic
def revision_set_reasons(
    *, revision: PlanVersion, reasons: dict[str, str], actor: User | None
) -> PlanVersion:
    if revision.state != PlanVersion.State.DRAFT:
        raise VersionError(_("Only a draft revision can be changed."))
    cleaned = {k: v.strip() for k, v in {**revision.reasons, **reasons}.items() if v.strip()}
    revision.reasons = cleaned
    revision.save(update_fields=["reasons"])
    return revision


def pending_changes(revision: PlanVersion) -> list[Change]:
    base = current_version(revision.plan)
    assert base is not None
    return diff_trees(base.tree, revision.tree)


@transaction.atomic
def revision_publish(
    *, revision: PlanVersion, effective_from: dt.date, actor: User | None = None
) -> PlanVersion:
    """Apply the revision to the live plan and publish it. Deliverables and indicators it drops
    are retired in it; earlier versions, and the cycles bound to them, do not change."""
    revision = PlanVersion.objects.select_for_update().get(pk=revision.pk)
    if revision.state != PlanVersion.State.DRAFT:
        raise VersionError(_("This revision is already published."))
    changes = pending_changes(revision)
    if not changes:
        raise VersionError(_("The revision changes nothing; discard it instead."))
    missing = [c.key for c in changes if not revision.reasons.get(c.key)]
    if missing:
        raise VersionError(
            _("Give a reason for every change before publishing; missing for %(keys)s.")
            % {"keys": ", ".join(missing)}
        )
    base = current_version(revision.plan)
    if base and base.effective_from and effective_from < base.effective_from:
        raise VersionError(
            _("A revision cannot take effect before version %(n)d (%(date)s).")
            % {"n": base.number, "date": base.effective_from.isoformat()}
        )
    try:
        plan_load(
            plan_file=validate_tree(revision.tree, str(revision)), actor=actor, retire_in=revision
        )
    except PlanLoadError as error:
        raise VersionError(str(error)) from error
    revision.state = PlanVersion.State.PUBLISHED
    revision.effective_from = effective_from
    revision.published_at = timezone.now()
    revision.published_by = actor
    revision.save(update_fields=["state", "effective_from", "published_at", "published_by"])
    audit.log(
        action="plan.version_published",
        obj=revision,
        actor=actor,
        data={
            "number": revision.number,
            "changes": [c.key for c in changes],
            "effective_from": effective_from.isoformat(),
        },
    )
    return revision


@transaction.atomic
def revision_discard(*, revision: PlanVersion, actor: User | None = None) -> None:
    if revision.state != PlanVersion.State.DRAFT:
        raise VersionError(_("A published version cannot be discarded."))
    audit.log(
        action="plan.revision_discarded",
        obj=revision,
        actor=actor,
        data={"number": revision.number},
    )
    revision.delete()


# Editing a revision ----------------------------------------------------------------------------


def _copy(tree: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(tree))


def _find_result(tree: dict[str, Any], code: str) -> dict[str, Any]:
    for priority in tree["priorities"]:
        for result in priority["results"]:
            if result["code"] == code:
                return result
    raise VersionError(_("There is no result %(code)s.") % {"code": code})


def with_deliverable(
    tree: dict[str, Any], item: dict[str, Any], result_code: str
) -> dict[str, Any]:
    """The tree with this deliverable added to its result, or replacing the one of that code."""
    new = _copy(tree)
    for priority in new["priorities"]:
        for result in priority["results"]:
            result["deliverables"] = [
                d for d in result["deliverables"] if d["code"] != item["code"]
            ]
    result = _find_result(new, result_code)
    result["deliverables"].append(item)
    result["deliverables"].sort(key=lambda d: _code_key(d["code"]))
    return new


def without_deliverable(tree: dict[str, Any], code: str) -> dict[str, Any]:
    new = _copy(tree)
    found = False
    for priority in new["priorities"]:
        for result in priority["results"]:
            kept = [d for d in result["deliverables"] if d["code"] != code]
            found = found or len(kept) != len(result["deliverables"])
            result["deliverables"] = kept
    if not found:
        raise VersionError(_("There is no deliverable %(code)s.") % {"code": code})
    return new


def with_indicator(tree: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    new = _copy(tree)
    indicators = [i for i in new.get("indicators", []) if i["code"] != item["code"]]
    indicators.append(item)
    new["indicators"] = indicators
    return new


def without_indicator(tree: dict[str, Any], code: str) -> dict[str, Any]:
    new = _copy(tree)
    kept = [i for i in new.get("indicators", []) if i["code"] != code]
    if len(kept) == len(new.get("indicators", [])):
        raise VersionError(_("There is no indicator %(code)s.") % {"code": code})
    new["indicators"] = kept
    return new


@transaction.atomic
def revision_open(*, plan: Plan, actor: User | None) -> PlanVersion:
    """A draft revision starting from the version in force (or the draft already open)."""
    revision = draft_revision(plan)
    if revision is not None:
        return revision
    base = current_version(plan) or version_initial(plan=plan, actor=actor)
    revision = PlanVersion.objects.create(
        plan=plan,
        number=_next_number(plan),
        state=PlanVersion.State.DRAFT,
        tree=_copy(base.tree),
        source=_("edited in the app"),
        created_by=actor,
    )
    audit.log(
        action="plan.revision_opened", obj=revision, actor=actor, data={"number": revision.number}
    )
    return revision


@transaction.atomic
def revision_change(
    *, revision: PlanVersion, tree: dict[str, Any], key: str, reason: str, actor: User | None
) -> PlanVersion:
    """Replace the revision's tree after one edit, with the reason for it. The whole plan is
    validated as a plan file would be (raises PlanFileError)."""
    if revision.state != PlanVersion.State.DRAFT:
        raise VersionError(_("Only a draft revision can be changed."))
    if not reason.strip():
        raise VersionError(_("Say why: every change to the plan needs a reason."))
    validate_tree(tree, str(revision))
    revision.tree = tree
    revision.reasons = {**revision.reasons, key: reason.strip()}
    revision.save(update_fields=["tree", "reasons"])
    audit.log(
        action="plan.revision_changed",
        obj=revision,
        actor=actor,
        data={"change": key, "reason": reason.strip()},
    )
    return revision
