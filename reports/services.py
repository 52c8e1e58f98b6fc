"""Writes of reports: the executive summary, building a file, publishing, and the jobs that run
in the background: in a thread of the web process (embedded default) or on a Celery worker."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import audit, background
from reporting.models import Cycle
from reporting.services import cycle_step
from reports import content, render
from reports.content import ReportError
from reports.models import (
    Edition,
    Format,
    Publication,
    PublishedFile,
    ReportDraft,
    ReportJob,
)
from reports.selectors import may_prepare, may_publish

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
JobSender = Callable[[str], object]
PUBLISHABLE_STATES = (Cycle.State.CLOSED, Cycle.State.PUBLISHED)

# How a job reaches a Celery worker: the one sender that reports.tasks registers when the app is
# ready (the task runs `job_run` below, so this module cannot import it).
_job_sender: list[JobSender] = []


def register_job_sender(send: JobSender) -> None:
    """`send(job_id)` puts a job on the workers' queue."""
    _job_sender[:] = [send]


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@transaction.atomic
def summary_save(*, cycle: Cycle, text: str, actor: User) -> ReportDraft:
    if not may_publish(actor):
        raise ReportError(_("Only the planning unit writes the executive summary."))
    draft, _created = ReportDraft.objects.select_for_update().get_or_create(cycle=cycle)
    draft.executive_summary = text.replace("\x00", "").strip()
    draft.updated_by = actor
    draft.updated_at = timezone.now()
    draft.save(update_fields=["executive_summary", "updated_by", "updated_at"])
    audit.log(action="report.summary_saved", obj=cycle, actor=actor, data={"chars": len(text)})
    return draft


def report_build(
    *,
    cycle: Cycle,
    edition: str,
    fmt: str,
    language: str = "en",
    confidential: bool = False,
    executive_summary: str | None = None,
) -> tuple[str, bytes]:
    """One file of the report, as the command line and the jobs make it. Raises ReportError."""
    if fmt not in render.RENDERERS:
        raise ReportError(
            _("Unknown format “%(fmt)s”: use one of %(formats)s.")
            % {"fmt": fmt, "formats": ", ".join(render.RENDERERS)}
        )
    if language not in _languages():
        raise ReportError(
            _("Unknown language “%(language)s”: use one of %(languages)s.")
            % {"language": language, "languages": ", ".join(_languages())}
        )
    if executive_summary is None:
        draft = ReportDraft.objects.filter(cycle=cycle).first()
        executive_summary = draft.executive_summary if draft else ""
    with translation.override(language):
        report = content.build_report(
            cycle,
            edition=edition,
            confidential=confidential,
            executive_summary=executive_summary,
        )
        return render.filename(report, fmt), render.render(report, fmt)


