"""The progress-update workflow: every transition allowed and refused for each role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from accounts.models import Role, User
from plans.models import Assignment, Plan
from plans.services import assignments_generate
from reporting import services
from reporting.models import Cycle, Notification, ProgressUpdate, Transition
from reporting.services import EditConflict, ObstacleData, ReportingError
from tests.factories import MembershipFactory, UserFactory

S = ProgressUpdate.State
FILLED = {"rating": "on_track", "narrative": "Dialogue forums held in Bambari and Bria."}


def fill(update: ProgressUpdate, user: User) -> ProgressUpdate:
    return services.update_save(
        update=update, actor=user, expected_version=update.version, values=FILLED
    )


def put_in_state(update: ProgressUpdate, state: str, focal: User, reviewer: User) -> ProgressUpdate:
    """Walk an update through the real services to the wanted state (always filled in)."""
    fill(update, focal)
    if state == S.DRAFT:
        return update
    services.update_submit(update=update, actor=focal)
    if state == S.SUBMITTED:
        return update
    if state == S.VALIDATED:
        return services.update_validate(update=update, actor=reviewer)
    services.update_return(update=update, actor=reviewer, comment="Add figures.")
    if state == S.RETURNED:
        return update
    services.update_submit(update=update, actor=focal)
    assert update.state == S.RESUBMITTED
    return update


@pytest.fixture
def people(focal: User, other_focal: User, reviewer: User, planner: User) -> dict[str, User]:
    leader = UserFactory.create(username="leader")
    MembershipFactory(user=leader, role=Role.SENIOR_LEADERSHIP, entity="dpo")
    delegate = UserFactory.create(username="delegate")
    MembershipFactory(user=delegate, role=Role.MEMBER_STATE_DELEGATE, member_state="BGD")
    reviewer_meap = UserFactory.create(username="reviewer.meap")
    MembershipFactory(user=reviewer_meap, role=Role.REVIEWER, entity="asg-meap")
    return {
        "focal": focal,
        "other_focal": other_focal,
        "reviewer": reviewer,
        "planner": planner,
        "leader": leader,
        "delegate": delegate,
        "reviewer_meap": reviewer_meap,
    }


ACTIONS: dict[str, Callable[[ProgressUpdate, User], Any]] = {
    "save": lambda u, user: services.update_save(
        update=u, actor=user, expected_version=u.version, values=FILLED
    ),
    "submit": lambda u, user: services.update_submit(update=u, actor=user),
    "return": lambda u, user: services.update_return(update=u, actor=user, comment="Why?"),
    "validate": lambda u, user: services.update_validate(update=u, actor=user),
}
# (action, state the update is in) → who may do it.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("save", S.DRAFT): {"focal", "planner"},
    ("save", S.RETURNED): {"focal", "planner"},
    ("save", S.SUBMITTED): set(),
    ("save", S.VALIDATED): set(),
    ("submit", S.DRAFT): {"focal", "planner"},
    ("submit", S.RETURNED): {"focal", "planner"},
    ("submit", S.SUBMITTED): set(),
    ("submit", S.VALIDATED): set(),
    ("return", S.SUBMITTED): {"reviewer", "planner"},
    ("return", S.RESUBMITTED): {"reviewer", "planner"},
    ("return", S.DRAFT): set(),
    ("return", S.VALIDATED): set(),
    ("validate", S.SUBMITTED): {"reviewer", "planner"},
    ("validate", S.RESUBMITTED): {"reviewer", "planner"},
    ("validate", S.RETURNED): set(),
    ("validate", S.VALIDATED): set(),
}
PEOPLE = ["focal", "other_focal", "reviewer", "reviewer_meap", "planner", "leader", "delegate"]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("action", "state"), list(ALLOWED))
def test_transition_matrix(
    minusca_update: ProgressUpdate, people: dict[str, User], who: str, action: str, state: str
) -> None:
    update = put_in_state(minusca_update, state, people["focal"], people["reviewer"])
    update.refresh_from_db()
    steps_before = update.transitions.count()
    if who in ALLOWED[(action, state)]:
        ACTIONS[action](update, people[who])
        update.refresh_from_db()
        if action != "save":
            assert update.transitions.count() == steps_before + 1
            last = update.transitions.last()
            assert last is not None and last.actor == people[who]
    else:
        with pytest.raises(ReportingError) as refused:
            ACTIONS[action](update, people[who])
        assert str(refused.value)  # a message for the user, never empty
        fresh = ProgressUpdate.objects.get(pk=update.pk)
        assert fresh.state == state
        assert fresh.transitions.count() == steps_before


def test_return_needs_a_comment(
    minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    put_in_state(minusca_update, S.SUBMITTED, focal, reviewer)
    with pytest.raises(ReportingError, match="comment is required"):
        services.update_return(update=minusca_update, actor=reviewer, comment="   ")
    minusca_update.refresh_from_db()
    assert minusca_update.state == S.SUBMITTED


def test_submit_needs_a_rating_and_a_narrative(minusca_update: ProgressUpdate, focal: User) -> None:
    with pytest.raises(ReportingError, match="rating and narrative of progress"):
        services.update_submit(update=minusca_update, actor=focal)


def test_history_records_who_when_and_why(
    minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    put_in_state(minusca_update, S.RESUBMITTED, focal, reviewer)
    services.update_validate(update=minusca_update, actor=reviewer, comment="Good.")
    steps = list(
        minusca_update.transitions.values_list(
            "action", "from_state", "to_state", "actor__username", "comment"
        )
    )
    assert steps == [
        ("submit", "draft", "submitted", "focal.minusca", ""),
        ("return", "submitted", "returned", "reviewer.africa", "Add figures."),
        ("resubmit", "returned", "resubmitted", "focal.minusca", ""),
        ("validate", "resubmitted", "validated", "reviewer.africa", "Good."),
    ]
    minusca_update.refresh_from_db()
    assert minusca_update.validated_at is not None


def test_a_closed_cycle_is_locked_until_one_update_is_reopened(
    minusca_update: ProgressUpdate, focal: User, reviewer: User, planner: User
) -> None:
    put_in_state(minusca_update, S.VALIDATED, focal, reviewer)
    cycle = minusca_update.cycle
    services.cycle_step(cycle=cycle, step="close", actor=planner)
    minusca_update.refresh_from_db()
    with pytest.raises(ReportingError, match="can no longer be changed"):
        fill(minusca_update, focal)
    with pytest.raises(ReportingError, match="reason"):
        services.update_reopen(update=minusca_update, actor=planner, reason="")
    with pytest.raises(ReportingError):
        services.update_reopen(update=minusca_update, actor=focal, reason="Typo")
    services.update_reopen(update=minusca_update, actor=planner, reason="Figures corrected")
    minusca_update.refresh_from_db()
    assert (minusca_update.state, minusca_update.reopened) == (S.RETURNED, True)
    assert minusca_update.transitions.last().comment == "Figures corrected"  # type: ignore[union-attr]
    other = (
        ProgressUpdate.objects.filter(cycle=cycle, assignment__entity__code="minusca")
        .exclude(pk=minusca_update.pk)
        .first()
    )
    assert other is not None
    with pytest.raises(ReportingError):
        fill(other, focal)
    fill(minusca_update, focal)
    services.update_submit(update=minusca_update, actor=focal)
    services.update_validate(update=minusca_update, actor=reviewer)
    minusca_update.refresh_from_db()
    assert not minusca_update.reopened


def test_the_second_of_two_concurrent_saves_is_a_conflict_and_loses_nothing(
    minusca_update: ProgressUpdate, focal: User, planner: User
) -> None:
    version = minusca_update.version
    first = ProgressUpdate.objects.get(pk=minusca_update.pk)
    second = ProgressUpdate.objects.get(pk=minusca_update.pk)
    services.update_save(
        update=first,
        actor=focal,
        expected_version=version,
        values={"narrative": "Focal point's text"},
    )
    with pytest.raises(EditConflict) as conflict:
        services.update_save(
            update=second,
            actor=planner,
            expected_version=version,
            values={"narrative": "Planner's text"},
        )
    assert conflict.value.current.narrative == "Focal point's text"
    assert "saved this update while you were editing" in str(conflict.value)
    stored = ProgressUpdate.objects.get(pk=minusca_update.pk)
    assert stored.narrative == "Focal point's text"
    assert stored.version == version + 1
    services.update_save(
        update=second,
        actor=planner,
        expected_version=stored.version,
        values={"narrative": "Merged text"},
    )
    assert ProgressUpdate.objects.get(pk=minusca_update.pk).narrative == "Merged text"


def test_obstacles_are_saved_updated_and_removed(
    minusca_update: ProgressUpdate, focal: User
) -> None:
    blocked = ObstacleData(
        category="security",
        severity="high",
        description="Armed groups",
        support_requested="Air assets",
        support_from="OMA",
        escalate=True,
    )
    services.update_save(
        update=minusca_update,
        actor=focal,
        expected_version=minusca_update.version,
        values={},
        obstacles=[blocked],
    )
    [obstacle] = minusca_update.obstacles.all()
    assert (obstacle.category, obstacle.escalate) == ("security", True)
    blocked.id = obstacle.pk
    blocked.severity = "critical"
    services.update_save(
        update=minusca_update,
        actor=focal,
        expected_version=minusca_update.version,
        values={},
        obstacles=[blocked],
    )
    assert list(minusca_update.obstacles.values_list("pk", "severity")) == [
        (obstacle.pk, "critical")
    ]
    services.update_save(
        update=minusca_update,
        actor=focal,
        expected_version=minusca_update.version,
        values={},
        obstacles=[],
    )
    assert not minusca_update.obstacles.exists()


def test_work_plans_expand_groups_and_are_generated_once(workplans: Plan) -> None:
    missions = set(
        Assignment.objects.filter(deliverable__code="3.3.2").values_list("entity__code", flat=True)
    )
    assert len(missions) == 12
    assert "minusca" in missions
    lead = Assignment.objects.get(deliverable__code="4.3.4", entity__code="dos")
    assert lead.role == "lead"
    support = Assignment.objects.get(deliverable__code="4.3.4", entity__code="minusca")
    assert (support.role, support.via.code) == ("support", "heads-of-mission")  # type: ignore[union-attr]
    asgs = set(
        Assignment.objects.filter(deliverable__code="1.3.2").values_list("entity__code", flat=True)
    )
    assert asgs == {"asg-africa", "asg-meap", "asg-ecaa"}
    count = Assignment.objects.count()
    assert assignments_generate(plan=workplans) == 0
    assert Assignment.objects.count() == count


def test_opening_a_cycle_creates_one_draft_per_assignment(cycle: Cycle) -> None:
    active = Assignment.objects.filter(deliverable__plan=cycle.plan, active=True).count()
    assert cycle.updates.count() == active
    assert set(cycle.updates.values_list("state", flat=True)) == {S.DRAFT}


def test_only_one_cycle_is_open_at_a_time(cycle: Cycle, planner: User) -> None:
    from tests.reporting.conftest import make_cycle

    with pytest.raises(ReportingError, match="Another cycle"):
        make_cycle(cycle.plan, planner, "2023-H2", dt.date(2023, 7, 1))


def test_return_and_validation_notify_the_focal_points(
    minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    put_in_state(minusca_update, S.SUBMITTED, focal, reviewer)
    assert Notification.objects.filter(user=reviewer, kind="submitted").count() == 1
    services.update_return(update=minusca_update, actor=reviewer, comment="More detail.")
    assert Notification.objects.filter(user=focal, kind="returned").count() == 1
    services.update_submit(update=minusca_update, actor=focal)
    services.update_validate(update=minusca_update, actor=reviewer)
    assert Notification.objects.filter(user=focal, kind="validated").count() == 1


def test_reminders_are_sent_once(
    cycle: Cycle, focal: User, reviewer: User, minusca_update: ProgressUpdate
) -> None:
    minusca_count = ProgressUpdate.objects.filter(
        cycle=cycle, assignment__entity__code="minusca"
    ).count()
    early = services.reminders_send(today=cycle.due_on - dt.timedelta(days=30))
    assert early.created == 0
    due = services.reminders_send(today=cycle.due_on - dt.timedelta(days=2))
    assert due.created == minusca_count
    assert due.emailed == minusca_count
    assert len(mail.outbox) == minusca_count
    assert "is due on" in mail.outbox[0].body
    again = services.reminders_send(today=cycle.due_on - dt.timedelta(days=1))
    assert (again.created, again.emailed) == (0, 0)
    fill(minusca_update, focal)
    services.update_submit(update=minusca_update, actor=focal)
    late = services.reminders_send(today=cycle.due_on + dt.timedelta(days=1))
    assert late.created == minusca_count - 1  # the submitted one is no longer late
    assert services.reminders_send(today=cycle.due_on + dt.timedelta(days=2)).created == 0
    overdue = Notification.objects.filter(kind="overdue", user=focal)
    assert minusca_update.pk not in set(overdue.values_list("update_id", flat=True))


def test_the_remind_command_reports_what_it_did(cycle: Cycle, focal: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("remind", "--today", (cycle.due_on + dt.timedelta(days=3)).isoformat(), stdout=out)
    assert "new notifications" in out.getvalue()
    assert Notification.objects.filter(kind="overdue", user=focal).exists()
    assert Transition.objects.count() == 0
