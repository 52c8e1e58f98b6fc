"""The Celery application for deployments with a broker (A4P_BROKER_URL). Without one, the
embedded default runs background work inline and no worker is needed."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")

app = Celery("a4p")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
