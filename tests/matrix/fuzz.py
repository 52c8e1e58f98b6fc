"""Fuzzing every URL of the project with hypothesis: path arguments the converters accept (huge
numbers, odd unicode, NUL, right-to-left marks, ten thousand characters, '../', '%00'), and
the query parameters the views and filters read, with odd values; as a visitor, the planning unit
and a Member State delegate. No answer may be a server error.

The families are the apps of the views (`url_families()`); the admin is Django's own and is left
out. Each test module here fuzzes some families against its own world (world.py)."""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from accounts.models import Role
from tests.matrix.table import client_as
from tests.matrix.world import ANONYMOUS, World

FUZZED_USERS = (ANONYMOUS, Role.PLANNING_UNIT, Role.MEMBER_STATE_DELEGATE)

# What the views and their filters read from the address (grep request.GET, params.get and the
# filter forms), and a few more any page might one day read.
QUERY_KEYS = (
    "priority",
    "result",
    "entity",
    "cycle",
    "marker",
    "q",
    "page",
    "sort",
    "year",
    "mission",
    "state",
    "format",
    "status",
    "csv",
    "edition",
    "from",
    "to",
    "wps",
    "role",
    "category",
    "severity",
    "escalated",
    "log",
    "next",
    "language",
)
# What the POST views read from their forms.
FORM_KEYS = (
    "action",
    "comment",
    "reason",
    "title",
    "url",
    "deliverable",
    "role",
    "delete",
    "executive_summary",
    "edition",
    "format",
    "language",
    "languages",
    "status",
    "version",
    "reason:1.1.2",
    "d-code",
    "p-effective_from",
)

ODD_TEXT = [
    "",
    "0",
    "-1",
    "²",
    "١٢",
    "\U0001d7d9",  # a mathematical double-struck one
    "\x00",
    "a\x00b",
    "%00",
    "\u200f1",
    "\u202emalicious",
    "\ufeff",
    "../",
    "..\\..",
    "9" * 400,
    "x" * 10_000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "1e309",
    "NaN",
    " 1 ",
    "2023-H1",
    "minusca",
    "xlsx",
    "internal",
    "1",
]
HUGE = [0, 1, 2**31, 2**31 - 1, 2**63, 2**64, 10**30]


def odd_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXT),
        st.text(max_size=40),
        st.integers(-(10**30), 10**30).map(str),
    )


def path_value(converter: object, known: list[object]) -> st.SearchStrategy[Any]:
    """Values the converter accepts (so the view runs), with the world's real ones mixed in."""
    if isinstance(converter, IntConverter):
        odd: st.SearchStrategy[Any] = st.one_of(st.sampled_from(HUGE), st.integers(0, 10**30))
    elif isinstance(converter, SlugConverter):
        odd = st.one_of(
            st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True),
            st.sampled_from(["-", "_", "9" * 300, "a" * 10_000, "0", "x"]),
        )
    elif converter is REGEX_GROUP:
        # A regular-expression route's group (ids, allauth's keys): digits match them all.
        odd = st.from_regex(r"[0-9]{1,12}", fullmatch=True)
    elif isinstance(converter, StringConverter):
        odd = st.one_of(
            st.sampled_from([t for t in ODD_TEXT if t and "/" not in t]),
            st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s),
        )
    else:
        odd = st.text(min_size=1, max_size=40)
    return st.one_of(st.sampled_from(known), odd) if known else odd


REGEX_GROUP = object()  # the "converter" of a named group in a regular-expression route


@dataclass(frozen=True)
class Route:
    name: str  # qualified by its namespaces ("api:plan-list"), as reverse() takes it
    family: str
    converters: Mapping[str, object]
    route: str  # "/plans/<slug:plan_code>/", for addresses the converters would refuse


