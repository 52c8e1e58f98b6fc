"""Report benchmark: `make bench-reports` (or `.venv/bin/python -m bench.reports`).

Builds the consolidated report of two cycles in every format and prints, for each, the build time
and the peak memory of the process that built it:

- the demo's last closed cycle (2023-H2), as `a4p demo` loads it;
- a scaled cycle: 50 reporting entities, all 71 deliverables (about 10 entities each), six
  semi-annual cycles (three years) of validated updates with texts, obstacles and indicator
  values, and 3,000 register cases over the same years.

Each measurement runs in its own process (so peak memory is that build's alone) on a throwaway
SQLite file; the time is the build inside the process, without Python's start-up and with the
chart engine already started, as in a server or worker (BENCH_COLD=1 includes its start, about a
second).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ["pdf", "docx", "xlsx", "html"]
SCALED_ENTITIES = 50
SCALED_CYCLES = 6


def _setup(data_dir: Path) -> None:
    os.environ["A4P_DATA_DIR"] = str(data_dir)
    os.environ["A4P_DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")
    import django

    django.setup()


def _child(data_dir: str, cycle: str, edition: str, fmt: str) -> None:
    """Run in a child process: build one file and print the seconds it took."""
    _setup(Path(data_dir))
    from reporting.models import Cycle
    from reports.services import report_build

    target = Cycle.objects.get(code=cycle)
    if os.environ.get("BENCH_COLD") != "1":
        # A server or worker process has its chart engine started already; starting it (about
        # a second) is paid once per process, not per report.
        from core import charts

        charts.to_svg(
            charts.counts_bar([{"label": "a", "count": 1}], label_title="", count_title="")
        )
    start, cpu = time.perf_counter(), time.process_time()
    _name, data = report_build(cycle=target, edition=edition, fmt=fmt)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "bytes": len(data), "peak_kb": peak_kb}))


def _measure(data_dir: Path, cycle: str, edition: str, fmt: str) -> tuple[float, float, int, float]:
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "bench.reports", "--child", str(data_dir), cycle, edition, fmt],
        capture_output=True,
        env={**os.environ, "A4P_LOG_LEVEL": "WARNING"},
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{cycle} {fmt} failed:\n{done.stderr.decode()}")
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result["seconds"], result["cpu"], result["bytes"], result["peak_kb"] / 1024


def _demo(data_dir: Path) -> None:
    subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "a4p"), "demo"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={
            **os.environ,
            "A4P_DATA_DIR": str(data_dir),
            "A4P_DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
            "A4P_DEMO": "true",
        },
    )


def _scaled(data_dir: Path) -> None:
    """The scaled data set, generated in this process into its own database."""
    _setup(data_dir)
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from core.models import Entity
    from core.refdata import load_reference_data
    from indicators.models import Indicator, IndicatorValue
    from plans.models import Assignment, Deliverable
    from plans.planfile import read_plan_file
    from plans.services import plan_load
    from plans.versions import version_initial
    from reporting.models import Cycle, Obstacle, ProgressUpdate

    call_command("migrate", verbosity=0)
    load_reference_data()
    codes = list(Entity.objects.values_list("code", flat=True))
    from django.conf import settings

    plan = plan_load(plan_file=read_plan_file(settings.A4P_PLAN_FILE, codes)).plan
    version = version_initial(plan=plan)
    User.objects.create(username="bench")
    rng = random.Random(2589)  # noqa: S311  (synthetic data)
    entities = list(
        Entity.objects.exclude(kind="group").order_by("-kind", "code")[:SCALED_ENTITIES]
    )
    deliverables = list(Deliverable.objects.filter(result__priority__plan=plan))
    words = [
        "joint review with the host authorities",
        "training of 120 staff",
        "community engagement in three provinces",
        "a revised concept of operations",
        "consultations with women's networks",
        "a common analysis with the country team",
    ]
    with transaction.atomic():
        assignments = Assignment.objects.bulk_create(
            Assignment(deliverable=d, entity=e, role="lead" if i < 3 else "support")
            for d in deliverables
            for i, e in enumerate(rng.sample(entities, 10))
        )
        cycles = []
        for n in range(SCALED_CYCLES):
            start = dt.date(2021 + n // 2, 1 if n % 2 == 0 else 7, 1)
            end = dt.date(start.year, 6, 30) if n % 2 == 0 else dt.date(start.year, 12, 31)
            cycles.append(
                Cycle.objects.create(
                    plan=plan,
                    version=version,
                    code=f"S{start.year}-H{n % 2 + 1}",
                    period_start=start,
                    period_end=end,
                    opens_on=end,
                    due_on=end + dt.timedelta(days=20),
                    closes_on=end + dt.timedelta(days=40),
                    state=Cycle.State.CLOSED,
                )
            )
        ratings = ["on_track"] * 5 + ["completed"] * 2 + ["delayed"] * 2 + ["off_track"]
        updates = ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                cycle=c,
                assignment=a,
                state="validated",
                rating=rng.choice(ratings),
                sensitivity=rng.choice(["public", "internal", "internal", "internal"]),
                narrative=" ".join(rng.sample(words, 3)).capitalize() + ".",
                achievements="\n".join(f"- {w.capitalize()}." for w in rng.sample(words, 3)),
                next_steps="Continue the " + rng.choice(words) + ".",
                wps_note=(
                    "Women made up a third of the participants." if rng.random() < 0.3 else ""
                ),
            )
            for c in cycles
            for a in assignments
        )
        Obstacle.objects.bulk_create(
            Obstacle(
                update=u,
                category=rng.choice([c for c, _l in Obstacle.Category.choices]),
                severity=rng.choice(["low", "medium", "high", "critical"]),
                description="Movement restrictions delayed the " + rng.choice(words) + ".",
                mitigation="Meetings held remotely; the plan was resequenced.",
                escalate=rng.random() < 0.1,
            )
            for u in updates
            if rng.random() < 0.25
        )
        indicators = list(Indicator.objects.filter(plan=plan, computed=""))
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=i,
                cycle=c,
                entity=e,
                value=Decimal(rng.randint(10, 90)),
            )
            for i in indicators
            for c in cycles
            for e in rng.sample(entities, 5)
        )
    from demo.synthetic import make_cases

    # Register cases over the three years, for the report's register section.
    make_cases(n=3000, seed=2589, start=dt.date(2021, 1, 1), end=dt.date(2023, 12, 31))
    print(
        f"scaled set: {len(entities)} entities, {len(assignments)} assignments, "
        f"{len(cycles)} cycles, {len(updates):,} validated updates",
        file=sys.stderr,
    )


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="a4p-bench-reports-"))
    demo_dir, scaled_dir = root / "demo", root / "scaled"
    demo_dir.mkdir()
    scaled_dir.mkdir()
    print("loading the demo…", file=sys.stderr)
    _demo(demo_dir)
    print("generating the scaled cycle…", file=sys.stderr)
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.reports", "--scaled", str(scaled_dir)], check=True
    )
    last_scaled = f"S{2021 + (SCALED_CYCLES - 1) // 2}-H{(SCALED_CYCLES - 1) % 2 + 1}"
    rows = []
    for label, data_dir, cycle in [
        ("demo cycle 2023-H2", demo_dir, "2023-H2"),
        (f"scaled cycle {last_scaled}", scaled_dir, last_scaled),
    ]:
        for edition in ("internal", "public"):
            for fmt in FORMATS:
                seconds, cpu, size, peak = _measure(data_dir, cycle, edition, fmt)
                rows.append((label, edition, fmt, seconds, cpu, size, peak))
                print(f"  {label} {edition} {fmt}: {seconds:.1f} s", file=sys.stderr)
    print("\n| cycle | edition | format | build (s) | CPU (s) | size (KB) | peak memory (MB) |")
    print("|---|---|---|---:|---:|---:|---:|")
    for label, edition, fmt, seconds, cpu, size, peak in rows:
        print(
            f"| {label} | {edition} | {fmt} | {seconds:.1f} | {cpu:.1f} | {size // 1024:,} "
            f"| {peak:.0f} |"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:6])
    elif len(sys.argv) > 1 and sys.argv[1] == "--scaled":
        _scaled(Path(sys.argv[2]))
    else:
        main()
