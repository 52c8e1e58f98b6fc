"""Celery tasks of the reports app, used when a broker is configured (see docs/deployment.md)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reports.job_run")
def report_job_run(job_id: str) -> str:
    from reports.services import job_run

    return str(job_run(job_id=job_id).state)
