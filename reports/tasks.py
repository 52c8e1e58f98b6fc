"""Celery tasks of the reports app, used when a broker is configured (see docs/deployment.md)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from reports import services


@shared_task(name="reports.job_run")
def report_job_run(job_id: str) -> str:
    return str(services.job_run(job_id=job_id).state)


def send_job(job_id: str) -> None:
    """Put a job on the workers' queue; the task is the one of the project's Celery app."""
    report_job_run.delay(job_id)


@worker_ready.connect
def fail_stale_jobs_on_start(**_kwargs: Any) -> None:
    """A worker starting after a crash fails the jobs that were running when it stopped."""
    services.jobs_fail_stale()
