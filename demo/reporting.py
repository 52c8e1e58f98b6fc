"""Demo reporting data for `a4p demo`: work plans with focal points and milestones, five reporting
cycles of the A4P+ plan (2022-H1 to 2024-H1, the last one open), and the progress updates of a
set of missions and Headquarters offices with their review trail, obstacles, evidence links and a
few notifications.

The texts are drawn from the tables in `demo/data/reporting.yaml`. Everything is derived from
fixed seeds, so two databases loaded on the same day hold the same data. Loading again creates
only what is missing: existing cycles, updates and milestones are left as they are.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit
from demo import texts
from plans.models import Assignment, Deliverable, DeliverableEntity, Milestone, Plan
from plans.services import assignments_generate
from reporting.models import (
    Cycle,
    Evidence,
    Notification,
    Obstacle,
    ProgressUpdate,
    Sensitivity,
    Transition,
)

PLAN_CODE = "a4p-plus-2021-2023"
SEED = "a4p-plus-demo"
TEXTS = texts.load("reporting")

S = ProgressUpdate.State
R = ProgressUpdate.Rating
C = Obstacle.Category
V = Obstacle.Severity


def _rng(*parts: object) -> random.Random:
    """A generator of its own for each item, so that what one item draws never depends on what
    exists already or on the order things are made in."""
    return random.Random(":".join([SEED, *map(str, parts)]))  # noqa: S311 (demo data, not secrets)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    return text[:1].lower() + text[1:]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# What each deliverable is about ---------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    topic: str  # short noun phrase: "CASEVAC"
    activity: str  # gerund phrase: "conducting CASEVAC training, exercises and stress tests"
    output: str  # the main product: "the CASEVAC remediation plan"
    counted: str  # what gets counted: "CASEVAC exercises and stress tests"
    low: int
    high: int


TOPICS: dict[str, Topic] = {code: Topic(**topic) for code, topic in TEXTS["topics"].items()}


def _topic(deliverable: Deliverable) -> Topic:
    known = TOPICS.get(deliverable.code)
    if known is not None:
        return known
    # A plan other than A4P+: build the phrases from the deliverable's own text.
    words = deliverable.text.rstrip(".").split()
    phrase = _low(" ".join(words[:8]))
    return Topic(
        phrase, _low(" ".join(words[:14])), f"the work plan for {phrase}", "activities", 2, 10
    )


# Who reports ----------------------------------------------------------------------------------

OFFICES: dict[str, str] = TEXTS["offices"]


@dataclass(frozen=True)
class Profile:
    name: str  # as the text names the entity inside a sentence
    partners: tuple[str, ...]
    causes: tuple[str, ...]
    places: tuple[str, ...] = ()
    site: str = ""  # the mission's website
    regional_office: str = ""  # key of OFFICES
    reviewed_in_africa: bool = False
    own_office: str = ""  # key of OFFICES for the entity itself, never asked for support
    context: tuple[str, ...] = ()  # one sentence per cycle, 2022-H1 to 2024-H1
    political: tuple[str, ...] = ()  # the political moment of each cycle

    @property
    def is_mission(self) -> bool:
        return bool(self.places)


def _profile(fields: dict[str, Any]) -> Profile:
    """A profile from its YAML mapping, the lists made tuples."""
    tupled: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    return Profile(**tupled)


PROFILES: dict[str, Profile] = {code: _profile(p) for code, p in TEXTS["profiles"].items()}
DEMO_ENTITIES = tuple(PROFILES)
FOCAL_USERS = {"minusca": "focal.minusca", "dpo-oma": "focal.oma"}
VIA_UNITS: dict[str, str] = TEXTS["via_units"]
# Two deliverables that an entity stopped working on, with the cycle it stopped in.
DISCONTINUED = {("6.1.8", "unmiss"): 2, ("2.4.2", "monusco"): 4}


# Cycles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleSpec:
    code: str
    start: dt.date
    end: dt.date
    state: str
    period: str  # as the text names it
    next_period: str


PAST_CYCLES = (
    CycleSpec(
        "2022-H1",
        dt.date(2022, 1, 1),
        dt.date(2022, 6, 30),
        Cycle.State.PUBLISHED,
        "the first half of 2022",
        "the second half of 2022",
    ),
    CycleSpec(
        "2022-H2",
        dt.date(2022, 7, 1),
        dt.date(2022, 12, 31),
        Cycle.State.PUBLISHED,
        "the second half of 2022",
        "the first half of 2023",
    ),
    CycleSpec(
        "2023-H1",
        dt.date(2023, 1, 1),
        dt.date(2023, 6, 30),
        Cycle.State.PUBLISHED,
        "the first half of 2023",
        "the second half of 2023",
    ),
    CycleSpec(
        "2023-H2",
        dt.date(2023, 7, 1),
        dt.date(2023, 12, 31),
        Cycle.State.CLOSED,
        "the second half of 2023",
        "the first half of 2024",
    ),
)
OPEN_CYCLE = CycleSpec(
    "2024-H1",
    dt.date(2024, 1, 1),
    dt.date(2024, 6, 30),
    Cycle.State.OPEN,
    "the first half of 2024",
    "the second half of 2024",
)
CYCLES = (*PAST_CYCLES, OPEN_CYCLE)


def _cycle_dates(spec: CycleSpec, today: dt.date) -> dict[str, dt.date]:
    if spec.state == Cycle.State.OPEN:
        return {
            "opens_on": today - dt.timedelta(days=21),
            "due_on": today + dt.timedelta(days=5),
            "closes_on": today + dt.timedelta(days=28),
        }
    return {
        "opens_on": spec.end - dt.timedelta(days=14),
        "due_on": spec.end + dt.timedelta(days=21),
        "closes_on": spec.end + dt.timedelta(days=42),
    }


# Ratings over time ----------------------------------------------------------------------------


def _trajectory(deliverable: str, entity: str) -> list[str]:
    """The rating of an assignment in each of the five cycles: not started, then on track or
    delayed (with the odd off-track spell), then, for many, completed."""
    rng = _rng("trajectory", deliverable, entity)
    start = rng.choices((0, 1, 2), weights=(72, 22, 6))[0]
    finish: int | None = rng.choices((2, 3, 4, None), weights=(15, 30, 15, 40))[0]
    if finish is not None and finish <= start:
        finish = start + 1 if start < 3 and rng.random() < 0.5 else None
    trouble_at = rng.randint(start, (finish or 5) - 1) if rng.random() < 0.15 else None
    ratings: list[str] = []
    for index in range(len(CYCLES)):
        if index < start:
            rating = R.NOT_STARTED
        elif finish is not None and index >= finish:
            rating = R.COMPLETED
        elif index == trouble_at:
            rating = R.OFF_TRACK
        elif ratings and ratings[-1] in (R.DELAYED, R.OFF_TRACK):
            rating = R.DELAYED if rng.random() < 0.5 else R.ON_TRACK
        else:
            rating = R.DELAYED if rng.random() < 0.22 else R.ON_TRACK
        ratings.append(rating)
    stopped = DISCONTINUED.get((deliverable, entity))
    if stopped is not None:
        ratings[stopped:] = [R.DISCONTINUED] * (len(CYCLES) - stopped)
    if entity == "minusma":
        # The withdrawal: what was not finished by the end of 2023 was closed.
        if ratings[2] == R.ON_TRACK and rng.random() < 0.4:
            ratings[2] = R.DELAYED
        if ratings[3] != R.COMPLETED:
            ratings[3] = R.COMPLETED if rng.random() < 0.35 else R.DISCONTINUED
        ratings[4] = ratings[3]
    return ratings


# Text -----------------------------------------------------------------------------------------


def _pools(section: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(pool) for key, pool in section.items()}


OPENERS = _pools(TEXTS["openers"])
BODIES = _pools(TEXTS["bodies"])
ACHIEVEMENTS = _pools(TEXTS["achievements"])
NEXT_STEPS = _pools(TEXTS["next_steps"])
WPS_MISSION, WPS_HQ, WPS_PARITY = (
    tuple(TEXTS["wps"][key]) for key in ("mission", "headquarters", "parity")
)
RETURN_COMMENTS = tuple(TEXTS["return_comments"])
VALIDATE_COMMENTS = tuple(TEXTS["validate_comments"])
MINUSMA = TEXTS["minusma"]


@dataclass
class Writer:
    """The text of one update, drawn from templates with the facts of its deliverable, entity
    and cycle."""

    rng: random.Random
    values: dict[str, Any] = field(default_factory=dict)

    def say(self, template: str) -> str:
        return template.format(**self.values)

    def pick(self, pool: Sequence[str], count: int = 1) -> list[str]:
        chosen = self.rng.sample(list(pool), min(count, len(pool)))
        return [self.say(t) for t in chosen]


def _values(
    rng: random.Random,
    topic: Topic,
    profile: Profile,
    who: str,
    index: int,
    role: str,
    leads: Sequence[str],
) -> dict[str, Any]:
    spec = CYCLES[index]
    places = rng.sample(list(profile.places), min(len(profile.places), rng.randint(1, 3)))
    n_target = rng.randint(topic.low, topic.high)
    n_done = max(topic.low // 2, 1, round(n_target * rng.uniform(0.35, 0.7)))
    output = topic.output
    cause, other_cause = rng.sample(list(profile.causes), 2)
    pct = rng.randint(11, 38)
    return {
        "who": who,
        "Who": _cap(who),
        "topic": topic.topic,
        "activity": topic.activity,
        "output": output,
        "Output": _cap(output),
        "counted": topic.counted,
        "n": n_done,
        "N": n_done if n_done > 9 else _cap(NUMBERS[n_done]),
        "target": n_target,
        "period": spec.period,
        "next_period": spec.next_period,
        "place_phrase": f" in {_join(places)}" if places else "",
        "place": places[0] if places else "",
        "partner": rng.choice(profile.partners),
        "cause": cause,
        "Cause": _cap(cause),
        "other_cause": other_cause,
        "endorser": "by the Head of Mission" if profile.is_mission else "by senior management",
        "pct": pct,
        "pct_prev": pct - rng.randint(1, 5),
        "leads": _join(leads),
        "cycle": spec.code,
        "role": role,
    }


NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass
class Text:
    narrative: str = ""
    achievements: str = ""
    next_steps: str = ""
    wps_note: str = ""


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _write(
    w: Writer,
    *,
    rating: str,
    previous: str | None,
    index: int,
    entity: str,
    profile: Profile,
    wps: bool,
    deliverable: str,
    role: str,
) -> Text:
    rng = w.rng
    key = rating
    if rating == R.COMPLETED and previous != R.COMPLETED:
        key = "completed_new"
    if rating == R.DISCONTINUED and previous != R.DISCONTINUED:
        key = "discontinued_new"
    if entity == "minusma" and index >= 3:
        return _write_minusma(w, rating=rating, previous=previous, index=index)
    several = key in (R.ON_TRACK, R.DELAYED, R.OFF_TRACK, "completed_new") and rng.random() < 0.6
    sentences = w.pick(OPENERS[key]) + w.pick(BODIES[key], 2 if several else 1)
    if role == DeliverableEntity.Role.SUPPORT and w.values["leads"] and rng.random() < 0.6:
        sentences.append(w.say("{Who} contributes to this deliverable in support of {leads}."))
    chance = 0.6 if entity == "unifil" and index >= 3 else 0.3
    if entity == "minusma" and index == 2:
        chance = 1.0  # the request for withdrawal changed every line of the work plan
    if profile.context and rng.random() < chance:
        sentences.append(profile.context[index])
    text = Text(narrative=" ".join(sentences))
    if key in ACHIEVEMENTS:
        text.achievements = _bullets(w.pick(ACHIEVEMENTS[key], rng.randint(1, 3)))
    text.next_steps = _bullets(w.pick(NEXT_STEPS[key], rng.randint(1, 2)))
    if rating not in (R.NOT_STARTED, R.DISCONTINUED) and (wps or rng.random() < 0.2):
        pool: tuple[str, ...]
        if deliverable == "3.1.1" and not profile.is_mission:
            pool = WPS_PARITY
            w.values["pct"] = rng.randint(15, 23)  # the share of women among staff officers
            w.values["pct_prev"] = w.values["pct"] - rng.randint(1, 3)
        else:
            pool = WPS_MISSION if profile.is_mission else WPS_HQ
        text.wps_note = w.pick(pool)[0]
    return text


def _write_minusma(w: Writer, *, rating: str, previous: str | None, index: int) -> Text:
    """MINUSMA's last two reports: the withdrawal by 31 December 2023, then liquidation."""
    if index == 4:
        closing = MINUSMA["liquidation"]
        return Text(
            narrative=w.say(closing["narrative"]), next_steps=_bullets(closing["next_steps"])
        )
    if rating == R.COMPLETED and previous == R.COMPLETED:
        story = MINUSMA["kept"]
    elif rating == R.COMPLETED:
        story = MINUSMA["completed"]
    else:
        story = MINUSMA["discontinued"]
    return Text(
        narrative=w.say(story["narrative"]),
        achievements=_bullets([w.say(a) for a in story["achievements"]]),
        next_steps=_bullets(MINUSMA["withdrawn_next_steps"]),
    )


