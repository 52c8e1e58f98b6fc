"""Reporting data in the admin: read-only, because every change goes through the workflow
services (which check roles and states and write the history)."""

from typing import Any

from django.contrib import admin

from plans.admin import ReadOnlyAdmin
from reporting.models import Cycle, Notification, ProgressUpdate


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["code", "plan", "kind", "state", "opens_on", "due_on", "closes_on"]
    list_filter = ["plan", "state", "kind"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "assignment", "state", "rating", "sensitivity", "updated_at"]
    list_filter = ["cycle", "state", "rating", "sensitivity"]
    search_fields = ["assignment__deliverable__code", "assignment__entity__code", "narrative"]
    list_select_related = ["cycle", "assignment__deliverable", "assignment__entity"]
    exclude = ["updated_by"]

    def get_queryset(self, request: Any) -> Any:
        return (
            super()
            .get_queryset(request)
            .select_related("cycle", "assignment__deliverable", "assignment__entity")
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "update", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = [
        "user",
        "update__cycle",
        "update__assignment__deliverable",
        "update__assignment__entity",
    ]
