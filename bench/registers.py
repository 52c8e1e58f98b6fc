"""Benchmarks of the register of crimes against peacekeepers:
`.venv/bin/python -m bench.registers`.

On a throwaway SQLite file (unless A4P_DATABASE_URL is set): the import of the official UN
fatalities file into an empty register and again (no change), both through `a4p import
fatalities`; then 100,000 synthetic cases and the register's pages at that size. Prints a
Markdown table to paste into the README. The fatalities rows are skipped when the file is absent.
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.run import median_ms

FATALITIES = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "data"
    / "un-fatalities"
    / "DPPADPOSS-FATALITIES.csv"
)
SCALE = int(os.environ.get("BENCH_REGISTER_CASES", "100000"))


def _count(executed: list[str], run: Any, sql: str, *args: Any) -> Any:
    executed.append(sql)
    return run(sql, *args)


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="a4p-bench-registers-"))
    os.environ.setdefault("A4P_DATA_DIR", str(scratch))
    os.environ.setdefault("A4P_DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")
    os.environ.setdefault("A4P_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection
    from django.test import Client

    from accounts.models import Membership, Role, User
    from core.models import MemberState
    from core.refdata import load_reference_data
    from demo.synthetic import make_cases
    from registers.models import Case

    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_reference_data()
    rows: list[tuple[str, float, str]] = []

    def run_import() -> None:
        call_command(
            "import", "fatalities", str(FATALITIES), "--no-progress",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip

    if FATALITIES.exists():
        fresh = []
        for _ in range(5):
            Case.objects.all().delete()
            start = time.perf_counter()
            run_import()
            fresh.append((time.perf_counter() - start) * 1000)
        rows.append(
            (
                "`a4p import fatalities` of the UN file (4,429 rows) into an empty register",
                statistics.median(fresh),
                "—",
            )
        )
        rows.append(("the same file again (no change)", median_ms(run_import, 5), "—"))
    Case.objects.all().delete()

    start = time.perf_counter()
    make_cases(n=SCALE, seed=1)
    rows.append(
        (f"`make_cases` of {SCALE:,} synthetic cases with victims and follow-up",
         (time.perf_counter() - start) * 1000, "—")
    )  # fmt: skip

    officer = User.objects.create(username="bench-officer")
    Membership.objects.create(user=officer, role=Role.REGISTER_OFFICER)
    delegate = User.objects.create(username="bench-delegate")
    Membership.objects.create(
        user=delegate,
        role=Role.MEMBER_STATE_DELEGATE,
        member_state=MemberState.objects.get(iso3="BGD"),
    )
    for who, label, url in [
        (officer, "case list (officer, page 1)", "/registers/crimes/"),
        (officer, "statistics (officer)", "/registers/crimes/statistics/"),
        (delegate, "case list (delegate of Bangladesh)", "/registers/crimes/"),
        (delegate, "Member State portal (Bangladesh)", "/registers/portal/"),
    ]:
        client = Client()
        client.force_login(who)
        client.get(url)
        executed: list[str] = []
        with connection.execute_wrapper(partial(_count, executed)):
            status = client.get(url).status_code
        assert status == 200, (url, status)
        rows.append(
            (f"{label}, {SCALE:,} cases", median_ms(partial(client.get, url), 5),
             str(len(executed)))
        )  # fmt: skip

    print(f"\n| measure ({connection.vendor}, median) | ms | queries |\n|---|---:|---:|")
    for label, ms, count in rows:
        print(f"| {label} | {ms:.0f} | {count} |")


if __name__ == "__main__":
    main()
