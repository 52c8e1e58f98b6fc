"""Reading and validating a plan file (YAML or JSON, format 1; schema in plans/schema/).

`read_plan_file` returns a validated `PlanFile` or raises `PlanFileError` listing every problem
with the file, the line and the path inside the document. Nothing here touches the database
except to read which entity codes exist.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from core import yamlsafe

SCHEMA_PATH = Path(__file__).parent / "schema" / "plan.schema.json"
PathT = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: PathT
    line: int | None
    message: str

    def format(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        return f"{where}: {format_path(self.path) or '(document)'}: {self.message}"


class PlanFileError(Exception):
    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(p.format(filename) for p in problems))


@dataclass(frozen=True)
class EntityRef:
    entity: str
    scope: str = ""
    level: str = ""


@dataclass(frozen=True)
class DeliverableData:
    code: str
    text: str
    lead_text: str
    lead_entities: tuple[EntityRef, ...]
    supporting_entities: tuple[EntityRef, ...]
    oversight_entities: tuple[EntityRef, ...]
    markers: tuple[str, ...]
    footnotes: tuple[str, ...]


@dataclass(frozen=True)
class ResultData:
    code: str
    title: str
    deliverables: tuple[DeliverableData, ...]


@dataclass(frozen=True)
class PriorityData:
    number: int
    title: str
    results: tuple[ResultData, ...]


@dataclass(frozen=True)
class DimensionData:
    code: str
    name: str
    categories: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class IndicatorData:
    code: str
    name: str
    definition: str
    attached_to: str
    unit: str
    scale: tuple[str, ...]
    direction: str
    period_aggregation: str
    entity_aggregation: str
    baseline: Decimal | None
    baseline_date: dt.date | None
    targets: tuple[tuple[str, Decimal], ...]
    end_target: Decimal | None
    disaggregations: tuple[str, ...]
    data_source: str
    wps: str
    computed: str


@dataclass(frozen=True)
class PlanFile:
    code: str
    title: str
    short_title: str
    period_start: dt.date
    period_end: dt.date
    source: str
    markers: tuple[tuple[str, str], ...]
    priorities: tuple[PriorityData, ...]
    deliverable_count: int = field(default=0)
    dimensions: tuple[DimensionData, ...] = ()
    indicators: tuple[IndicatorData, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def format_path(path: PathT) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _lines(node: yaml.Node, path: PathT, out: dict[PathT, int], problems: list[Problem]) -> None:
    """Record the line of every node, and report duplicate mapping keys (YAML keeps the last)."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        (*path, key),
                        key_node.start_mark.line + 1,
                        _("key %(key)s appears twice") % {"key": key},
                    )
                )
            seen.add(key)
            _lines(value_node, (*path, key), out, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), out, problems)