def _half_written(text: Text) -> Text:
    """A draft the author has started: the first sentences of the narrative only."""
    first = text.narrative.split(". ")[0].rstrip(".") + "."
    return Text(narrative=first)


# Obstacles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObstacleText:
    description: str
    mitigation: str
    support: str
    offices: tuple[str, ...]  # keys of OFFICES, the first that is not the entity itself


OBSTACLES: dict[str, ObstacleText] = {
    category: ObstacleText(**{**text, "offices": tuple(text["offices"])})
    for category, text in TEXTS["obstacles"].items()
}
MISSION_CATEGORIES: dict[str, float] = {
    C.SECURITY: 3,
    C.HOST_COUNTRY: 2,
    C.POLITICAL: 2,
    C.LOGISTICS: 2,
    C.CAPACITY: 2,
    C.RESOURCES: 1,
    C.COORDINATION: 1,
    C.POLICY: 1,
}
HQ_CATEGORIES: dict[str, float] = {
    C.RESOURCES: 3,
    C.CAPACITY: 3,
    C.COORDINATION: 3,
    C.POLICY: 2,
    C.POLITICAL: 1,
}
SEVERITIES = (V.LOW, V.MEDIUM, V.HIGH, V.CRITICAL)


def _categories(entity: str, profile: Profile) -> dict[str, float]:
    weights = dict(MISSION_CATEGORIES if profile.is_mission else HQ_CATEGORIES)
    if entity == "unifil":
        weights.pop(C.LOGISTICS)  # no rainy season nor road closures in South Lebanon
    return weights


