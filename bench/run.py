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

    engine = connection.vendor
    print(f"\n| measure ({engine}, median of {REPEAT}) | ms | queries |\n|---|---:|---:|")
    for label, ms, query_count in rows:
        print(f"| {label} | {ms:.1f} | {query_count} |")


if __name__ == "__main__":
    main()
