"""Benchmarks: `make bench` (or `.venv/bin/python -m bench.run`).

Runs on a throwaway SQLite file unless A4P_DATABASE_URL is set, loads the reference data and the
plan, then measures median server time and query count of each plan page, and the plan load and
export. Prints a Markdown table to paste into the README.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="a4p-bench-"))
    os.environ.setdefault("A4P_DATA_DIR", str(scratch))
    os.environ.setdefault("A4P_DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")
    os.environ.setdefault("A4P_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import Entity
    from core.refdata import load_reference_data
    from plans.exporters import plan_tree, render
    from plans.models import Plan
    from plans.planfile import read_plan_file
    from plans.services import plan_load

    # Keep one connection for the whole run, as a pooled server would, and count its queries.
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_reference_data()
    codes = list(Entity.objects.values_list("code", flat=True))

    rows: list[tuple[str, float, str]] = []

    def fresh_load() -> None:
        Plan.objects.all().delete()
        plan_load(plan_file=read_plan_file(settings.A4P_PLAN_FILE, codes))

    rows.append(
        ("`a4p plan load` of the A4P+ plan into an empty database", median_ms(fresh_load, 10), "—")
    )
    rows.append(
        (
            "`a4p plan load` of the same file again (no change)",
            median_ms(
                lambda: plan_load(plan_file=read_plan_file(settings.A4P_PLAN_FILE, codes)), 10
            ),
            "—",
        )
    )
    plan = Plan.objects.get()
    rows.append(
        ("`a4p plan export --format json`", median_ms(lambda: render(plan_tree(plan), "json")), "—")
    )

    client = Client()
    base = f"/plans/{plan.code}"
    for label, url in [
        ("plan overview", f"{base}/"),
        ("priority page (priority 3, 19 deliverables)", f"{base}/priorities/3/"),
        ("deliverable page", f"{base}/deliverables/3.1.4/"),
        ("all 71 deliverables", f"{base}/deliverables/"),
        ("search + entity filter", f"{base}/deliverables/?q=women&entity=minusca"),
        ("entities", f"{base}/entities/"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
            count = len(connection.queries_log) - queries.initial_queries
        assert status == 200, (url, status)
        rows.append((label, median_ms(partial(client.get, url)), str(count)))

    rows += tracking_bench(plan)

    engine = connection.vendor
    print(f"\n| measure ({engine}, median of {REPEAT}) | ms | queries |\n|---|---:|---:|")
    for label, ms, query_count in rows:
        print(f"| {label} | {ms:.1f} | {query_count} |")


def tracking_bench(plan: Any) -> list[tuple[str, float, str]]:
    """The indicator tracking table at 200 indicators x 12 periods x 10 reporting entities,
    disaggregated by sex: the design aim is at most 100 ms and a query count independent of size."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Entity
    from indicators.models import Breakdown, Category, Dimension, Indicator, IndicatorValue, Target
    from indicators.selectors import tracking_table
    from reporting.models import Cycle

    rng = random.Random(7)  # noqa: S311  (synthetic data, not security)
    deliverables = list(plan.deliverables.all())
    cycles = []
    for n in range(12):
        start = dt.date(2018 + n // 2, 1 if n % 2 == 0 else 7, 1)
        cycles.append(
            Cycle.objects.create(
                plan=plan,
                code=f"B{start.year}-H{n % 2 + 1}",
                period_start=start,
                period_end=start + dt.timedelta(days=180),
                opens_on=start,
                due_on=start + dt.timedelta(days=200),
                closes_on=start + dt.timedelta(days=220),
                state=Cycle.State.CLOSED,
            )
        )
    sex = Dimension.objects.create(plan=plan, code="bench-sex", name="Sex")
    women = Category.objects.create(dimension=sex, code="f", name="Women")
    men = Category.objects.create(dimension=sex, code="m", name="Men")
    entities = list(Entity.objects.filter(kind="mission")[:10])
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            code=f"B-{i}",
            name=f"Benchmark indicator {i}",
            deliverable=deliverables[i % len(deliverables)],
            unit="percent" if i % 3 == 0 else "number",
            period_rule=["sum", "latest", "cumulative", "mean"][i % 4],
            baseline=Decimal(10),
            position=1000 + i,
        )
        for i in range(200)
    )
    Target.objects.bulk_create(
        Target(indicator=ind, period=c.code, value=Decimal(50))
        for ind in indicators
        for c in cycles
    )
    values = IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=ind,
            cycle=c,
            entity=e,
            value=Decimal(rng.randint(20, 80)),
            numerator=Decimal(rng.randint(5, 40)) if ind.unit == "percent" else None,
            denominator=Decimal(100) if ind.unit == "percent" else None,
        )
        for ind in indicators
        for c in cycles
        for e in entities
    )
    Breakdown.objects.bulk_create(
        Breakdown(value=v, category=cat, amount=(v.value or 0) / 2)
        for v in values[: len(values) // 2]
        for cat in (women, men)
    )
    with CaptureQueriesContext(connection) as queries:
        rows = tracking_table(plan, cycles=cycles)
    assert len(rows) >= 200
    ms = median_ms(lambda: tracking_table(plan, cycles=cycles), 10)
    return [
        (
            "indicator tracking table, 200 indicators x 12 periods x 10 entities "
            f"({len(values):,} values)",
            ms,
            str(len(queries)),
        )
    ]


if __name__ == "__main__":
    main()