OBSTACLE_CHANCE: dict[str, float] = {
    R.NOT_STARTED: 0.3,
    R.ON_TRACK: 0.15,
    R.DELAYED: 0.65,
    R.OFF_TRACK: 0.95,
    R.COMPLETED: 0.04,
    R.DISCONTINUED: 0.3,
}


@dataclass(frozen=True)
class Chronic:
    """An obstacle that comes back cycle after cycle for one assignment."""

    category: str
    first: int
    last: int
    severities: tuple[str, ...]


def _chronic(deliverable: str, entity: str, profile: Profile) -> Chronic | None:
    rng = _rng("chronic", deliverable, entity)
    if entity == "unifil" and rng.random() < 0.45:
        return Chronic(C.SECURITY, 3, 4, (V.HIGH, rng.choice((V.HIGH, V.CRITICAL))))
    if rng.random() >= 0.14:
        return None
    weights = _categories(entity, profile)
    category = rng.choices(list(weights), weights=list(weights.values()))[0]
    first = rng.randint(0, 2)
    last = min(first + rng.randint(1, 2), 4)
    level = rng.randint(1, 2)
    path = []
    for _ in range(first, last + 1):
        path.append(SEVERITIES[level])
        level = max(0, min(3, level + rng.choice((-1, 0, 1, 1))))
    return Chronic(category, first, last, tuple(path))


