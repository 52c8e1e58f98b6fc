"""Reads of reports with their access rules: the one gate for published files and jobs."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.access import access_for
from reporting.models import Cycle
from reports.models import Edition, Publication, PublishedFile, ReportDraft, ReportJob


def may_prepare(user: Any) -> bool:
    """Who builds unpublished editions: the planning unit and senior leadership, who see every
    update. Everyone else reads published editions."""
    return access_for(user).sees_all_updates


def may_publish(user: Any) -> bool:
    return access_for(user).planner


def publications_visible_to(user: Any) -> QuerySet[Publication]:
    """Public editions to anyone, signed in or not; internal editions to UN staff only."""
    publications = Publication.objects.select_related("cycle__plan").prefetch_related("files")
    if access_for(user).internal:
        return publications
    return publications.filter(edition=Edition.PUBLIC)


def published_file_for(user: Any, pk: int) -> PublishedFile:
    """404 for a file that does not exist and for one the user may not see alike."""
    visible = publications_visible_to(user).values("pk")
    found = (
        PublishedFile.objects.filter(pk=pk, publication__in=visible)
        .select_related("publication__cycle")
        .first()
    )
    if found is None:
        raise Http404
    return found


def latest_publications(user: Any) -> list[Publication]:
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


def job_for(user: Any, job_id: str) -> ReportJob:
    """A job is seen by the person who asked for it only."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404 from None
    job = ReportJob.objects.filter(pk=key, requested_by_id=getattr(user, "pk", None)).first()
    if job is None or not may_prepare(user):
        raise Http404
    return job


def draft_of(cycle: Cycle) -> ReportDraft | None:
    return ReportDraft.objects.filter(cycle=cycle).select_related("updated_by").first()
