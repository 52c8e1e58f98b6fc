"""The machinery of the permission matrix: the URL conf walked, the expectation lines read, and
the check that sends each request. The tables themselves are in the `test_*.py` modules of this
package; how to add an entry is at the top of `tests/matrix/__init__.py`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from core.models import AuditEntry
from tests.matrix.world import ANONYMOUS, HIDDEN_SECRET, OUTSIDER, SECRET, WHO, World

Args = Callable[[World], Mapping[str, object]]

# Tokens of an expectation line besides a plain status code.
LOGIN = "L"  # 302 to the log-in page
ADMIN_LOGIN = "A"  # 302 to the admin's log-in page
REDIRECT = "302"  # 302 anywhere but a log-in page
REFUSED = {"404", "405", LOGIN, ADMIN_LOGIN}  # statuses after which nothing may have changed

# Who must never see the data's words on any page: SECRET and HIDDEN_SECRET for visitors and
# outsiders; HIDDEN_SECRET for the roles the hidden objects are hidden from (see world.py).
NEVER_SEES = {
    ANONYMOUS: (SECRET, HIDDEN_SECRET),
    OUTSIDER: (SECRET, HIDDEN_SECRET),
    Role.FOCAL_POINT: (HIDDEN_SECRET,),
    Role.REVIEWER: (HIDDEN_SECRET,),
    Role.MEMBER_STATE_DELEGATE: (HIDDEN_SECRET,),
}


def no_args(world: World) -> Mapping[str, object]:
    return {}


def plan_args(world: World) -> Mapping[str, object]:
    return {"plan_code": world.code}


def expect(line: str) -> dict[str, str]:
    """An expectation line: one token per column of WHO (anonymous, outsider, planning unit,
    focal point, reviewer, senior leadership, delegate, register officer, administrator)."""
    tokens = line.split()
    if len(tokens) != len(WHO):
        raise ValueError(f"{line!r}: give {len(WHO)} statuses, one per column of {WHO}")
    return dict(zip(WHO, tokens, strict=True))


@dataclass(frozen=True)
class Probe:
    """One request shape of a URL: how to build its arguments from the world, and the status each
    column expects for GET and, for a view that changes something, for POST (after which a
    refused request must have changed nothing)."""

    label: str
    get: str
    args: Args = plan_args
    post: str | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    """Every URL whose qualified name starts with `prefix` (a namespace such as `admin:`, or a
    name prefix such as `account_`), covered by the probes of a few of its members."""

    prefix: str
    probes: Mapping[str, list[Probe]]


Table = Mapping[str, list[Probe]]


def family_table(families: list[Family]) -> dict[str, list[Probe]]:
    return {name: probes for family in families for name, probes in family.probes.items()}


# The URL conf -----------------------------------------------------------------------------------


def url_names() -> Iterator[tuple[str, str]]:
    """(qualified name, route) of every pattern in the URL conf; an unnamed pattern's name is its
    namespace alone ('admin:', or '' outside any)."""

    def walk(
        patterns: list[URLPattern | URLResolver], namespace: str, prefix: str
    ) -> Iterator[tuple[str, str]]:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner, route)
            else:
                yield (f"{namespace}{entry.name or ''}", route)

    yield from walk(get_resolver().url_patterns, "", "/")


def all_tables() -> tuple[dict[str, list[Probe]], list[Family]]:
    """The tables (`MATRIX`) and families (`FAMILIES`) of every test module of this package."""
    import tests.matrix as package

    tables: dict[str, list[Probe]] = {}
    families: list[Family] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("test_"):
            module = importlib.import_module(f"tests.matrix.{info.name}")
            for name, probes in getattr(module, "MATRIX", {}).items():
                assert name not in tables, f"{name} is in two tables"
                tables[name] = probes
            families.extend(getattr(module, "FAMILIES", []))
    return tables, families


# The requests -----------------------------------------------------------------------------------


def sessions_for(world: World) -> dict[str, str]:
    """A session cookie per signed-in column, made once; each request gets a fresh client with
    it, so a request that signs out or leaves a message changes no other request."""
    cookies: dict[str, str] = {}
    for who, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies[who] = client.cookies.output(header="", sep=";")
    return cookies


def client_as(sessions: Mapping[str, str], who: str, **options: Any) -> Client:
    client = Client(**options)
    if who in sessions:
        client.cookies = SimpleCookie(sessions[who])
    return client


def body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse) or getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    return content.decode("utf-8", errors="replace")


def fingerprint(world: World) -> tuple[object, ...]:
    """What a refused write must leave as it was: the audit trail (every service writes to it)
    and the state of the objects a write would touch."""
    update, case, cycle = world.update, world.case, world.cycle
    return (
        AuditEntry.objects.count(),
        tuple(
            type(update)
            .objects.filter(pk__in=[update.pk, world.hidden_update.pk])
            .values_list("state", "version", "narrative")
            .order_by("pk")
        ),
        type(case).objects.filter(pk=case.pk).values_list("status", "description").first(),
        type(cycle).objects.filter(pk=cycle.pk).values_list("state").first(),
        type(world.milestone).objects.filter(assignment=world.assignment).count(),
        type(world.evidence).objects.count(),
    )


def _matches(token: str, response: HttpResponseBase) -> bool:
    status = str(response.status_code)
    location = response.get("Location", "")
    if token == LOGIN:
        return status == "302" and location.startswith(resolve_url(settings.LOGIN_URL))
    if token == ADMIN_LOGIN:
        return status == "302" and location.startswith(reverse("admin:login"))
    if token == REDIRECT:
        return status == "302" and not location.startswith(resolve_url(settings.LOGIN_URL))
    return status == token


def check(
    world: World, sessions: Mapping[str, str], name: str, probe: Probe, method: str
) -> list[str]:
    """Every column's request of one probe; the list of what differs from the table."""
    line = probe.get if method == "get" else probe.post
    assert line is not None
    url = reverse(name, kwargs=dict(probe.args(world)))
    problems: list[str] = []
    for who, token in expect(line).items():
        client = client_as(sessions, who)
        with transaction.atomic():
            if method == "get":
                before: tuple[object, ...] = ()
                after: tuple[object, ...] = ()
                response = client.get(url, probe.query)
            else:
                before = fingerprint(world)
                response = client.post(url, probe.data)
                after = fingerprint(world)
            transaction.set_rollback(True)
        got = f"{response.status_code} {response.get('Location', '')}".strip()
        if not _matches(token, response):
            problems.append(f"{method.upper()} {url} as {who}: expected {token}, got {got}")
        text = body(response)
        refused = response.status_code in (302, 403, 404, 405)
        for word in (SECRET, HIDDEN_SECRET) if refused else NEVER_SEES.get(who, ()):
            if word in text:
                problems.append(f"{method.upper()} {url} as {who}: the page shows {word!r}")
        if method == "post" and token in REFUSED and before != after:
            problems.append(
                f"POST {url} as {who} was refused ({got}) but changed {before} to {after}"
            )
    return problems


def cases(table: Table) -> list[Any]:
    return [
        pytest.param(name, probe, method, id=f"{name}[{probe.label}]-{method}")
        for name, probes in table.items()
        for probe in probes
        for method in ("get", "post")
        if method == "get" or probe.post is not None
    ]


def matrix_test(table: Table) -> Callable[..., None]:
    """The test of one module's table: each probe, GET and (where given) POST, every column."""

    @pytest.mark.parametrize(("name", "probe", "method"), cases(table))
    def test_each_column_gets_the_status_the_matrix_gives(
        world: World, sessions: dict[str, str], db: None, name: str, probe: Probe, method: str
    ) -> None:
        problems = check(world, sessions, name, probe, method)
        assert not problems, "\n".join(problems)

    return test_each_column_gets_the_status_the_matrix_gives
