from __future__ import annotations

from typing import Any

import factory

from accounts.models import Membership, User
from core.models import AuditEntry, Entity, MemberState


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "focal_point"

    @classmethod
    def _create(cls, model_class: type[Membership], *args: Any, **kwargs: Any) -> Membership:
        # Tests name entities and States by code; the reference data holds the rows.
        if isinstance(kwargs.get("entity"), str):
            kwargs["entity"] = Entity.objects.get(code=kwargs["entity"])
        if isinstance(kwargs.get("member_state"), str):
            kwargs["member_state"] = MemberState.objects.get(iso3=kwargs["member_state"])
        return super()._create(model_class, *args, **kwargs)


class AuditEntryFactory(factory.django.DjangoModelFactory[AuditEntry]):
    """An entry as `core.audit.log` writes it; tests set `at` to place it in time."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    action = "update.submit"
    object_type = "reporting.progressupdate"
    object_id = factory.Sequence(str)
    data = factory.LazyFunction(dict)
