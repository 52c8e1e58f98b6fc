"""The demo reporting data: loaded twice on the session's A4P+ plan by the package's conftest
(the second load must change nothing), then checked for the story it has to tell: five cycles,
every workflow state in the open one, a consistent review trail, obstacles that recur and get
escalated, and readable text."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

import pytest

from demo.reporting import DEMO_ENTITIES
from plans.models import Assignment, Milestone, Plan
from reporting.models import Cycle, Evidence, Notification, Obstacle, ProgressUpdate, Transition
from tests.demo.conftest import TODAY

S = ProgressUpdate.State
R = ProgressUpdate.Rating
AFRICA = {"minusca", "monusco", "unmiss", "minusma", "asg-africa"}
STEP_TARGET = {
    "submit": S.SUBMITTED,
    "return": S.RETURNED,
    "resubmit": S.RESUBMITTED,
    "validate": S.VALIDATED,
}


@pytest.fixture
def loaded(demo_loads: dict[str, Any]) -> dict[str, Any]:
    return demo_loads["reporting"]


def _open_cycle(plan: Plan) -> Cycle:
    return Cycle.objects.get(plan=plan, code="2024-H1")


def test_the_second_load_changes_nothing(loaded: dict[str, Any], demo: Plan) -> None:
    first, second = loaded["first"], loaded["second"]
    assert first["cycles"] == 5
    assert first["updates"] > 1000 and first["transitions"] > first["updates"]
    assert first["obstacles"] and first["evidence"] and first["milestones"]
    assert first["focal_points"] and first["notifications"]
    assert set(second.values()) == {0}
    assert loaded["after_second"] == loaded["after_first"]


def test_five_cycles_with_their_states_and_dates(demo: Plan) -> None:
    cycles = {c.code: c for c in Cycle.objects.filter(plan=demo)}
    assert {code: c.state for code, c in cycles.items()} == {
        "2022-H1": Cycle.State.PUBLISHED,
        "2022-H2": Cycle.State.PUBLISHED,
        "2023-H1": Cycle.State.PUBLISHED,
        "2023-H2": Cycle.State.CLOSED,
        "2024-H1": Cycle.State.OPEN,
    }
    h2 = cycles["2023-H2"]
    assert (h2.period_start, h2.period_end) == (dt.date(2023, 7, 1), dt.date(2023, 12, 31))
    assert h2.opens_on < h2.period_end < h2.due_on < h2.closes_on
    current = cycles["2024-H1"]
    assert (current.period_start, current.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert current.opens_on == TODAY - dt.timedelta(days=21)
    assert current.due_on == TODAY + dt.timedelta(days=5)
    assert current.closes_on == TODAY + dt.timedelta(days=28)


def test_updates_only_for_the_demo_entities_one_per_cycle(demo: Plan) -> None:
    entities = set(ProgressUpdate.objects.values_list("assignment__entity__code", flat=True))
    assert entities == set(DEMO_ENTITIES)
    assignments = Assignment.objects.filter(entity__code__in=DEMO_ENTITIES).count()
    per_cycle = Counter(ProgressUpdate.objects.values_list("cycle__code", flat=True))
    assert set(per_cycle.values()) == {assignments}


def test_the_open_cycle_has_every_state(demo: Plan) -> None:
    updates = ProgressUpdate.objects.filter(cycle=_open_cycle(demo))
    assert set(updates.values_list("state", flat=True)) == set(S.values)
    minusca = updates.filter(assignment__entity__code="minusca")
    assert set(minusca.values_list("state", flat=True)) == set(S.values)
    drafts = minusca.filter(state=S.DRAFT)
    assert drafts.filter(narrative="").exists() and drafts.exclude(narrative="").exists()
    oma = set(updates.filter(assignment__entity__code="dpo-oma").values_list("state", flat=True))
    assert {S.DRAFT, S.RETURNED, S.VALIDATED} <= oma


def test_minusca_sees_why_its_work_came_back(demo: Plan) -> None:
    returned = ProgressUpdate.objects.filter(
        cycle=_open_cycle(demo), state=S.RETURNED, assignment__entity__code="minusca"
    )
    assert returned.exists()
    for update in returned:
        last = update.transitions.order_by("at", "id").last()
        assert last is not None and last.action == "return"
        assert last.actor is not None and last.actor.username == "reviewer.africa"
        assert len(last.comment) > 40


def test_every_review_trail_matches_its_state(demo: Plan) -> None:
    cycles = {c.pk: c for c in Cycle.objects.filter(plan=demo)}
    trails: dict[int, list[Transition]] = defaultdict(list)
    for step in Transition.objects.select_related("actor").order_by("at", "id"):
        trails[step.update_id].append(step)
    updates = ProgressUpdate.objects.select_related("assignment__entity", "updated_by")
    checked = 0
    for update in updates:
        trail = trails.get(update.pk, [])
        if update.state == S.DRAFT:
            assert trail == [], update
            continue
        checked += 1
        cycle = cycles[update.cycle_id]
        assert trail[0].action == "submit" and trail[0].from_state == S.DRAFT
        for before, after in pairwise(trail):
            assert after.from_state == before.to_state and after.at > before.at
        for step in trail:
            assert STEP_TARGET[step.action] == step.to_state
            assert cycle.opens_on <= step.at.date() <= cycle.closes_on
        assert trail[-1].to_state == update.state
        assert update.updated_at == trail[-1].at and update.updated_by == trail[-1].actor
        submissions = [s.at for s in trail if s.action in ("submit", "resubmit")]
        assert update.submitted_at == submissions[-1]
        if update.state == S.VALIDATED:
            assert trail[-1].action == "validate" and update.validated_at == trail[-1].at
        else:
            assert update.validated_at is None
        entity = update.assignment.entity.code
        focal = {"minusca": "focal.minusca", "dpo-oma": "focal.oma"}.get(entity)
        reviewer = "reviewer.africa" if entity in AFRICA else "planner"
        for step in trail:
            who = step.actor.username if step.actor else None
            assert who == (reviewer if step.action in ("return", "validate") else focal), step
            if step.action == "return":
                assert step.comment.strip()
        assert update.rating and update.narrative
    assert checked > 1000


def test_past_cycles_are_mostly_validated_and_ratings_move_on(demo: Plan) -> None:
    past = ProgressUpdate.objects.exclude(cycle__state=Cycle.State.OPEN)
    states = Counter(past.values_list("state", flat=True))
    assert states[S.DRAFT] == 0
    assert states[S.VALIDATED] / sum(states.values()) > 0.85
    assert states[S.SUBMITTED] and states[S.RETURNED]
    by_cycle = {
        code: Counter(past.filter(cycle__code=code).values_list("rating", flat=True))
        for code in ("2022-H1", "2023-H2")
    }
    assert by_cycle["2022-H1"][R.COMPLETED] == 0 and by_cycle["2022-H1"][R.NOT_STARTED] > 0
    assert by_cycle["2023-H2"][R.COMPLETED] > by_cycle["2023-H2"][R.NOT_STARTED]
    ratings = Counter(ProgressUpdate.objects.values_list("rating", flat=True))
    assert ratings[R.OFF_TRACK] and ratings[R.DISCONTINUED]
    # Once completed, an assignment stays completed.
    history: dict[int, list[str]] = defaultdict(list)
    for assignment, rating in (
        ProgressUpdate.objects.exclude(state=S.DRAFT)
        .order_by("cycle__period_start")
        .values_list("assignment_id", "rating")
    ):
        history[assignment].append(rating)
    for ratings_of_one in history.values():
        if R.COMPLETED in ratings_of_one:
            first = ratings_of_one.index(R.COMPLETED)
            assert set(ratings_of_one[first:]) == {R.COMPLETED}


def test_minusma_reports_its_withdrawal(demo: Plan) -> None:
    updates = ProgressUpdate.objects.filter(
        cycle__code="2023-H2", assignment__entity__code="minusma"
    )
    ratings = Counter(updates.values_list("rating", flat=True))
    assert set(ratings) <= {R.COMPLETED, R.DISCONTINUED} and len(ratings) == 2
    for update in updates.exclude(rating=R.COMPLETED):
        assert "resolution 2690 (2023)" in update.narrative
        assert "handed over" in update.narrative


def test_no_placeholder_text(demo: Plan) -> None:
    texts: list[str] = []
    for row in ProgressUpdate.objects.values_list(
        "narrative", "achievements", "next_steps", "wps_note"
    ):
        texts.extend(row)
    for row in Obstacle.objects.values_list(
        "description", "mitigation", "support_requested", "support_from"
    ):
        texts.extend(row)
    texts.extend(Transition.objects.values_list("comment", flat=True))
    texts.extend(Evidence.objects.values_list("title", flat=True))
    texts.extend(Milestone.objects.values_list("title", flat=True))
    joined = "\n".join(texts)
    assert len(joined) > 100_000
    for marker in ("lorem", "ipsum", "todo", "tbd", "xxx", "{", "}", ".."):
        assert marker not in joined.lower(), marker
    # Text names the deliverable's subject, e.g. CASEVAC on 4.3.1 and SOFA violations on 7.1.2.
    for code, subject in (
        ("4.3.1", "CASEVAC"),
        ("3.1.1", "women peacekeepers"),
        ("6.1.9", "misinformation"),
        ("7.1.2", "SOFA violations"),
    ):
        narratives = (
            ProgressUpdate.objects.filter(assignment__deliverable__code=code)
            .exclude(narrative="")
            .values_list("narrative", flat=True)
        )
        assert narratives and all(subject in n for n in narratives), code


def test_sensitivity_is_mostly_internal(demo: Plan) -> None:
    share = Counter(ProgressUpdate.objects.values_list("sensitivity", flat=True))
    total = sum(share.values())
    assert share["internal"] / total > 0.6
    assert 0 < share["confidential"] < share["public"]


def test_obstacles_recur_and_some_are_escalated(demo: Plan) -> None:
    submitted = ProgressUpdate.objects.exclude(state=S.DRAFT)
    with_obstacles = submitted.filter(obstacles__isnull=False).distinct().count()
    assert 0.2 < with_obstacles / submitted.count() < 0.4
    obstacles = Obstacle.objects.all()
    assert len(set(obstacles.values_list("category", flat=True))) >= 6
    assert set(obstacles.values_list("severity", flat=True)) == set(Obstacle.Severity.values)
    escalated = obstacles.filter(escalate=True)
    assert 0 < escalated.count() < obstacles.count() * 0.2
    assert obstacles.exclude(support_from="").exists()
    assert not obstacles.filter(update__state=S.DRAFT).exists()
    seen = set(
        obstacles.values_list("update__assignment_id", "update__cycle__period_start", "category")
    )
    recurring = [
        key
        for key in seen
        if (
            key[0],
            dt.date(key[1].year - (key[1].month == 1), 7 if key[1].month == 1 else 1, 1),
            key[2],
        )
        in seen
    ]
    assert len(recurring) >= 10


def test_evidence_is_links_only(demo: Plan) -> None:
    evidence = Evidence.objects.all()
    assert evidence.exists() and not evidence.exclude(file="").exists()
    for url in evidence.values_list("url", flat=True):
        assert url.startswith(
            (
                "https://peacekeeping.un.org/",
                "https://minusca.unmissions.org/",
                "https://monusco.unmissions.org/",
                "https://unmiss.unmissions.org/",
                "https://minusma.unmissions.org/",
                "https://unifil.unmissions.org/",
            )
        ), url


def test_work_plans_staffed_with_gaps_left(demo: Plan) -> None:
    assignments = Assignment.objects.filter(deliverable__plan=demo).prefetch_related(
        "focal_points", "milestones"
    )
    gaps = 0
    for assignment in assignments:
        names = {u.username for u in assignment.focal_points.all()}
        milestones = list(assignment.milestones.all())
        entity = assignment.entity.code
        if entity in ("minusca", "dpo-oma"):
            assert names == {"focal.minusca" if entity == "minusca" else "focal.oma"}
            assert 2 <= len(milestones) <= 3
            assert all(2022 <= m.due_date.year <= 2024 for m in milestones)
        else:
            assert not names
            gaps += not milestones
        for milestone in milestones:
            assert (milestone.status == Milestone.Status.DONE) == (
                milestone.completed_on is not None
            )
    assert gaps > 100
    other = Milestone.objects.exclude(assignment__entity__code__in=["minusca", "dpo-oma"])
    assert other.exists()
    assert len(set(Milestone.objects.values_list("status", flat=True))) == 4


def test_notifications_waiting_for_the_demo_people(demo: Plan) -> None:
    unread = Counter(
        Notification.objects.filter(read_at__isnull=True).values_list("user__username", "kind")
    )
    assert unread[("focal.minusca", Notification.Kind.RETURNED)] >= 1
    assert unread[("focal.minusca", Notification.Kind.DUE_SOON)] >= 1
    assert 1 <= unread[("reviewer.africa", Notification.Kind.SUBMITTED)] <= 5
    for notification in Notification.objects.select_related("update__cycle"):
        assert notification.update is not None
        assert notification.update.cycle.state == Cycle.State.OPEN
        assert notification.key.endswith(f":{notification.user_id}")
