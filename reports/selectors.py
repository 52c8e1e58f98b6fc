"""Reads of reports with their access rules: the one gate for published files and jobs."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from accounts.access import access_for
from accounts.models import User
from reporting.models import Cycle, ProgressUpdate
from reports.models import Edition, Publication, PublishedFile, ReportDraft, ReportJob


def may_prepare(user: User | AnonymousUser) -> bool:
    """Who builds unpublished editions: the planning unit and senior leadership, who see every
    update. Everyone else reads published editions."""
    return access_for(user).sees_all_updates


def may_publish(user: User | AnonymousUser) -> bool:
    return access_for(user).planner


def publications_visible_to(user: User | AnonymousUser) -> QuerySet[Publication]:
    """Public editions to anyone, signed in or not; internal editions to UN staff only."""
    publications = Publication.objects.select_related("cycle__plan").prefetch_related("files")
    if access_for(user).internal:
        return publications
    return publications.filter(edition=Edition.PUBLIC)


def published_files_visible_to(user: User | AnonymousUser) -> QuerySet[PublishedFile]:
    """The files of the publications the user may see."""
    visible = publications_visible_to(user).values("pk")
    return PublishedFile.objects.filter(publication__in=visible).select_related(
        "publication__cycle"
    )


def published_file_for(user: User | AnonymousUser, pk: int) -> PublishedFile:
    """404 for a file that does not exist and for one the user may not see alike."""
    found = published_files_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def latest_publications(user: User | AnonymousUser) -> list[Publication]:
    """The latest revision of each cycle's editions, newest cycle first; older revisions are
    attached as `superseded`."""
    latest: dict[tuple[int, str], Publication] = {}
    for publication in publications_visible_to(user).order_by(
        "-cycle__period_start", "edition", "-revision"
    ):
        key = (publication.cycle_id, publication.edition)
        if key in latest:
            latest[key].superseded.append(publication)  # type: ignore[attr-defined]
        else:
            publication.superseded = []  # type: ignore[attr-defined]
            latest[key] = publication
    return list(latest.values())


def latest_public_report() -> Publication | None:
    """The newest published public edition, for the plan's front page."""
    return (
        Publication.objects.filter(edition=Edition.PUBLIC)
        .select_related("cycle")
        .prefetch_related("files")
        .order_by("-cycle__period_start", "-revision")
        .first()
    )


def jobs_visible_to(user: User | AnonymousUser) -> QuerySet[ReportJob]:
    """A job is seen by the person who asked for it only, while they may build reports."""
    if not isinstance(user, User) or not may_prepare(user):
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requested_by=user)


def job_for(user: User | AnonymousUser, job_id: str) -> ReportJob:
    """404 for a job that does not exist and for one the user may not see alike."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404 from None
    job = jobs_visible_to(user).filter(pk=key).first()
    if job is None:
        raise Http404
    return job


def draft_of(cycle: Cycle) -> ReportDraft | None:
    return ReportDraft.objects.filter(cycle=cycle).select_related("updated_by").first()


def update_counts(cycle: Cycle) -> tuple[int, int]:
    """The cycle's validated updates and all its updates, for the preparation page."""
    validated = cycle.updates.filter(state=ProgressUpdate.State.VALIDATED).count()
    return validated, cycle.updates.count()
