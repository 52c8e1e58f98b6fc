"""Dashboard benchmark: `python -m bench.dashboards [--keep] [--no-load]`.

Generates a scaled reporting history into its own database — 50 entities, 20 semi-annual cycles
(10 years), their work plans, progress updates in every state with ratings, workflow steps,
obstacles and indicator values — then measures:

1. the median server time and the query count of every dashboard page, with Django's test
   client, signed in as senior leadership (who sees every update: the largest pages);
2. the throughput of the same pages under concurrent load against `gunicorn a4p.wsgi -w 2`,
   with threads and http.client from the standard library, signed in by a session cookie.

The database is a SQLite file under `var/bench-dashboards/` unless A4P_DATABASE_URL is set; for
PostgreSQL use `A4P_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dash` (the database is
created, or dropped and created again, by this command). `--keep` reuses a database already
generated. Prints Markdown tables to paste into the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench-dashboards"
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))

ENTITIES = 50
CYCLES = 20  # ten years, semi-annual
DELIVERABLES_PER_ENTITY = 24
REGISTER_ROWS = 100_000
INDICATOR_ENTITIES = 10
LOAD_THREADS = 8
LOAD_SECONDS = 20


# Set-up ----------------------------------------------------------------------------------------


def prepare_database(keep: bool, *, jit: bool = False) -> str:
    """Point the settings at the benchmark database; a fresh one unless `keep`."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("A4P_DATABASE_URL", "")
    if not url:
        path = DATA_DIR / "bench.sqlite3"
        if path.exists() and not keep:
            path.unlink()
        url = f"sqlite:///{path}"
    elif url.startswith("postgres"):
        import psycopg

        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and not keep:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
            # PostgreSQL's JIT compiles the dashboards' aggregates for longer than they run
            # (about 70 ms of a 90 ms query); docs/dashboards.md recommends it off.
            conn.execute(f'ALTER DATABASE "{name}" SET jit = {"on" if jit else "off"}')
    os.environ["A4P_DATABASE_URL"] = url
    os.environ.setdefault("A4P_DATA_DIR", str(DATA_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")
    os.environ.setdefault("A4P_ALLOWED_HOSTS", "testserver,127.0.0.1")
    return url


def generate() -> dict[str, Any]:
    """The scaled data set, step by step. Each step writes in bulk."""
    from django.conf import settings
    from django.core.management import call_command

    from core.models import Entity
    from core.refdata import load_reference_data
    from plans.models import Plan
    from plans.planfile import read_plan_file
    from plans.services import plan_load
    from reporting.models import Cycle

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    plan = Plan.objects.first()
    if plan is not None and Cycle.objects.filter(plan=plan).count() >= CYCLES:
        print("reusing the data already generated (--keep)")
        return {"plan": plan}
    load_reference_data()
    codes = list(Entity.objects.values_list("code", flat=True))
    plan = plan_load(plan_file=read_plan_file(settings.A4P_PLAN_FILE, codes)).plan
    rng = random.Random(2026)  # noqa: S311  (synthetic data, not security)
    steps: list[tuple[str, Callable[[], int]]] = []
    state: dict[str, Any] = {"plan": plan}
    steps.append(("entities and work plans", lambda: step_workplans(rng, state)))
    steps.append(("cycles", lambda: step_cycles(state)))
    steps.append(("progress updates", lambda: step_updates(rng, state)))
    steps.append(("workflow steps and obstacles", lambda: step_workflow(rng, state)))
    steps.append(("indicator values", lambda: step_indicators(rng, state)))
    steps.append(("register rows", lambda: step_registers(rng, state)))
    steps.append(("users", lambda: step_users(state)))
    for label, step in steps:
        start = time.perf_counter()
        count = step()
        print(f"  {label}: {count:,} rows in {time.perf_counter() - start:.1f} s")
    # Planner statistics, as a database in service has them (autovacuum would make them later).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return state


def step_workplans(rng: random.Random, state: dict[str, Any]) -> int:
    """50 reporting entities (the plan's missions first, then HQ offices, then other missions),
    each with 24 deliverables in its work plan, a third of them as lead."""
    from core.models import Entity
    from plans.models import Assignment

    plan = state["plan"]
    pool = list(
        Entity.objects.exclude(kind=Entity.Kind.GROUP)
        .select_related("mission")
        .order_by("kind", "code")
    )

    def rank(entity: Entity) -> int:
        mission = getattr(entity, "mission", None)
        if mission is not None and mission.in_plan_group:
            return 0
        return 1 if entity.kind != Entity.Kind.MISSION else 2

    entities = sorted(pool, key=lambda e: (rank(e), e.code))[:ENTITIES]
    deliverables = list(plan.deliverables.all())
    assignments = [
        Assignment(
            deliverable=d,
            entity=e,
            role="lead" if rng.random() < 0.33 else "support",
        )
        for e in entities
        for d in rng.sample(deliverables, DELIVERABLES_PER_ENTITY)
    ]
    Assignment.objects.bulk_create(assignments)
    state["entities"] = entities
    state["assignments"] = list(Assignment.objects.filter(deliverable__plan=plan))
    return len(assignments)


def step_cycles(state: dict[str, Any]) -> int:
    """20 semi-annual cycles, 2015-H1 to 2024-H2; the last one open, the others published."""
    from reporting.models import Cycle

    cycles = []
    for n in range(CYCLES):
        year, half = 2015 + n // 2, n % 2
        start = dt.date(year, 1 if half == 0 else 7, 1)
        end = dt.date(year, 6, 30) if half == 0 else dt.date(year, 12, 31)
        due = end + dt.timedelta(days=21)
        cycles.append(
            Cycle(
                plan=state["plan"],
                code=f"{year}-H{half + 1}",
                period_start=start,
                period_end=end,
                opens_on=end - dt.timedelta(days=30),
                due_on=due,
                closes_on=due + dt.timedelta(days=40),
                state=Cycle.State.OPEN if n == CYCLES - 1 else Cycle.State.PUBLISHED,
            )
        )
    state["cycles"] = Cycle.objects.bulk_create(cycles)
    return len(cycles)


RATINGS = ["not_started", "on_track", "delayed", "off_track", "completed", "discontinued"]


def step_updates(rng: random.Random, state: dict[str, Any]) -> int:
    """An update per assignment and cycle. Past cycles: mostly validated, ratings improving over
    time; the open cycle: every state."""
    from reporting.models import ProgressUpdate

    S = ProgressUpdate.State
    updates = []
    for index, cycle in enumerate(state["cycles"]):
        is_open = index == CYCLES - 1
        progress = index / CYCLES
        weights = [
            max(0.02, 0.3 - progress * 0.3),
            0.3 + progress * 0.2,
            0.2,
            0.1,
            0.05 + progress * 0.3,
            0.03,
        ]
        for assignment in state["assignments"]:
            if is_open:
                update_state = rng.choice(
                    [S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.VALIDATED]
                )
            else:
                update_state = (
                    S.VALIDATED if rng.random() < 0.93 else rng.choice([S.SUBMITTED, S.RETURNED])
                )
            rated = update_state != S.DRAFT or rng.random() < 0.3
            updates.append(
                ProgressUpdate(
                    cycle=cycle,
                    assignment=assignment,
                    state=update_state,
                    rating=rng.choices(RATINGS, weights)[0] if rated else "",
                    narrative="Progress as planned in the work plan.",
                )
            )
    state["updates"] = ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
    return len(updates)


def step_workflow(rng: random.Random, state: dict[str, Any]) -> int:
    """A first submission for every update that left its author (one in eight after the due
    date), a validation for the validated ones, and obstacles on about a third."""
    from reporting.models import Obstacle, ProgressUpdate, Transition

    S = ProgressUpdate.State
    cycles = {c.pk: c for c in state["cycles"]}
    categories = [c for c, _label in Obstacle.Category.choices]
    severities = [s for s, _label in Obstacle.Severity.choices]
    transitions, obstacles = [], []
    for update in state["updates"]:
        if update.state == S.DRAFT:
            continue
        cycle = cycles[update.cycle_id]
        days = rng.randint(1, 5) if rng.random() < 0.125 else -rng.randint(0, 20)
        submitted = dt.datetime.combine(
            cycle.due_on + dt.timedelta(days=days), dt.time(10), tzinfo=dt.UTC
        )
        transitions.append(
            Transition(
                update=update,
                action="submit",
                from_state=S.DRAFT,
                to_state=S.SUBMITTED,
                at=submitted,
            )
        )
        update.submitted_at = submitted
        if update.state == S.VALIDATED:
            transitions.append(
                Transition(
                    update=update,
                    action="validate",
                    from_state=S.SUBMITTED,
                    to_state=S.VALIDATED,
                    at=submitted + dt.timedelta(days=rng.randint(1, 10)),
                )
            )
        if rng.random() < 0.33:
            for _ in range(rng.randint(1, 2)):
                obstacles.append(
                    Obstacle(
                        update=update,
                        category=rng.choice(categories),
                        severity=rng.choice(severities),
                        description="Synthetic obstacle for the benchmark.",
                        escalate=rng.random() < 0.1,
                    )
                )
    ProgressUpdate.objects.bulk_update(
        [u for u in state["updates"] if u.submitted_at], ["submitted_at"], batch_size=5000
    )
    Transition.objects.bulk_create(transitions, batch_size=5000)
    Obstacle.objects.bulk_create(obstacles, batch_size=5000)
    return len(transitions) + len(obstacles)


def step_indicators(rng: random.Random, state: dict[str, Any]) -> int:
    """Values of every typed indicator from ten entities in every cycle, broken down by sex
    where the indicator is."""
    from indicators.models import Breakdown, Category, Indicator, IndicatorValue

    plan = state["plan"]
    indicators = list(
        Indicator.objects.filter(plan=plan, computed="").prefetch_related("dimensions")
    )
    sex = list(Category.objects.filter(dimension__plan=plan, dimension__code="sex"))
    values, parts = [], []
    for indicator in indicators:
        by_sex = any(d.code == "sex" for d in indicator.dimensions.all())
        for entity in rng.sample(state["entities"], INDICATOR_ENTITIES):
            for cycle in state["cycles"]:
                if indicator.unit == Indicator.Unit.PERCENT:
                    den = Decimal(rng.randint(50, 500))
                    value = IndicatorValue(
                        indicator=indicator,
                        cycle=cycle,
                        entity=entity,
                        numerator=Decimal(rng.randint(0, int(den))),
                        denominator=den,
                    )
                elif indicator.unit == Indicator.Unit.YESNO:
                    value = IndicatorValue(
                        indicator=indicator,
                        cycle=cycle,
                        entity=entity,
                        value=Decimal(rng.randint(0, 1)),
                    )
                else:
                    value = IndicatorValue(
                        indicator=indicator,
                        cycle=cycle,
                        entity=entity,
                        value=Decimal(rng.randint(10, 400)),
                    )
                values.append((value, by_sex and indicator.unit == Indicator.Unit.NUMBER))
    created = IndicatorValue.objects.bulk_create([v for v, _s in values], batch_size=5000)
    for value, (_v, split) in zip(created, values, strict=True):
        if split and sex and value.value is not None:
            women = (value.value * Decimal(rng.randint(10, 40)) / 100).quantize(Decimal(1))
            parts.append(Breakdown(value=value, category=sex[0], amount=women))
            parts.append(Breakdown(value=value, category=sex[1], amount=value.value - women))
    Breakdown.objects.bulk_create(parts, batch_size=5000)
    return len(created) + len(parts)


def step_registers(rng: random.Random, state: dict[str, Any]) -> int:
    """REGISTER_ROWS (100,000) cases of the register of crimes against peacekeepers, with one to
    four victims each (about 150,000) and their follow-up steps, spread over the missions among
    the 50 entities and the 10 years of the cycles (plain multi-row inserts)."""
    from core.models import Entity
    from demo.synthetic import make_cases

    missions = [e.code for e in state["entities"] if e.kind == Entity.Kind.MISSION]
    first, last = state["cycles"][0], state["cycles"][-1]
    return make_cases(
        n=REGISTER_ROWS,
        seed=rng.randrange(1 << 30),
        start=first.period_start,
        end=last.period_end,
        missions=missions,
    )


def step_users(state: dict[str, Any]) -> int:
    from accounts.models import Membership, Role, User
    from core.models import Entity, MemberState

    leader = User.objects.create_user("bench.leader", password=None)
    Membership.objects.create(
        user=leader, role=Role.SENIOR_LEADERSHIP, entity=Entity.objects.get(code="dpo")
    )
    # A Member State delegate, for the register's portal.
    delegate = User.objects.create_user("bench.delegate", password=None)
    Membership.objects.create(
        user=delegate,
        role=Role.MEMBER_STATE_DELEGATE,
        member_state=MemberState.objects.get(iso3="BGD"),
    )
    return 2


# Measures --------------------------------------------------------------------------------------


def pages(plan_code: str) -> list[tuple[str, str]]:
    from plans.models import Assignment
    from reporting.models import ProgressUpdate

    base = f"/plans/{plan_code}/dashboard"
    busiest = (
        Assignment.objects.filter(deliverable__plan__code=plan_code)
        .values_list("deliverable__code", flat=True)
        .order_by("deliverable__position")
        .first()
    )
    entity = (
        ProgressUpdate.objects.filter(assignment__entity__kind="mission")
        .values_list("assignment__entity__code", flat=True)
        .first()
    )
    return [
        ("overview: 7 priorities x 20 cycles", f"{base}/"),
        (
            "overview filtered (cycle, marker, entity)",
            f"{base}/?cycle=2020-H1&marker=wps&entity={entity}",
        ),
        ("priority 3", f"{base}/priorities/3/"),
        ("result 3.1", f"{base}/results/3.1/"),
        (f"deliverable {busiest}", f"{base}/deliverables/{busiest}/"),
        ("entities heatmap (50 entities x 71 deliverables)", f"{base}/entities/"),
        (f"entity scorecard ({entity})", f"{base}/entities/{entity}/"),
        ("indicators (all, 20 cycles)", f"{base}/indicators/"),
        ("WPS", f"{base}/wps/"),
        ("obstacles by category", f"{base}/obstacles/"),
        ("a chart as CSV (overview trend)", f"{base}/?csv=trend"),
        ("registers: 100,000 cases x 10 years", f"{base}/registers/"),
        (f"registers, one mission ({entity})", f"{base}/registers/?entity={entity}"),
        ("registers: a chart as CSV (cases by year)", f"{base}/registers/?csv=cases"),
        ("register's statistics page (all cases)", "/registers/crimes/statistics/"),
    ]


# Pages measured as another user than bench.leader (not in the load test).
OTHER_PAGES = [
    ("register's portal, delegate of Bangladesh", "/registers/portal/", "bench.delegate"),
]


def measure_pages(
    urls: list[tuple[str, str]], username: str = "bench.leader"
) -> list[tuple[str, float, int]]:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.run import median_ms

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(User.objects.get(username=username))
    rows = []
    for label, url in urls:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
            count = len(connection.queries_log) - queries.initial_queries
        assert status == 200, (url, status)
        rows.append((label, median_ms(partial(client.get, url)), count))
    return rows


def session_cookie() -> tuple[str, str]:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench.leader"))
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(urls: list[tuple[str, str]]) -> dict[str, float]:
    """Every page in turn from LOAD_THREADS threads for LOAD_SECONDS against gunicorn with two
    workers."""
    name, value = session_cookie()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603  (our own server, fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "a4p.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "A4P_ALLOWED_HOSTS": "127.0.0.1"},
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        paths = [url for _label, url in urls]
        for path in paths:  # warm every worker's caches
            for _ in range(2):
                fetch(port, path, f"{name}={value}")
        times: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop = time.monotonic() + LOAD_SECONDS

        def worker(offset: int) -> None:
            n = offset
            while time.monotonic() < stop:
                path = paths[n % len(paths)]
                n += 1
                start = time.perf_counter()
                ok = fetch(port, path, f"{name}={value}")
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    times.append(elapsed)
                    errors[0] += not ok

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(LOAD_THREADS)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        spent = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=20)
    times.sort()
    return {
        "requests": len(times),
        "errors": errors[0],
        "seconds": spent,
        "per_second": len(times) / spent,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
    }


def fetch(port: int, path: str, cookie: str) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status == 200
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the data generated before")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load test")
    parser.add_argument(
        "--pg-jit", action="store_true", help="leave PostgreSQL's JIT on (off by default)"
    )
    args = parser.parse_args()
    prepare_database(args.keep, jit=args.pg_jit)
    import django

    django.setup()
    from django.db import connection

    from plans.models import Plan
    from reporting.models import Cycle, Obstacle, ProgressUpdate

    where = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    print(f"generating the scaled data set into {where}")
    generate()
    plan = Plan.objects.get()
    print(
        f"data: {ProgressUpdate.objects.values('assignment__entity').distinct().count()} entities, "
        f"{Cycle.objects.count()} cycles, {ProgressUpdate.objects.count():,} progress updates, "
        f"{Obstacle.objects.count():,} obstacles"
    )
    from registers.models import Case, Victim

    print(f"register: {Case.objects.count():,} cases, {Victim.objects.count():,} victims")
    urls = pages(plan.code)
    rows = measure_pages(urls)
    for label, url, username in OTHER_PAGES:
        rows += measure_pages([(label, url)], username)
    engine = connection.vendor
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            engine += f", jit {cursor.fetchone()[0]}"
    print(f"\n| dashboard ({engine}, median of {REPEAT}) | ms | queries |\n|---|---:|---:|")
    for label, ms, count in rows:
        print(f"| {label} | {ms:.0f} | {count} |")
    if not args.no_load:
        connection.close()
        result = load(urls)
        print(
            f"\n| load ({engine}, gunicorn -w 2, {LOAD_THREADS} threads, {LOAD_SECONDS} s, "
            f"all pages in turn) | value |\n|---|---:|"
        )
        print(f"| requests served | {result['requests']:.0f} ({result['errors']:.0f} errors) |")
        print(f"| throughput | {result['per_second']:.1f} req/s |")
        print(f"| latency p50 | {result['p50']:.0f} ms |")
        print(f"| latency p95 | {result['p95']:.0f} ms |")


if __name__ == "__main__":
    main()
