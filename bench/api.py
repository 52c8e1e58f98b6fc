"""API benchmark: `python -m bench.api [--keep]`.

Every list endpoint of `/api/v1/` — found in the URL conf (each `api:<basename>-list` name that
takes no argument), so a new resource is measured with no change here — on the dashboards'
scaled data set (`bench.dashboards`: 50 entities, 20 cycles, 24,000 progress updates, 100,000
register cases), signed in with a token of senior leadership (who sees the most):

- the median server time of a page (50 rows, the default) through Django's test client, with the
  token, the throttles, the filters, the serializer and the JSON renderer;
- beside it, its data floor: the same view's queryset, filtered and paginated exactly as the
  endpoint does, evaluated without serializing (the count and the page's rows, prefetches
  included), and the ratio of the two;
- the query count of a page of 1 row and of 500 rows (the ceiling): equal when nothing is
  loaded row by row.

The database is the dashboards benchmark's (SQLite under `var/bench-dashboards/` unless
A4P_DATABASE_URL is set); `--keep` reuses one already generated. Prints a Markdown table. The
aim: every list page within 150 ms.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Any

from bench.dashboards import generate, prepare_database

AIM_MS = 150.0


@dataclass(frozen=True)
class Measure:
    name: str
    path: str
    rows: int
    page_ms: float
    floor_ms: float
    queries_1: int
    queries_500: int

    @property
    def ratio(self) -> float:
        return self.page_ms / self.floor_ms if self.floor_ms else float("inf")


def list_endpoints() -> list[tuple[str, str]]:
    """(URL name, path) of every `api:*-list` route that needs no argument, in URL conf order."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

    _prefix, resolver = get_resolver().namespace_dict["api"]
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                name = str(pattern.name)
                view = getattr(pattern.callback, "cls", None)
                if view is None or not hasattr(view, "filter_queryset"):
                    continue  # not a list over a queryset (a register's statistics)
                try:
                    path = reverse(f"api:{name}")
                except NoReverseMatch:
                    continue  # a nested list (needs its parent's key): not measured here
                if (name, path) not in found:
                    found.append((name, path))

    walk(resolver.url_patterns)
    return found


def floor(path: str, user: Any, query: dict[str, str]) -> tuple[Any, int]:
    """The endpoint's own queryset, filtered and paginated as the view does, rows fetched but
    not serialized; returns the page and the row count."""
    from django.urls import resolve
    from rest_framework.test import APIRequestFactory, force_authenticate

    match = resolve(path)
    request = APIRequestFactory().get(path, query)
    force_authenticate(request, user=user)
    view = match.func.cls(**match.func.initkwargs)  # type: ignore[attr-defined]
    view.action_map = match.func.actions  # type: ignore[attr-defined]
    view.args, view.kwargs, view.format_kwarg = (), {}, None
    view.request = view.initialize_request(request)
    view.action = "list"
    view.headers = {}
    queryset = view.filter_queryset(view.get_queryset())
    page = view.paginate_queryset(queryset)
    rows = list(page) if page is not None else list(queryset)
    count = view.paginator.page.paginator.count if page is not None else len(rows)
    return rows, count


def measure(name: str, path: str, client: Any, user: Any) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import median_ms

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"page_size": size})
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return len(captured)

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    _rows, count = floor(path, user, {})
    return Measure(
        name=name,
        path=path,
        rows=count,
        page_ms=median_ms(lambda: client.get(path)),
        floor_ms=median_ms(lambda: floor(path, user, {})),
        queries_1=queries(1),
        queries_500=queries(500),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the data generated before")
    args = parser.parse_args()
    prepare_database(args.keep)
    # The throttles would stop a benchmark's few thousand requests; they are not measured here.
    os.environ["A4P_API_RATE"] = "1000000/hour"
    os.environ["A4P_API_RATE_ADDRESS"] = "1000000/hour"
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services import token_create
    from bench.run import REPEAT

    print(f"generating the scaled data set into {connection.vendor}")
    generate()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    user = User.objects.get(username="bench.leader")
    _token, raw = token_create(user=user, name="bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    results = [measure(name, path, client, user) for name, path in list_endpoints()]
    print(
        f"\n| list endpoint ({connection.vendor}, page of 50, median of {REPEAT}) | rows | page ms "
        f"| floor ms | ratio | queries (1 row / 500 rows) | ≤ {AIM_MS:.0f} ms |"
        "\n|---|---:|---:|---:|---:|---:|:-:|"
    )
    for m in results:
        print(
            f"| `{m.path}` | {m.rows:,} | {m.page_ms:.1f} | {m.floor_ms:.1f} | {m.ratio:.1f} "
            f"| {m.queries_1} / {m.queries_500} | {'yes' if m.page_ms <= AIM_MS else '**no**'} |"
        )
    slow = [m.path for m in results if m.page_ms > AIM_MS]
    growing = [m.path for m in results if m.queries_500 != m.queries_1]
    if slow:
        print(f"\nover {AIM_MS:.0f} ms: {', '.join(slow)}")
    if growing:
        print(f"\nquery count grows with the page: {', '.join(growing)}")


if __name__ == "__main__":
    main()