def routes() -> list[Route]:
    """Every named URL outside the admin, with the converters of its arguments."""
    found: list[Route] = []

    def walk(
        patterns: list[URLPattern | URLResolver],
        converters: dict[str, object],
        prefix: str,
        namespace: str,
    ) -> None:
        for entry in patterns:
            groups = dict.fromkeys(
                getattr(getattr(entry.pattern, "regex", None), "groupindex", {}), REGEX_GROUP
            )
            own = {**converters, **groups, **getattr(entry.pattern, "converters", {})}
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                    walk(entry.url_patterns, own, route, inner)
            elif entry.name and "format" not in own:
                # (The API's `.json` twins of each address are left out: the same views.)
                module = getattr(entry.callback, "__module__", "") or ""
                found.append(Route(namespace + entry.name, module.split(".")[0], own, route))

    walk(get_resolver().url_patterns, {}, "/", "")
    return found


def url_families() -> list[str]:
    return sorted({r.family for r in routes()})


def known_values(world: World) -> dict[str, list[object]]:
    """The world's real arguments, by argument name, so many draws reach the views' depths."""
    return {
        "plan_code": [world.code],
        "cycle_code": [world.cycle.code],
        "entity_code": ["minusca", "monusco"],
        "number": [1, 7],
        "code": ["1.1.2", "4.3", "1-a"],
        "pk": [
            world.update.pk,
            world.hidden_update.pk,
            world.case.pk,
            world.hidden_case.pk,
            world.public_file.pk,
            world.assignment.pk,
        ],
        "evidence": [world.evidence.pk, world.hidden_evidence.pk],
        "milestone": [world.milestone.pk],
        "job": [str(world.job.pk), str(world.hidden_job.pk)],
        "filename": [world.public_file.filename],
        "table": ["by-year", "by-mission"],
        "part": ["status", "victim", "followup", "document"],
        "action": ["submit", "return", "validate", "reopen", "remove", "milestone"],
        "step": ["open", "close", "publish"],
    }


@st.composite
def requests(draw: st.DrawFn, world: World, family: str) -> tuple[str, str, str, dict[str, Any]]:
    """(who, method, url, data): a route of the family with drawn arguments and parameters."""
    route = draw(st.sampled_from([r for r in routes() if r.family == family]))
    known = known_values(world)
    kwargs = {
        name: draw(path_value(converter, known.get(name, [])))
        for name, converter in route.converters.items()
    }
    if route.converters and draw(st.integers(0, 4)) == 0:
        # Now and then an address the converters refuse: negative numbers, '../', '%00'...
        raw = {name: draw(st.one_of(odd_text(), st.just("-1"))) or "x" for name in kwargs}
        url = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: quote(str(raw[m.group(1)]), safe=""), route.route
        )
    else:
        url = reverse(route.name, kwargs=kwargs)
    method = draw(st.sampled_from(["get", "get", "post"]))
    keys = QUERY_KEYS if method == "get" else FORM_KEYS
    data = draw(st.dictionaries(st.sampled_from(keys), odd_text(), max_size=4))
    return draw(st.sampled_from(FUZZED_USERS)), method, url, data


# Each example builds its own client from a session made once for the module, and runs its
# request in a savepoint rolled back at once: the function-scoped `db` fixture holds no state an
# example could leave for the next.
# Derandomized, so that a run in CI is the run on a laptop; A4P_FUZZ_RANDOM=1 explores anew.
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("A4P_FUZZ_EXAMPLES", "30")),
    derandomize=os.environ.get("A4P_FUZZ_RANDOM", "") != "1",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def no_server_error(
    sessions: Mapping[str, str], who: str, method: str, url: str, data: dict[str, Any]
) -> None:
    client: Client = client_as(sessions, who, raise_request_exception=False)
    with transaction.atomic():
        response = client.get(url, data) if method == "get" else client.post(url, data)
        transaction.set_rollback(True)
    if response.status_code >= 500:
        info = getattr(response, "exc_info", None)
        trace = "".join(traceback.format_exception(*info)) if info else ""
        raise AssertionError(
            f"{method.upper()} {url!r} {data!r} as {who}: {response.status_code}\n{trace}"
        )