def _obstacles(
    *,
    rng: random.Random,
    values: dict[str, Any],
    rating: str,
    index: int,
    entity: str,
    profile: Profile,
    chronic: Chronic | None,
) -> list[Obstacle]:
    made: list[Obstacle] = []
    own = profile.own_office
    regional = profile.regional_office or "africa"

    def office(keys: tuple[str, ...]) -> str:
        for key in keys:
            key = regional if key == "regional" else key
            if key != own:
                return OFFICES[key]
        return OFFICES["iapu"]

    def build(category: str, severity: str, recurring: bool) -> Obstacle:
        text = OBSTACLES[category]
        fill = {
            **values,
            "k": rng.randint(2, 6),
            "political": profile.political[index]
            if profile.political
            else "the budget negotiations in the Fifth Committee",
        }
        description = text.description.format(**fill)
        if recurring:
            description = "As reported in the previous cycle, " + _low(description)
        asks = severity in (V.HIGH, V.CRITICAL) or rng.random() < 0.5
        escalate = (severity == V.CRITICAL and rng.random() < 0.6) or (
            severity == V.HIGH and rng.random() < 0.06
        )
        return Obstacle(
            category=category,
            severity=severity,
            description=description,
            mitigation=text.mitigation.format(**fill) if rng.random() < 0.9 else "",
            support_requested=text.support.format(**fill) if asks else "",
            support_from=office(text.offices) if asks else "",
            escalate=escalate,
        )

    if entity == "minusma" and index == 3 and rng.random() < 0.35:
        convoys = MINUSMA["convoys"]
        made.append(
            Obstacle(
                category=C.LOGISTICS,
                severity=rng.choice((V.HIGH, V.CRITICAL)),
                description=convoys["description"].format(**values),
                mitigation=convoys["mitigation"],
                support_requested=convoys["support"],
                support_from=OFFICES["dos"],
                escalate=rng.random() < 0.4,
            )
        )
    if rating == R.COMPLETED:
        chronic = None  # a finished deliverable carries no standing obstacle
    if chronic is not None and chronic.first <= index <= chronic.last:
        severity = chronic.severities[index - chronic.first]
        made.append(build(chronic.category, severity, recurring=index > chronic.first))
    elif rng.random() < OBSTACLE_CHANCE[rating]:
        weights = _categories(entity, profile)
        category = rng.choices(list(weights), weights=list(weights.values()))[0]
        bump = 1 if rating == R.OFF_TRACK else 0
        severity = SEVERITIES[min(3, rng.choices((0, 1, 2, 3), weights=(3, 4, 2, 0.6))[0] + bump)]
        made.append(build(category, severity, recurring=False))
    return made


# Evidence -------------------------------------------------------------------------------------

PKO = "https://peacekeeping.un.org/en/"


def _evidence_links(
    *,
    rng: random.Random,
    deliverable: str,
    entity: str,
    profile: Profile,
    values: dict[str, Any],
    wps: bool,
) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    if profile.site:
        links.append(
            (f"{profile.name} news on {values['topic']} ({values['cycle']})", profile.site)
        )
        links.append((f"{profile.name} mission page", f"{PKO}mission/{entity}"))
    if wps:
        links.append(("Women in peacekeeping", f"{PKO}women-peacekeeping"))
    if deliverable.startswith("5.1."):
        links.append(("Standards of conduct", f"{PKO}standards-of-conduct"))
    if deliverable.startswith("5.2."):
        links.append(("Protecting civilians", f"{PKO}protecting-civilians"))
    if entity in ("dpo-oma",) or deliverable in ("4.4.2", "4.4.3", "5.4.2"):
        links.append(("UN military in peacekeeping", f"{PKO}military"))
    if entity in ("dpo-orolsi", "dpo-orolsi-pd"):
        links.append(("United Nations Police", f"{PKO}un-police"))
    links.append(("Action for Peacekeeping (A4P and A4P+)", f"{PKO}action-for-peacekeeping-a4p"))
    return rng.sample(links, 1 if rng.random() < 0.75 else min(2, len(links)))


