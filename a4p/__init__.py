"""The project. Its Celery app is loaded with Django, so that `@shared_task` tasks use it (see
docs/deployment.md)."""

from a4p.celery import app as celery_app

__all__ = ("celery_app",)
