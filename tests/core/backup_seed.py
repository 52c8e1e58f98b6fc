"""A small installation for the backup round trip, made in its own process on the database that
A4P_DATABASE_URL names: migrated, the plan loaded, one evidence file and a published report.

Run as `python -m tests.core.backup_seed`; prints what it stored as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import Role  # noqa: E402
from core.refdata import load_reference_data  # noqa: E402
from plans.services import assignments_generate  # noqa: E402
from reporting.models import ProgressUpdate  # noqa: E402
from reporting.services import cycle_step, evidence_add  # noqa: E402
from reports import render  # noqa: E402
from reports.models import PublishedFile  # noqa: E402
from reports.services import report_publish  # noqa: E402
from tests.conftest import load_shipped_plan  # noqa: E402
from tests.factories import MembershipFactory, UserFactory  # noqa: E402
from tests.reporting.conftest import make_cycle  # noqa: E402

EVIDENCE = b"Minutes of the joint review with the host authorities.\n"


def main() -> None:
    call_command("migrate", verbosity=0)
    load_reference_data()
    plan = load_shipped_plan()
    planner = UserFactory.create(username="planner")
    MembershipFactory(user=planner, role=Role.PLANNING_UNIT, entity="dpo-ousg-iapu")
    assignments_generate(plan=plan, actor=planner)
    cycle = make_cycle(plan, planner, "2023-H1", dt.date(2023, 1, 1))
    focal = UserFactory.create(username="focal.minusca")
    MembershipFactory(user=focal, role=Role.FOCAL_POINT, entity="minusca")
    update = ProgressUpdate.objects.filter(cycle=cycle, assignment__entity__code="minusca").first()
    assert update is not None
    update.assignment.focal_points.add(focal)
    evidence = evidence_add(
        update=update,
        actor=focal,
        title="Minutes",
        upload=SimpleUploadedFile("minutes.txt", EVIDENCE, content_type="text/plain"),
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(
        state=ProgressUpdate.State.VALIDATED, rating="on_track", narrative="Done."
    )
    cycle_step(cycle=cycle, step="close", actor=planner)
    cycle.refresh_from_db()
    # The layouts are not what this is about: PDF and Word drawn quickly.
    render.RENDERERS["pdf"] = lambda report: b"%PDF " + render.render_html(report)
    render.RENDERERS["docx"] = render.render_xlsx
    report_publish(cycle=cycle, actor=planner, languages=["en"])
    print(
        json.dumps(
            {
                "published": dict(PublishedFile.objects.values_list("file", "sha256")),
                "evidence": {evidence.file.name: EVIDENCE.decode()},
            }
        )
    )


if __name__ == "__main__":
    main()