# Time -----------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _schedule(
    rng: random.Random, *, start: dt.date, gaps: Sequence[int], first: dt.date, last: dt.date
) -> list[dt.datetime]:
    """Working-hour moments `gaps` days apart from `start`, squeezed into the days from `first`
    to `last` when they would run past it, always in order."""
    days = [start]
    for gap in gaps:
        days.append(days[-1] + dt.timedelta(days=gap))
    if days[-1] > last:
        span, room = (days[-1] - first).days, max(0, (last - first).days)
        days = [first + dt.timedelta(days=(day - first).days * room // span) for day in days]
    moments: list[dt.datetime] = []
    for day in days:
        moment = _at(day, rng.randint(8, 17)) + dt.timedelta(minutes=rng.randrange(0, 60, 5))
        if moments and moment <= moments[-1]:
            moment = moments[-1] + dt.timedelta(minutes=rng.randrange(20, 120, 5))
        moments.append(moment)
    return moments


# Milestones -----------------------------------------------------------------------------------

MILESTONE_TITLES = tuple(TEXTS["milestone_titles"])


def _milestones(assignment: Assignment, story_day: dt.date) -> list[Milestone]:
    code, entity = assignment.deliverable.code, assignment.entity.code
    rng = _rng("milestones", code, entity)
    topic = _topic(assignment.deliverable)
    profile = PROFILES.get(entity)
    place = rng.choice(profile.places) if profile and profile.places else ""
    values = {
        "topic": topic.topic,
        "output": topic.output,
        "Output": _cap(topic.output),
        "place_phrase": f" in {place}" if place else "",
        "partner": rng.choice(profile.partners) if profile else "the lead office",
    }
    count = rng.choice((2, 3))
    titles = [
        MILESTONE_TITLES[0 if rng.random() < 0.5 else 1],
        MILESTONE_TITLES[2],
        MILESTONE_TITLES[3],
    ]
    if count == 2:
        titles = [titles[0], titles[2]] if rng.random() < 0.5 else titles[1:]
    ratings = _trajectory(code, entity)
    dues = sorted(rng.sample(range(34), count))  # months from January 2022
    made: list[Milestone] = []
    for title, month in zip(titles, dues, strict=True):
        due = dt.date(2022 + month // 12, month % 12 + 1, rng.choice((15, 28)))
        half = min(4, max(0, (due.year - 2022) * 2 + (due.month > 6)))
        rating = ratings[half]
        completed_on = None
        withdrawn = entity == "minusma" and due > dt.date(2023, 6, 30) and rating != R.COMPLETED
        if withdrawn or rating == R.DISCONTINUED:
            status = Milestone.Status.CANCELLED
        elif due <= story_day:
            late = rating in (R.DELAYED, R.OFF_TRACK, R.NOT_STARTED)
            if rng.random() < (0.45 if late else 0.9):
                status = Milestone.Status.DONE
                completed_on = min(
                    due + dt.timedelta(days=rng.randint(-10, 25 if late else 5)), story_day
                )
            else:
                status = (
                    Milestone.Status.CANCELLED
                    if rng.random() < 0.2
                    else Milestone.Status.IN_PROGRESS
                )
        else:
            status = (
                Milestone.Status.IN_PROGRESS if rng.random() < 0.4 else Milestone.Status.PLANNED
            )
        made.append(
            Milestone(
                assignment=assignment,
                title=title.format(**values)[:300],
                due_date=due,
                status=status,
                completed_on=completed_on,
            )
        )
    return made


# The whole demo -------------------------------------------------------------------------------


@dataclass
class Step:
    action: str
    to_state: str
    actor: User | None
    comment: str = ""


def _workflow(
    rng: random.Random,
    *,
    state: str,
    author: User | None,
    reviewer: User | None,
    values: dict[str, Any],
    may_return: bool = True,
    has_obstacles: bool = False,
) -> list[Step]:
    """The steps that lead from a draft to `state`."""
    if state == S.DRAFT:
        return []
    steps = [Step("submit", S.SUBMITTED, author)]
    returned = state in (S.RETURNED, S.RESUBMITTED) or (
        state == S.VALIDATED and may_return and rng.random() < 0.2
    )
    if returned:
        pool = RETURN_COMMENTS if has_obstacles else RETURN_COMMENTS[:-1]
        comment = rng.choice(pool).format(**values)
        steps.append(Step("return", S.RETURNED, reviewer, comment))
        if state != S.RETURNED:
            steps.append(Step("resubmit", S.RESUBMITTED, author))
    if state == S.VALIDATED:
        steps.append(
            Step("validate", S.VALIDATED, reviewer, rng.choice(VALIDATE_COMMENTS).format(**values))
        )
    return steps


OPEN_STATES = {
    "empty": 0.16,
    "started": 0.18,
    S.SUBMITTED: 0.2,
    S.RETURNED: 0.1,
    S.RESUBMITTED: 0.08,
    S.VALIDATED: 0.28,
}
PAST_STATES = {S.VALIDATED: 0.94, S.SUBMITTED: 0.025, S.RETURNED: 0.025, S.RESUBMITTED: 0.01}
# What each demo focal point must find in the open cycle.
REQUIRED_OPEN = {
    "minusca": ("empty", "started", S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.VALIDATED),
    "dpo-oma": ("empty", "started", S.RETURNED, S.VALIDATED),
}


def _open_states(assignments: Sequence[Assignment]) -> dict[int, str]:
    """The state of each demo update in the open cycle: a mix of every state, with what each
    demo focal point must see."""
    states: dict[int, str] = {}
    by_entity: dict[str, list[Assignment]] = {}
    for a in assignments:
        rng = _rng("open-state", a.deliverable.code, a.entity.code)
        if a.entity.code == "minusma":
            states[a.pk] = S.VALIDATED  # the closing entries of the liquidated mission
        else:
            states[a.pk] = rng.choices(list(OPEN_STATES), weights=list(OPEN_STATES.values()))[0]
        by_entity.setdefault(a.entity.code, []).append(a)
    for entity, required in REQUIRED_OPEN.items():
        mine = by_entity.get(entity, [])
        rng = _rng("open-required", entity)
        for wanted in required:
            counts = Counter(states[a.pk] for a in mine)
            if not mine or counts[wanted]:
                continue
            common = counts.most_common(1)[0][0]
            candidates = [a for a in mine if states[a.pk] == common]
            states[rng.choice(candidates).pk] = wanted
    return states


def _sensitivity(rng: random.Random) -> str:
    return rng.choices(
        (Sensitivity.INTERNAL, Sensitivity.PUBLIC, Sensitivity.CONFIDENTIAL), weights=(76, 18, 6)
    )[0]


@transaction.atomic
def demo_reporting_ensure(*, today: dt.date | None = None) -> dict[str, int]:
    """Load the demo reporting data into the A4P+ plan; returns how many rows of each kind were
    created. Running it again creates nothing."""
    today = today or timezone.localdate()
    plan = Plan.objects.get(code=PLAN_CODE)
    counts: Counter[str] = Counter()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["planner", "reviewer.africa", *FOCAL_USERS.values()]
        )
    }
    counts["assignments"] = assignments_generate(plan=plan)
    assignments = list(
        Assignment.objects.filter(deliverable__plan=plan)
        .select_related("deliverable", "entity", "via")
        .order_by("deliverable__position", "entity__code")
    )

    counts["focal_points"] = _ensure_focal_points(assignments, users)
    counts["milestones"] = _ensure_milestones(assignments, today)
    cycles = _ensure_cycles(plan, today, counts)
    demo = [a for a in assignments if a.entity.code in PROFILES]
    _ensure_updates(demo, cycles, users, today, counts)

    result = {
        key: counts[key]
        for key in (
            "assignments",
            "focal_points",
            "milestones",
            "cycles",
            "updates",
            "transitions",
            "obstacles",
            "evidence",
            "notifications",
        )
    }
    if any(result.values()):
        audit.log(action="demo.reporting_loaded", obj=plan, data=result)
    return result


def _ensure_focal_points(assignments: Sequence[Assignment], users: dict[str, User]) -> int:
    through = Assignment.focal_points.through
    have = set(
        through.objects.filter(assignment_id__in=[a.pk for a in assignments]).values_list(
            "assignment_id", "user_id"
        )
    )
    rows = []
    for a in assignments:
        user = users.get(FOCAL_USERS.get(a.entity.code, ""))
        if user is not None and (a.pk, user.pk) not in have:
            rows.append(through(assignment_id=a.pk, user_id=user.pk))
    through.objects.bulk_create(rows)
    return len(rows)


def _ensure_milestones(assignments: Sequence[Assignment], today: dt.date) -> int:
    """Milestones for every MINUSCA and OMA assignment and a sample of the others; assignments
    that already have milestones are left alone."""
    story_day = min(today, OPEN_CYCLE.end)
    have = set(
        Milestone.objects.filter(assignment__in=assignments).values_list("assignment_id", flat=True)
    )
    rows: list[Milestone] = []
    for a in assignments:
        if a.pk in have:
            continue
        sampled = _rng("milestone-sample", a.deliverable.code, a.entity.code).random() < 0.15
        if a.entity.code in FOCAL_USERS or sampled:
            rows.extend(_milestones(a, story_day))
    Milestone.objects.bulk_create(rows)
    return len(rows)


def _ensure_cycles(plan: Plan, today: dt.date, counts: Counter[str]) -> list[Cycle]:
    existing = {
        c.code: c for c in Cycle.objects.filter(plan=plan, code__in=[s.code for s in CYCLES])
    }
    missing = [
        Cycle(
            plan=plan,
            code=spec.code,
            kind=Cycle.Kind.SEMIANNUAL,
            period_start=spec.start,
            period_end=spec.end,
            state=spec.state,
            **_cycle_dates(spec, today),
        )
        for spec in CYCLES
        if spec.code not in existing
    ]
    for cycle in Cycle.objects.bulk_create(missing):
        existing[cycle.code] = cycle
    counts["cycles"] = len(missing)
    return [existing[spec.code] for spec in CYCLES]


@dataclass
class Planned:
    """One update about to be created, with what hangs on it."""

    update: ProgressUpdate
    steps: list[tuple[Step, dt.datetime]]
    obstacles: list[Obstacle]
    evidence: list[Evidence]


def _ensure_updates(
    assignments: Sequence[Assignment],
    cycles: Sequence[Cycle],
    users: dict[str, User],
    today: dt.date,
    counts: Counter[str],
) -> None:
    have = set(
        ProgressUpdate.objects.filter(cycle__in=cycles, assignment__in=assignments).values_list(
            "cycle_id", "assignment_id"
        )
    )
    wps = set(
        Deliverable.objects.filter(plan=cycles[0].plan, markers__code="wps").values_list(
            "pk", flat=True
        )
    )
    leads: dict[int, list[str]] = {}
    for part in (
        DeliverableEntity.objects.filter(
            deliverable__plan=cycles[0].plan, role=DeliverableEntity.Role.LEAD
        )
        .select_related("entity")
        .order_by("deliverable_id", "position")
    ):
        leads.setdefault(part.deliverable_id, []).append(part.entity.label)
    open_states = _open_states(assignments)
    planner, africa = users.get("planner"), users.get("reviewer.africa")

    planned: list[Planned] = []
    for a in assignments:
        code, entity = a.deliverable.code, a.entity.code
        profile = PROFILES[entity]
        ratings = _trajectory(code, entity)
        chronic = _chronic(code, entity, profile)
        author = users.get(FOCAL_USERS.get(entity, ""))
        reviewer = africa if profile.reviewed_in_africa else planner
        who = profile.name
        if a.via is not None and a.via.code in VIA_UNITS:
            who = f"{profile.name}'s {VIA_UNITS[a.via.code]}"
        for index, cycle in enumerate(cycles):
            if (cycle.pk, a.pk) in have:
                continue
            rng = _rng("update", cycle.code, code, entity)
            if cycle.state == Cycle.State.OPEN:
                state = open_states[a.pk]
            else:
                state = rng.choices(list(PAST_STATES), weights=list(PAST_STATES.values()))[0]
            rating = ratings[index]
            values = _values(
                rng,
                _topic(a.deliverable),
                profile,
                who,
                index,
                a.role,
                [label for label in leads.get(a.deliverable_id, []) if label != a.entity.label],
            )
            values["place_list"] = _join(profile.places[1:])
            writer = Writer(rng, values)
            text = _write(
                writer,
                rating=rating,
                previous=ratings[index - 1] if index else None,
                index=index,
                entity=entity,
                profile=profile,
                wps=a.deliverable_id in wps,
                deliverable=code,
                role=a.role,
            )
            if state == "empty":
                text, rating = Text(), ""
            elif state == "started":
                text = _half_written(text)
                rating = rating if rng.random() < 0.6 else ""
            final: str = S.DRAFT if state in ("empty", "started") else state
            planned.append(
                _plan_update(
                    rng,
                    assignment=a,
                    cycle=cycle,
                    state=final,
                    rating=rating,
                    text=text,
                    author=author,
                    reviewer=reviewer,
                    values=values,
                    today=today,
                    started=state == "started",
                    profile=profile,
                    chronic=chronic,
                    index=index,
                    wps=a.deliverable_id in wps,
                )
            )

    created = ProgressUpdate.objects.bulk_create([p.update for p in planned])
    transitions: list[Transition] = []
    obstacles: list[Obstacle] = []
    evidence: list[Evidence] = []
    for p, update in zip(planned, created, strict=True):
        from_state: str = S.DRAFT
        for step, moment in p.steps:
            transitions.append(
                Transition(
                    update=update,
                    action=step.action,
                    from_state=from_state,
                    to_state=step.to_state,
                    actor=step.actor,
                    at=moment,
                    comment=step.comment,
                )
            )
            from_state = step.to_state
        for obstacle in p.obstacles:
            obstacle.update = update
        for link in p.evidence:
            link.update = update
        obstacles.extend(p.obstacles)
        evidence.extend(p.evidence)
    Transition.objects.bulk_create(transitions)
    Obstacle.objects.bulk_create(obstacles)
    Evidence.objects.bulk_create(evidence)
    counts["updates"] = len(created)
    counts["transitions"] = len(transitions)
    counts["obstacles"] = len(obstacles)
    counts["evidence"] = len(evidence)
    counts["notifications"] = _ensure_notifications(planned, cycles[-1], users, today)


def _plan_update(
    rng: random.Random,
    *,
    assignment: Assignment,
    cycle: Cycle,
    state: str,
    rating: str,
    text: Text,
    author: User | None,
    reviewer: User | None,
    values: dict[str, Any],
    today: dt.date,
    started: bool,
    profile: Profile,
    chronic: Chronic | None,
    index: int,
    wps: bool,
) -> Planned:
    is_open = cycle.state == Cycle.State.OPEN
    first = cycle.opens_on + dt.timedelta(days=1 if is_open else 0)
    last = (min(today, cycle.closes_on) if is_open else cycle.closes_on) - dt.timedelta(days=1)
    last = max(last, first)
    span_days = (last - first).days
    obstacles: list[Obstacle] = []
    if state != S.DRAFT:
        obstacles = _obstacles(
            rng=rng,
            values=values,
            rating=rating,
            index=index,
            entity=assignment.entity.code,
            profile=profile,
            chronic=chronic,
        )
    closing = assignment.entity.code == "minusma" and index == len(CYCLES) - 1
    steps = _workflow(
        rng,
        state=state,
        author=author,
        reviewer=reviewer,
        values=values,
        may_return=not closing,
        has_obstacles=bool(obstacles),
    )
    edits = rng.randint(1, 3) if (state != S.DRAFT or started) else 0
    update = ProgressUpdate(
        cycle=cycle,
        assignment=assignment,
        state=state,
        rating=rating,
        narrative=text.narrative,
        achievements=text.achievements,
        next_steps=text.next_steps,
        wps_note=text.wps_note,
        sensitivity=_sensitivity(rng),
        version=1 + edits + len(steps) + (1 if len(steps) > 2 else 0),
    )
    if steps:
        # Past cycles: most reports arrive around the end of the period, a few after the due
        # date. The open cycle: spread over the weeks since it opened.
        offset = rng.randint(0, span_days * 2 // 3) if is_open else rng.randint(10, 40)
        start = min(first + dt.timedelta(days=offset), last)
        gaps = [rng.randint(2, 8) for _ in steps[1:]]
        moments = _schedule(rng, start=start, gaps=gaps, first=first, last=last)
        update.updated_at = moments[-1]
        update.updated_by = steps[-1].actor
        submitted = [
            m
            for s, m in zip(steps, moments, strict=True)
            if s.to_state in (S.SUBMITTED, S.RESUBMITTED)
        ]
        update.submitted_at = submitted[-1]
        if state == S.VALIDATED:
            update.validated_at = moments[-1]
        timed = list(zip(steps, moments, strict=True))
    else:
        timed = []
        day = first + dt.timedelta(days=rng.randint(0, span_days))
        update.updated_at = _at(day, rng.randint(8, 17))
        update.updated_by = author if started else None
    first_submit = timed[0][1] if timed else update.updated_at
    evidence: list[Evidence] = []
    if state != S.DRAFT:
        chance = 0.35 if state == S.VALIDATED else 0.2
        if rating not in (R.NOT_STARTED, "") and rng.random() < chance:
            for title, url in _evidence_links(
                rng=rng,
                deliverable=assignment.deliverable.code,
                entity=assignment.entity.code,
                profile=profile,
                values=values,
                wps=wps,
            ):
                added = first_submit - dt.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 4))
                evidence.append(
                    Evidence(
                        title=title[:200],
                        url=url,
                        added_by=author,
                        added_at=max(added, _at(cycle.opens_on, 8)),
                    )
                )
    return Planned(update=update, steps=timed, obstacles=obstacles, evidence=evidence)


