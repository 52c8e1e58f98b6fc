"""The data the permission matrix and the fuzz tests run against, built once per test module.

`world(django_db_blocker)` (a module-scoped fixture in this package's conftest) opens a
transaction, builds one of everything a URL can name — a user per role, the work plans, an open
cycle, updates, evidence, a milestone, cases of the crimes register, report jobs and published
files — and rolls it all back when the module is done, so no other module sees it. Each test runs
inside it, in its own savepoint, as pytest-django's `db` does.

Every object comes in two kinds where the gate tells them apart: one most roles *may* see
(`update`, `case`, ...) and one they may *not* (`hidden_update`, `hidden_case`, ...); both carry
a word (`SECRET`) that must not appear in a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role, User
from plans.models import Assignment, Milestone, Plan
from plans.services import assignments_generate
from registers.models import Case
from reporting.models import Cycle, Evidence, ProgressUpdate
from reporting.services import cycle_create, cycle_step
from reports.models import Edition, Publication, PublishedFile, ReportJob
from tests.conftest import PLAN_CODE, ROLE_TARGETS
from tests.factories import MembershipFactory, UserFactory
from tests.registers.factories import case_with

# Words that occur nowhere else in the data: a page that must not show an object must not show
# its word either.
SECRET = "Xylophonesecret"
HIDDEN_SECRET = "Quagganhidden"

# The columns of every expectation line, in order.
ANONYMOUS = "anonymous"
OUTSIDER = "outsider"
ROLES: tuple[str, ...] = (
    Role.PLANNING_UNIT,
    Role.FOCAL_POINT,
    Role.REVIEWER,
    Role.SENIOR_LEADERSHIP,
    Role.MEMBER_STATE_DELEGATE,
    Role.REGISTER_OFFICER,
    Role.ADMINISTRATOR,
)
WHO: tuple[str, ...] = (ANONYMOUS, OUTSIDER, *ROLES)


@dataclass
class World:
    plan: Plan
    users: dict[str, User | None]  # by the column names of WHO; anonymous is None
    cycle: Cycle  # open, with a draft update for every assignment
    update: (
        ProgressUpdate  # MINUSCA's submitted update on 1.1.2: its focal point and reviewer see it
    )
    hidden_update: ProgressUpdate  # MONUSCO's draft: only the planning unit and leadership see it
    evidence: Evidence  # a file on `update`
    hidden_evidence: Evidence  # a file on `hidden_update`
    assignment: Assignment  # MINUSCA's assignment on 1.1.2
    milestone: Milestone
    case: Case  # MINUSCA, a Bangladeshi victim: the delegate for Bangladesh sees it
    hidden_case: Case  # MINUSMA, a Nepalese victim
    job: ReportJob  # the planning unit's, done, with a file
    hidden_job: ReportJob  # senior leadership's
    public_file: PublishedFile
    internal_file: PublishedFile

    @property
    def code(self) -> str:
        return self.plan.code


def _user(who: str) -> User:
    user = UserFactory.create(
        username=f"matrix.{who}",
        is_staff=who == Role.ADMINISTRATOR,
        is_superuser=who == Role.ADMINISTRATOR,
    )
    if who in ROLE_TARGETS:
        MembershipFactory(user=user, role=who, **ROLE_TARGETS[who])
    return user


def _published(cycle: Cycle, edition: str, planner: User) -> PublishedFile:
    publication = Publication.objects.create(cycle=cycle, edition=edition, published_by=planner)
    name = f"a4p-{cycle.code}-{edition}.html"
    content = f"<p>{edition}</p>".encode()
    return PublishedFile.objects.create(
        publication=publication,
        format="html",
        language="en",
        file=ContentFile(content, name=name),
        filename=name,
        sha256="0" * 64,
        size=len(content),
    )


def build_world() -> World:
    users: dict[str, User | None] = {ANONYMOUS: None, OUTSIDER: _user(OUTSIDER)}
    users.update({role: _user(role) for role in ROLES})
    planner = users[Role.PLANNING_UNIT]
    assert planner is not None
    plan = Plan.objects.get(code=PLAN_CODE)
    assignments_generate(plan=plan, actor=planner)
    focal = users[Role.FOCAL_POINT]
    assert focal is not None
    for minusca in Assignment.objects.filter(entity__code="minusca"):
        minusca.focal_points.add(focal)
    today = timezone.localdate()
    cycle = cycle_create(
        plan=plan,
        code="2023-H1",
        kind=Cycle.Kind.SEMIANNUAL,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 6, 30),
        opens_on=today - dt.timedelta(days=20),
        due_on=today + dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        actor=planner,
    )
    cycle_step(cycle=cycle, step="open", actor=planner)
    cycle.refresh_from_db()
    update = ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="minusca", assignment__deliverable__code="1.1.2"
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(
        state=ProgressUpdate.State.SUBMITTED,
        rating="on_track",
        narrative=f"{SECRET} narrative",
        submitted_at=timezone.now(),
    )
    hidden_update = (
        ProgressUpdate.objects.filter(cycle=cycle, assignment__entity__code="monusco")
        .order_by("pk")
        .first()
    )
    assert hidden_update is not None
    ProgressUpdate.objects.filter(pk=hidden_update.pk).update(narrative=f"{HIDDEN_SECRET} draft")
    update.refresh_from_db()
    hidden_update.refresh_from_db()
    evidence, hidden_evidence = (
        Evidence.objects.create(
            update=u,
            title=f"{word} minutes",
            file=ContentFile(b"minutes", name="minutes.txt"),
            content_type="text/plain",
            size=7,
            added_by=planner,
        )
        for u, word in ((update, SECRET), (hidden_update, HIDDEN_SECRET))
    )
    assignment = update.assignment
    milestone = Milestone.objects.create(
        assignment=assignment, title=f"{SECRET} milestone", due_date=dt.date(2023, 5, 1)
    )
    case = case_with(["BGD"], mission="minusca", description=f"{SECRET} ambush")
    hidden_case = case_with(["NPL"], mission="minusma", description=f"{HIDDEN_SECRET} ambush")
    leadership = users[Role.SENIOR_LEADERSHIP]
    assert leadership is not None
    job, hidden_job = (
        ReportJob.objects.create(
            kind=ReportJob.Kind.BUILD,
            cycle=cycle,
            edition=Edition.PUBLIC,
            format="html",
            language="en",
            state=ReportJob.State.DONE,
            progress=100,
            file=ContentFile(b"<p>report</p>", name="report.html"),
            filename="report.html",
            requested_by=who,
        )
        for who in (planner, leadership)
    )
    return World(
        plan=plan,
        users=users,
        cycle=cycle,
        update=update,
        hidden_update=hidden_update,
        evidence=evidence,
        hidden_evidence=hidden_evidence,
        assignment=assignment,
        milestone=milestone,
        case=case,
        hidden_case=hidden_case,
        job=job,
        hidden_job=hidden_job,
        public_file=_published(cycle, Edition.PUBLIC, planner),
        internal_file=_published(cycle, Edition.INTERNAL, planner),
    )
