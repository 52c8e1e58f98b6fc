"""The access object (`accounts.access`) and who holds a role (`accounts.selectors`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import ANONYMOUS, access_for
from accounts.models import Role
from accounts.selectors import users_holding
from core.models import Entity, MemberState
from tests.factories import MembershipFactory, UserFactory


def test_anonymous_and_none_have_no_access(db: None) -> None:
    assert access_for(AnonymousUser()) is ANONYMOUS
    assert access_for(None) is ANONYMOUS
    assert not ANONYMOUS.internal


def test_memberships_are_read_once_per_user(db: None) -> None:
    user = UserFactory.create()
    MembershipFactory(user=user, role=Role.FOCAL_POINT, entity="minusca")
    MembershipFactory(user=user, role=Role.REVIEWER, entity="asg-africa")
    with CaptureQueriesContext(connection) as queries:
        first = access_for(user)
        again = access_for(user)
    assert len(queries) == 1
    assert first is again
    minusca = Entity.objects.get(code="minusca")
    assert first.focal_entities == frozenset({minusca.pk})
    assert first.internal and not first.planner
    assert first.acting_as() == (Role.FOCAL_POINT, minusca.acronym or minusca.code)


def test_a_delegate_alone_is_not_internal_and_acts_for_its_state(db: None) -> None:
    user = UserFactory.create()
    MembershipFactory(user=user, role=Role.MEMBER_STATE_DELEGATE, member_state="BGD")
    access = access_for(user)
    bangladesh = MemberState.objects.get(iso3="BGD")
    assert not access.internal
    assert access.states == frozenset({bangladesh.pk})


def test_users_holding_a_role_for_an_entity_need_both_on_one_membership(db: None) -> None:
    """A reviewer of one entity who is a focal point of another is no reviewer of the second."""
    both = UserFactory.create()
    MembershipFactory(user=both, role=Role.REVIEWER, entity="asg-africa")
    MembershipFactory(user=both, role=Role.FOCAL_POINT, entity="minusca")
    reviewer = UserFactory.create()
    MembershipFactory(user=reviewer, role=Role.REVIEWER, entity="minusca")
    inactive = UserFactory.create(is_active=False)
    MembershipFactory(user=inactive, role=Role.REVIEWER, entity="minusca")
    minusca = Entity.objects.get(code="minusca")
    assert list(users_holding(Role.REVIEWER, entity_ids=[minusca.pk])) == [reviewer]