def _ensure_notifications(
    planned: Sequence[Planned], open_cycle: Cycle, users: dict[str, User], today: dt.date
) -> int:
    """What the demo people find in their in-app notifications: returned work and a due-date
    reminder for the focal points, new submissions for the Africa reviewer. Keys follow the
    ones the workflow and the reminders use, so nothing is ever sent twice."""
    rows: list[Notification] = []
    africa = users.get("reviewer.africa")
    mine = [p for p in planned if p.update.cycle_id == open_cycle.pk]
    for p in mine:
        update, steps = p.update, p.steps
        entity = update.assignment.entity.code
        focal = users.get(FOCAL_USERS.get(entity, ""))
        if update.state == S.RETURNED and focal is not None:
            at = steps[-1][1]
            rows.append(
                Notification(
                    user=focal,
                    kind=Notification.Kind.RETURNED,
                    update=update,
                    key=f"{Notification.Kind.RETURNED}:{update.pk}:{len(steps)}:{focal.pk}",
                    created_at=at,
                    emailed_at=at,
                )
            )
    minusca_drafts = [
        p.update
        for p in mine
        if p.update.state == S.DRAFT and p.update.assignment.entity.code == "minusca"
    ]
    focal = users.get("focal.minusca")
    lead = dt.timedelta(days=settings.A4P_REMIND_DAYS_BEFORE)
    if focal is not None and open_cycle.due_on - lead < today:
        # Sent by the reminders on the first day within the reminder lead time.
        at = _at(max(open_cycle.due_on - lead, open_cycle.opens_on), 6)
        for update in minusca_drafts[:3]:
            rows.append(
                Notification(
                    user=focal,
                    kind=Notification.Kind.DUE_SOON,
                    update=update,
                    key=f"{Notification.Kind.DUE_SOON}:{update.pk}:{focal.pk}",
                    created_at=at,
                    emailed_at=at,
                )
            )
    waiting = sorted(
        (
            p
            for p in mine
            if p.update.state in (S.SUBMITTED, S.RESUBMITTED)
            and PROFILES[p.update.assignment.entity.code].reviewed_in_africa
        ),
        key=lambda p: p.steps[-1][1],
    )
    if africa is not None:
        for position, p in enumerate(reversed(waiting)):
            at = p.steps[-1][1]
            rows.append(
                Notification(
                    user=africa,
                    kind=Notification.Kind.SUBMITTED,
                    update=p.update,
                    key=f"{Notification.Kind.SUBMITTED}:{p.update.pk}:{len(p.steps)}:{africa.pk}",
                    created_at=at,
                    emailed_at=at,
                    read_at=None if position < 5 else at + dt.timedelta(hours=3),
                )
            )
    have = set(
        Notification.objects.filter(key__in=[n.key for n in rows]).values_list("key", flat=True)
    )
    rows = [n for n in rows if n.key not in have]
    Notification.objects.bulk_create(rows)
    return len(rows)