def report_publish(
    *,
    cycle: Cycle,
    actor: User,
    languages: list[str] | None = None,
    progress: Progress | None = None,
) -> list[Publication]:
    """Publish both editions in every format and language. The files are built first, then
    stored with their SHA-256 in one transaction; the cycle becomes published. Publishing again
    makes a new revision and leaves the earlier one as it was."""
    if not may_publish(actor):
        raise ReportError(_("Only the planning unit publishes reports."))
    if cycle.state not in PUBLISHABLE_STATES:
        raise ReportError(
            _("Cycle %(code)s is %(state)s: close it before publishing its report.")
            % {"code": cycle.code, "state": cycle.get_state_display().lower()}
        )
    draft = ReportDraft.objects.filter(cycle=cycle).first()
    summary = draft.executive_summary if draft else ""
    languages = languages or _languages()
    unknown = sorted(set(languages) - set(_languages()))
    if unknown:
        raise ReportError(_("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)})
    steps = [
        (edition, language, fmt)
        for edition in (Edition.PUBLIC, Edition.INTERNAL)
        for language in languages
        for fmt in (Format.PDF, Format.DOCX, Format.XLSX, Format.HTML)
    ]
    built: dict[str, list[tuple[str, str, str, bytes]]] = {}
    report = None
    for i, (edition, language, fmt) in enumerate(steps):
        if progress:
            progress(
                int(100 * i / (len(steps) + 1)),
                _("Building the %(edition)s in %(format)s (%(language)s)")
                % {
                    "edition": str(Edition(edition).label).lower(),
                    "format": str(Format(fmt).label),
                    "language": language,
                },
            )
        with translation.override(language):
            # One report per edition and language, drawn in every format.
            if report is None or report.edition != edition or report.language != language:
                report = content.build_report(cycle, edition=edition, executive_summary=summary)
            data = render.render(report, fmt)
            built.setdefault(edition, []).append(
                (fmt, language, render.filename(report, fmt), data)
            )
    if progress:
        progress(int(100 * len(steps) / (len(steps) + 1)), _("Storing the files"))
    return _store(cycle=cycle, actor=actor, summary=summary, built=built)


def _store(
    *, cycle: Cycle, actor: User, summary: str, built: dict[str, list[tuple[str, str, str, bytes]]]
) -> list[Publication]:
    """The files are written first, outside the database transaction (a slow disk holds no lock),
    then the rows in one transaction. When the rows cannot be written, the files are removed;
    any left over by a crash between the two are swept by `a4p jobs sweep`."""
    written: dict[str, list[PublishedFile]] = {}
    for edition, files in built.items():
        for fmt, language, name, data in files:
            stored = PublishedFile(
                format=fmt,
                language=language,
                filename=name,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
            )
            stored.file.save(name, ContentFile(data), save=False)
            written.setdefault(edition, []).append(stored)
    try:
        return _store_rows(cycle=cycle, actor=actor, summary=summary, written=written)
    except BaseException:
        for stored in (f for files in written.values() for f in files):
            if stored.file.name:
                stored.file.storage.delete(stored.file.name)
        raise


@transaction.atomic
def _store_rows(
    *, cycle: Cycle, actor: User, summary: str, written: dict[str, list[PublishedFile]]
) -> list[Publication]:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    publications = []
    for edition, files in written.items():
        last = (
            Publication.objects.filter(cycle=cycle, edition=edition)
            .order_by("-revision")
            .values_list("revision", flat=True)
            .first()
        )
        publication = Publication.objects.create(
            cycle=cycle,
            edition=edition,
            revision=(last or 0) + 1,
            executive_summary=summary,
            published_by=actor,
        )
        for stored in files:
            stored.publication = publication
            stored.save()
        publications.append(publication)
        audit.log(
            action="report.published",
            obj=publication,
            actor=actor,
            data={"cycle": cycle.code, "edition": edition, "revision": publication.revision},
        )
    if cycle.state == Cycle.State.CLOSED:
        cycle_step(cycle=cycle, step="publish", actor=actor)
    return publications


# --- Jobs --------------------------------------------------------------------------------------

STALE_RUNNING = gettext_lazy(
    "The worker stopped before finishing this job (the server restarted or the worker died). "
    "Retry it."
)
STALE_QUEUED = gettext_lazy(
    "No worker started this job (the server restarted before it ran). Retry it."
)
ORPHAN_FOLDERS = ("report-jobs", "reports")
ORPHAN_MIN_AGE = dt.timedelta(hours=1)


def job_create(
    *,
    kind: str,
    cycle: Cycle,
    actor: User,
    edition: str = Edition.PUBLIC,
    fmt: str = "",
    language: str = "en",
    confidential: bool = False,
    retry_of: ReportJob | None = None,
) -> ReportJob:
    if kind == ReportJob.Kind.PUBLISH and not may_publish(actor):
        raise ReportError(_("Only the planning unit publishes reports."))
    if not may_prepare(actor):
        raise ReportError(_("Only the planning unit and senior leadership build reports."))
    if edition == Edition.PUBLIC:
        confidential = False
    job = ReportJob.objects.create(
        kind=kind,
        cycle=cycle,
        edition=edition,
        format=fmt,
        language=language,
        confidential=confidential,
        requested_by=actor,
        retry_of=retry_of,
    )
    data = {"job": str(job.pk), "edition": edition, "format": fmt, "language": language}
    if retry_of is not None:
        data["retry_of"] = str(retry_of.pk)
    audit.log(action=f"report.job_{kind}", obj=cycle, actor=actor, data=data)
    return job


@transaction.atomic
def job_retry(*, job: ReportJob, actor: User) -> ReportJob:
    """A new job with the failed job's parameters, under the same rules as starting one."""
    if job.state != ReportJob.State.FAILED:
        raise ReportError(_("Only a failed job can be retried."))
    return job_create(
        kind=job.kind,
        cycle=job.cycle,
        actor=actor,
        edition=job.edition,
        fmt=job.format,
        language=job.language,
        confidential=job.confidential,
        retry_of=job,
    )


def job_enqueue(job: ReportJob) -> None:
    """After the commit, to the background thread of this process (no broker) or to a Celery
    worker (A4P_BROKER_URL); inside the call in "sync" mode (the test suite)."""
    job_id = str(job.pk)
    mode = settings.A4P_TASKS_MODE
    if mode == "sync":
        job_run(job_id=job_id)
    elif mode == "thread":
        transaction.on_commit(lambda: background.submit(lambda: job_run(job_id=job_id)))
    else:
        (send,) = _job_sender
        transaction.on_commit(lambda: send(job_id))


def _progress(job_id: str) -> Progress:
    def report(percent: int, stage: str) -> None:
        # Outside any transaction of the job, so the page polling it sees the progress.
        ReportJob.objects.filter(pk=job_id).update(
            progress=percent, stage=stage[:200], heartbeat_at=timezone.now()
        )

    return report


def jobs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed the jobs whose worker is gone: running with no heartbeat for
    A4P_JOB_STALE_MINUTES, and, without a broker, queued that long (the thread that would have
    run them died with its process). Returns how many."""
    now = now or timezone.now()
    limit = now - dt.timedelta(minutes=settings.A4P_JOB_STALE_MINUTES)
    running = ReportJob.objects.filter(state=ReportJob.State.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)
    )
    failed = running.update(
        state=ReportJob.State.FAILED, error=str(STALE_RUNNING), stage="", finished_at=now
    )
    if settings.A4P_TASKS_MODE != "celery":
        # On Celery a queued job waits in the broker, which outlives the web servers.
        failed += ReportJob.objects.filter(
            state=ReportJob.State.QUEUED, created_at__lt=limit
        ).update(state=ReportJob.State.FAILED, error=str(STALE_QUEUED), finished_at=now)
    if failed:
        log.warning("%d report job(s) lost their worker and were marked failed", failed)
    return failed


def _stored_files(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}")


def files_sweep_orphans(*, now: dt.datetime | None = None) -> list[str]:
    """Remove the files under the jobs' and the published reports' folders that no row refers
    to and that are older than an hour (a younger one may belong to a publication being
    stored). Returns the names removed."""
    now = now or timezone.now()
    referenced = set(ReportJob.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(PublishedFile.objects.values_list("file", flat=True))
    removed = []
    for field, folder in (
        (ReportJob._meta.get_field("file"), "report-jobs"),
        (PublishedFile._meta.get_field("file"), "reports"),
    ):
        storage = field.storage
        for name in list(_stored_files(storage, folder)):
            if name in referenced or now - storage.get_modified_time(name) < ORPHAN_MIN_AGE:
                continue
            storage.delete(name)
            removed.append(name)
    return removed


def job_run(*, job_id: str) -> ReportJob:
    now = timezone.now()
    # Claimed once: a job redelivered, or already failed as stale, is not run again.
    claimed = ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
        state=ReportJob.State.RUNNING, heartbeat_at=now
    )
    job = ReportJob.objects.select_related("cycle__plan", "cycle__version", "requested_by").get(
        pk=job_id
    )
    if not claimed:
        return job
    progress = _progress(str(job.pk))
    try:
        if job.kind == ReportJob.Kind.PUBLISH:
            publications = report_publish(
                cycle=job.cycle,
                actor=job.requested_by,
                languages=job.language.split(","),
                progress=progress,
            )
            job.publication = publications[0] if publications else None
        else:
            progress(10, _("Building the file"))
            name, data = report_build(
                cycle=job.cycle,
                edition=job.edition,
                fmt=job.format,
                language=job.language,
                confidential=job.confidential,
            )
            job.filename = name
            job.file.save(f"{job.pk}-{name}", ContentFile(data), save=False)
        job.state = ReportJob.State.DONE
        job.progress = 100
        job.stage = ""
    except ReportError as error:
        job.state = ReportJob.State.FAILED
        job.error = str(error)
    except Exception:
        log.exception("report job %s failed", job.pk)
        job.state = ReportJob.State.FAILED
        job.error = _("The report could not be built because of an internal error; it is logged.")
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "progress",
            "stage",
            "error",
            "file",
            "filename",
            "publication",
            "finished_at",
        ]
    )
    return job