def _plain(value: Any) -> Any:
    """YAML turns unquoted dates into date objects; the schema speaks of ISO strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _line_for(lines: dict[PathT, int], path: PathT) -> int | None:
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]


def parse_plan_text(text: str, filename: str, entity_codes: Iterable[str]) -> PlanFile:
    try:
        node, data = yamlsafe.load_with_node(text)
    except yamlsafe.YamlError as exc:
        reason = exc.reason
        if exc.syntax:
            reason = _("not valid YAML or JSON: %(reason)s") % {"reason": exc.reason}
        raise PlanFileError(filename, [Problem((), exc.line, reason)]) from None
    if node is None or not isinstance(data, dict):
        raise PlanFileError(filename, [Problem((), 1, _("the file does not hold a plan document"))])

    problems: list[Problem] = []
    lines: dict[PathT, int] = {}
    _lines(node, (), lines, problems)
    data = _plain(data)

    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        problems.append(Problem(path, _line_for(lines, path), _schema_message(error)))
    if problems:
        raise PlanFileError(filename, problems)

    problems = [
        replace(problem, line=_line_for(lines, problem.path))
        for problem in _check_meaning(data, set(entity_codes))
    ]
    if problems:
        raise PlanFileError(filename, problems)
    return _build(data)


def read_plan_file(path: Path, entity_codes: Iterable[str]) -> PlanFile:
    name = str(path)
    try:
        yamlsafe.check_size(path.stat().st_size)
        raw = path.read_bytes()
    except yamlsafe.YamlError as exc:
        raise PlanFileError(name, [Problem((), None, exc.reason)]) from None
    except OSError as exc:
        raise PlanFileError(
            name,
            [
                Problem(
                    (),
                    None,
                    _("cannot read the file: %(reason)s") % {"reason": exc.strerror or exc},
                )
            ],
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError(name, [Problem((), line, _("the file is not UTF-8 text"))]) from None
    return parse_plan_text(text, name, entity_codes)


def _schema_message(error: Any) -> str:
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        return _("missing field %(field)s") % {"field": ", ".join(missing)}
    if error.validator == "additionalProperties":
        return _("unknown field: %(detail)s") % {"detail": error.message}
    if error.validator == "pattern":
        return _("%(value)r does not have the expected form") % {"value": error.instance}
    if error.validator == "oneOf":  # the schema's only oneOf: an entity reference
        return _("an entity is a code or a mapping with entity, scope and level")
    return error.message


def _refs(items: list[Any]) -> Iterator[tuple[int, str]]:
    for index, item in enumerate(items):
        yield index, item if isinstance(item, str) else item["entity"]


def _check_meaning(data: dict[str, Any], entity_codes: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    plan = data["plan"]
    if plan["period_end"] < plan["period_start"]:
        problems.append(
            Problem(("plan", "period_end"), None, _("the plan period ends before it starts"))
        )
    marker_codes: set[str] = set()
    for i, marker in enumerate(data["markers"]):
        if marker["code"] in marker_codes:
            problems.append(
                Problem(
                    ("markers", i, "code"),
                    None,
                    _("duplicate marker code %(code)s") % {"code": marker["code"]},
                )
            )
        marker_codes.add(marker["code"])

    numbers: set[int] = set()
    result_codes: set[str] = set()
    deliverable_codes: set[str] = set()
    problems.extend(_check_dimensions(data.get("dimensions", [])))
    for p, priority in enumerate(data["priorities"]):
        ppath: PathT = ("priorities", p)
        if priority["number"] in numbers:
            problems.append(
                Problem(
                    (*ppath, "number"),
                    None,
                    _("duplicate priority number %(n)s") % {"n": priority["number"]},
                )
            )
        numbers.add(priority["number"])
        for r, result in enumerate(priority["results"]):
            rpath = (*ppath, "results", r)
            code = result["code"]
            if code in result_codes:
                problems.append(
                    Problem(
                        (*rpath, "code"), None, _("duplicate result code %(code)s") % {"code": code}
                    )
                )
            result_codes.add(code)
            if code.split(".")[0] != str(priority["number"]):
                problems.append(
                    Problem(
                        (*rpath, "code"),
                        None,
                        _("result %(code)s is not numbered under priority %(n)s")
                        % {"code": code, "n": priority["number"]},
                    )
                )
            for d, deliverable in enumerate(result["deliverables"]):
                problems.extend(
                    _check_deliverable(
                        deliverable,
                        (*rpath, "deliverables", d),
                        code,
                        deliverable_codes,
                        marker_codes,
                        entity_codes,
                    )
                )
    attachable = {str(n) for n in numbers} | result_codes | deliverable_codes
    problems.extend(_check_indicators(data, attachable))
    return problems


def _check_dimensions(dimensions: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, dimension in enumerate(dimensions):
        if dimension["code"] in seen:
            problems.append(
                Problem(
                    ("dimensions", i, "code"),
                    None,
                    _("duplicate disaggregation code %(code)s") % {"code": dimension["code"]},
                )
            )
        seen.add(dimension["code"])
        codes = [c["code"] for c in dimension["categories"]]
        for j, code in enumerate(codes):
            if code in codes[:j]:
                problems.append(
                    Problem(
                        ("dimensions", i, "categories", j, "code"),
                        None,
                        _("duplicate category code %(code)s") % {"code": code},
                    )
                )
    return problems


# Where the names of computed indicators come from: the indicators app (above plans) registers a
# source from its `AppConfig.ready()`; a file naming an unknown calculation is refused.
ComputedKeys = Callable[[], Iterable[str]]
_computed_sources: list[ComputedKeys] = []


def register_computed_keys(source: ComputedKeys) -> ComputedKeys:
    if source not in _computed_sources:
        _computed_sources.append(source)
    return source


def computed_keys() -> set[str]:
    return {key for source in _computed_sources for key in source()}


def _check_indicators(data: dict[str, Any], attachable: set[str]) -> list[Problem]:
    known = computed_keys()
    problems: list[Problem] = []
    dimensions = {d["code"] for d in data.get("dimensions", [])}
    seen: set[str] = set()
    for i, ind in enumerate(data.get("indicators", [])):
        path: PathT = ("indicators", i)
        where = " " + _("(indicator %(code)s)") % {"code": ind["code"]}
        found: list[tuple[PathT, str]] = []
        if ind["code"] in seen:
            found.append(
                (("code",), _("duplicate indicator code %(code)s") % {"code": ind["code"]})
            )
        seen.add(ind["code"])
        if ind["attached_to"] not in attachable:
            found.append(
                (
                    ("attached_to",),
                    _("there is no priority, result or deliverable %(code)s")
                    % {"code": ind["attached_to"]},
                )
            )
        unit = ind["unit"]
        if unit == "ordinal" and not ind.get("scale"):
            found.append((("unit",), _("an ordinal indicator needs its scale")))
        if unit != "ordinal" and ind.get("scale"):
            found.append((("scale",), _("only an ordinal indicator has a scale")))
        for j, code in enumerate(ind.get("disaggregations", [])):
            if code not in dimensions:
                found.append(
                    (("disaggregations", j), _("unknown disaggregation %(code)s") % {"code": code})
                )
        if ind.get("computed") and ind["computed"] not in known:
            found.append(
                (
                    ("computed",),
                    _("unknown calculation %(name)s (known: %(known)s)")
                    % {"name": ind["computed"], "known": ", ".join(sorted(known))},
                )
            )
        numbers: list[tuple[PathT, Any]] = [
            (("targets", k), v) for k, v in ind.get("targets", {}).items()
        ]
        if "end_target" in ind:
            numbers.append((("end_target",), ind["end_target"]))
        if "baseline" in ind:
            numbers.append((("baseline", "value"), ind["baseline"]["value"]))
        for key, value in numbers:
            bad = _bad_number(unit, value, len(ind.get("scale", [])))
            if bad:
                found.append((key, bad))
        problems.extend(Problem((*path, *key), None, message + where) for key, message in found)
    return problems


def _bad_number(unit: str, value: Any, scale_size: int) -> str:
    if unit == "percent" and not 0 <= value <= 100:
        return _("%(value)s is not a percentage between 0 and 100") % {"value": value}
    if unit == "yesno" and value not in (0, 1):
        return _("a yes/no value is 1 (yes) or 0 (no), not %(value)s") % {"value": value}
    if unit == "ordinal" and (value != int(value) or not 1 <= value <= scale_size):
        return _("%(value)s is not a step of the scale (1 to %(size)d)") % {
            "value": value,
            "size": scale_size,
        }
    return ""


def _check_deliverable(
    deliverable: dict[str, Any],
    dpath: PathT,
    result_code: str,
    seen_codes: set[str],
    marker_codes: set[str],
    entity_codes: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    code = deliverable["code"]
    if code in seen_codes:
        problems.append(
            Problem(
                (*dpath, "code"), None, _("duplicate deliverable code %(code)s") % {"code": code}
            )
        )
    seen_codes.add(code)
    if code.rsplit(".", 1)[0] != result_code:
        problems.append(
            Problem(
                (*dpath, "code"),
                None,
                _("deliverable %(code)s is not numbered under result %(result)s")
                % {"code": code, "result": result_code},
            )
        )
    used: set[str] = set()
    for key in ("lead_entities", "supporting_entities", "oversight_entities"):
        for index, ref in _refs(deliverable.get(key, [])):
            path = (*dpath, key, index)
            if ref not in entity_codes:
                hint = difflib.get_close_matches(ref, entity_codes, n=1)
                message = _("unknown entity %(code)s") % {"code": ref}
                if hint:
                    message += " " + _("(did you mean %(hint)s?)") % {"hint": hint[0]}
                problems.append(Problem(path, None, message))
            if ref in used:
                problems.append(
                    Problem(
                        path,
                        None,
                        _("entity %(code)s is named twice in this deliverable") % {"code": ref},
                    )
                )
            used.add(ref)
    for index, marker in enumerate(deliverable.get("markers", [])):
        if marker not in marker_codes:
            problems.append(
                Problem(
                    (*dpath, "markers", index),
                    None,
                    _("unknown marker %(code)s") % {"code": marker},
                )
            )
    context = " " + _("(deliverable %(code)s)") % {"code": code}
    return [
        p if p.path[-1] == "code" else replace(p, message=p.message + context) for p in problems
    ]


def _entity_refs(items: list[Any]) -> tuple[EntityRef, ...]:
    refs = []
    for item in items:
        if isinstance(item, str):
            refs.append(EntityRef(item))
        else:
            refs.append(EntityRef(item["entity"], item.get("scope", ""), item.get("level", "")))
    return tuple(refs)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _indicator(ind: dict[str, Any]) -> IndicatorData:
    baseline = ind.get("baseline") or {}
    return IndicatorData(
        code=ind["code"],
        name=ind["name"],
        definition=ind.get("definition", ""),
        attached_to=ind["attached_to"],
        unit=ind["unit"],
        scale=tuple(ind.get("scale", [])),
        direction=ind.get("direction", "increase"),
        period_aggregation=ind.get("period_aggregation", "latest"),
        entity_aggregation=ind.get("entity_aggregation", "sum"),
        baseline=_decimal(baseline.get("value")),
        baseline_date=dt.date.fromisoformat(baseline["date"]) if baseline.get("date") else None,
        targets=tuple((k, Decimal(str(v))) for k, v in ind.get("targets", {}).items()),
        end_target=_decimal(ind.get("end_target")),
        disaggregations=tuple(ind.get("disaggregations", [])),
        data_source=ind.get("data_source", ""),
        wps=ind.get("wps", ""),
        computed=ind.get("computed", ""),
    )


def _build(data: dict[str, Any]) -> PlanFile:
    plan = data["plan"]
    priorities = tuple(
        PriorityData(
            number=priority["number"],
            title=priority["title"],
            results=tuple(
                ResultData(
                    code=result["code"],
                    title=result["title"],
                    deliverables=tuple(
                        DeliverableData(
                            code=d["code"],
                            text=d["text"],
                            lead_text=d["lead_text"],
                            lead_entities=_entity_refs(d["lead_entities"]),
                            supporting_entities=_entity_refs(d.get("supporting_entities", [])),
                            oversight_entities=_entity_refs(d.get("oversight_entities", [])),
                            markers=tuple(d.get("markers", [])),
                            footnotes=tuple(d.get("footnotes", [])),
                        )
                        for d in result["deliverables"]
                    ),
                )
                for result in priority["results"]
            ),
        )
        for priority in data["priorities"]
    )
    dimensions = tuple(
        DimensionData(d["code"], d["name"], tuple((c["code"], c["name"]) for c in d["categories"]))
        for d in data.get("dimensions", [])
    )
    indicators = tuple(_indicator(ind) for ind in data.get("indicators", []))
    return PlanFile(
        raw=data,
        dimensions=dimensions,
        indicators=indicators,
        code=plan["code"],
        title=plan["title"],
        short_title=plan.get("short_title", ""),
        period_start=dt.date.fromisoformat(plan["period_start"]),
        period_end=dt.date.fromisoformat(plan["period_end"]),
        source=plan.get("source", ""),
        markers=tuple((m["code"], m["name"]) for m in data["markers"]),
        priorities=priorities,
        deliverable_count=sum(len(r.deliverables) for p in priorities for r in p.results),
    )
